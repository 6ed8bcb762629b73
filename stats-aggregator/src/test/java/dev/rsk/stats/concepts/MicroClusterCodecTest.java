package dev.rsk.stats.concepts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The micro-cluster store form against bytes written field by field in the documented order. */
class MicroClusterCodecTest {

  private static MicroCluster cluster() {
    final long[] hours = new long[24];
    hours[9] = 3;
    hours[23] = 1;
    return new MicroCluster("id1", "spec", "inf-1", 100L, 900L, 4L, ConceptState.EMERGED, 500L,
        new float[] {0.5f, -1f}, new long[] {100L, 400L, 0L}, 2, 3, new TreeMap<>(Map.of(20L, 4L)), 7L, hours,
        List.of(new MicroCluster.Exemplar("inf-2", 400L, 0.75)));
  }

  /** The expected bytes, written with DataOutputStream in the order the codec documents. */
  private static byte[] handWritten(final int format) throws IOException {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final DataOutputStream out = new DataOutputStream(bytes);
    out.writeByte(format);
    out.writeUTF("id1");
    out.writeUTF("spec");
    out.writeUTF("inf-1");
    out.writeLong(100L); // first seen
    out.writeLong(900L); // last seen
    out.writeLong(4L); // size
    out.writeByte(2); // EMERGED
    out.writeLong(500L); // emerged at
    out.writeInt(2); // centroid
    out.writeFloat(0.5f);
    out.writeFloat(-1f);
    out.writeInt(3); // recent capacity
    out.writeInt(2); // recent count
    out.writeLong(100L);
    out.writeLong(400L);
    out.writeInt(1); // days
    out.writeLong(20L);
    out.writeLong(4L);
    out.writeLong(7L); // earlier
    for (int h = 0; h < 24; h++) {
      out.writeLong(h == 9 ? 3 : h == 23 ? 1 : 0);
    }
    out.writeInt(1); // exemplars
    out.writeUTF("inf-2");
    out.writeLong(400L);
    out.writeDouble(0.75);
    out.flush();
    return bytes.toByteArray();
  }

  @Test
  void encodesEveryFieldInOrderAndReadsItBack() throws IOException {
    assertThat(cluster().encode()).containsExactly(handWritten(1));
    final MicroCluster back = MicroCluster.decode(handWritten(1));
    assertThat(back.id()).isEqualTo("id1");
    assertThat(back.specKey()).isEqualTo("spec");
    assertThat(back.firstMember()).isEqualTo("inf-1");
    assertThat(back.firstSeen()).isEqualTo(100L);
    assertThat(back.lastSeen()).isEqualTo(900L);
    assertThat(back.size()).isEqualTo(4L);
    assertThat(back.state()).isEqualTo(ConceptState.EMERGED);
    assertThat(back.emergedAt()).isEqualTo(500L);
    assertThat(back.centroid()).containsExactly(0.5f, -1f);
    assertThat(back.recentTimes()).containsExactly(100L, 400L);
    assertThat(back.recentCapacity()).isEqualTo(3);
    assertThat(back.daily()).isEqualTo(Map.of(20L, 4L));
    assertThat(back.earlier()).isEqualTo(7L);
    assertThat(back.hours()[9]).isEqualTo(3);
    assertThat(back.hours()[23]).isEqualTo(1);
    assertThat(Arrays.stream(back.hours()).sum()).isEqualTo(4);
    assertThat(back.exemplars()).containsExactly(new MicroCluster.Exemplar("inf-2", 400L, 0.75));
    assertThat(back.encode()).containsExactly(handWritten(1));
  }

  @Test
  void anotherFormatOrTruncatedBytesAreRejected() throws IOException {
    assertThatThrownBy(() -> MicroCluster.decode(handWritten(2))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("micro-cluster");
    final byte[] good = handWritten(1);
    for (int cut = 0; cut < good.length; cut += 11) {
      final byte[] shortened = Arrays.copyOf(good, cut);
      assertThatThrownBy(() -> MicroCluster.decode(shortened)).as("cut at %d", cut)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("micro-cluster");
    }
    final byte[] badState = good.clone();
    // the state byte follows format, three strings (2 + 3, 2 + 4, 2 + 5 bytes) and three longs
    final int stateAt = 1 + 5 + 6 + 7 + 24;
    assertThat(badState[stateAt]).isEqualTo((byte) 2);
    badState[stateAt] = 9;
    assertThatThrownBy(() -> MicroCluster.decode(badState)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("corrupt micro-cluster");
    // the member times' limit follows the state, the emerged-at long and the centroid (an int, two floats)
    final int limitAt = stateAt + 1 + 8 + 4 + 8;
    for (final int limit : new int[] {1, 0}) { // fewer than the two times stored; none at all
      final byte[] badLimit = good.clone();
      assertThat(badLimit[limitAt + 3]).isEqualTo((byte) 3);
      badLimit[limitAt + 3] = (byte) limit;
      assertThatThrownBy(() -> MicroCluster.decode(badLimit)).as("limit %d", limit)
          .isInstanceOf(IllegalArgumentException.class).hasMessage("corrupt micro-cluster");
    }
  }

  @Test
  void aClusterStoredWithTheOldLimitOfFourTimesPerMemberKeepsWorking() {
    final MicroCluster old = new MicroCluster("id1", "spec", "inf-1", 100L, 400L, 3L, ConceptState.FORMING, 0L,
        new float[] {1f}, new long[] {100L, 200L, 400L}, 3, 3, new TreeMap<>(), 0L, new long[24], List.of());
    // at its limit, a later member pushes out the oldest time and an older one is not kept
    old.add("inf-4", 300L, new float[] {1f}, 1.0, 0, 1_000L);
    assertThat(old.recentTimes()).containsExactly(200L, 300L, 400L);
    old.add("inf-5", 150L, new float[] {1f}, 1.0, 0, 1_000L);
    assertThat(old.recentTimes()).containsExactly(200L, 300L, 400L);
    assertThat(old.size()).isEqualTo(5);
  }
}
