package dev.rsk.stats.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rsk.stats.model.NetworkEntry;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

/** The network store's value against bytes written by hand from the layout in NetworkEntrySerde, and its arithmetic. */
class NetworkEntrySerdeTest {

  /** car, k=2, 5 inferences, 9 objects, 1 root, depths {1: 7}, inputs {w: {wheel: 3}}. */
  private static final byte[] CAR = {
      1, // format
      0, 3, 'c', 'a', 'r', // module (modified UTF-8: 2-byte length)
      0, 0, 0, 2, // k
      0, 0, 0, 0, 0, 0, 0, 5, // inferences
      0, 0, 0, 0, 0, 0, 0, 9, // objects
      0, 0, 0, 0, 0, 0, 0, 1, // roots
      0, 0, 0, 1, // one depth
      0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 7, // depth 1: 7
      0, 0, 0, 1, // one slot
      0, 1, 'w', // slot w
      0, 0, 0, 1, // one input module
      0, 5, 'w', 'h', 'e', 'e', 'l', 0, 0, 0, 0, 0, 0, 0, 3}; // wheel: 3

  private static NetworkEntry car() {
    final TreeMap<Integer, Long> depths = new TreeMap<>(Map.of(1, 7L));
    final TreeMap<String, SortedMap<String, Long>> inputs = new TreeMap<>();
    inputs.put("w", new TreeMap<>(Map.of("wheel", 3L)));
    return new NetworkEntry("car", 2, 5, 9, 1, depths, inputs);
  }

  @Test
  void writesAndReadsTheDocumentedLayout() {
    assertThat(NetworkEntrySerde.write(car())).containsExactly(CAR);
    assertThat(NetworkEntrySerde.read(CAR)).isEqualTo(car());
    final Serde<NetworkEntry> serde = NetworkEntrySerde.serde();
    assertThat(serde.serializer().serialize("t", null)).isNull();
    assertThat(serde.deserializer().deserialize("t", null)).isNull();
    assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", car()))).isEqualTo(car());
    final NetworkEntry empty = NetworkEntry.empty("leaf", 0);
    // format, "leaf", then k, inferences, objects, roots, no depths, no slots: 4 + 8 + 8 + 8 + 4 + 4 zero bytes
    assertThat(NetworkEntrySerde.write(empty))
        .containsExactly(java.util.Arrays.copyOf(new byte[] {1, 0, 4, 'l', 'e', 'a', 'f'}, 7 + 36));
    assertThat(NetworkEntrySerde.read(NetworkEntrySerde.write(empty))).isEqualTo(empty);
  }

  @Test
  void rejectsAnotherFormatTrailingBytesBadCountsAndTruncation() {
    final byte[] format2 = CAR.clone();
    format2[0] = 2;
    assertThatThrownBy(() -> NetworkEntrySerde.read(format2)).isInstanceOf(SerializationException.class)
        .hasMessage("unknown network entry format 2");
    final byte[] trailing = java.util.Arrays.copyOf(CAR, CAR.length + 2);
    assertThatThrownBy(() -> NetworkEntrySerde.read(trailing)).isInstanceOf(SerializationException.class)
        .hasMessage("corrupt network entry: 2 trailing bytes");
    final byte[] negative = CAR.clone();
    negative[34] = (byte) 0xff; // the depth count's high byte (bytes 34-37): a negative count
    assertThatThrownBy(() -> NetworkEntrySerde.read(negative)).isInstanceOf(SerializationException.class)
        .hasMessageStartingWith("corrupt network entry: count -");
    final byte[] huge = CAR.clone();
    huge[37] = 100; // 100 depths announced, far more than the bytes left
    assertThatThrownBy(() -> NetworkEntrySerde.read(huge)).isInstanceOf(SerializationException.class)
        .hasMessage("corrupt network entry: count 100");
    for (int cut = 1; cut < CAR.length; cut += 7) {
      final byte[] shortened = java.util.Arrays.copyOf(CAR, cut);
      assertThatThrownBy(() -> NetworkEntrySerde.read(shortened)).as("cut at %d", cut)
          .isInstanceOf(SerializationException.class).hasMessageStartingWith("corrupt network entry");
    }
  }

  @Test
  void plusAddsOneDagAndMergeAddsTwoPartitions() {
    final NetworkEntry one = NetworkEntry.empty("car", 2)
        .plus(3, 2, false, new int[] {0, 2}, Map.of("w", Map.of("wheel", 8)));
    assertThat(one).isEqualTo(new NetworkEntry("car", 3, 1, 2, 0, new TreeMap<>(Map.of(1, 2L)),
        new TreeMap<>(Map.of("w", new TreeMap<>(Map.of("wheel", 8L))))));
    final NetworkEntry two = one.plus(3, 1, true, new int[] {1, 0, 0}, Map.of("w", Map.of("wheel", 4, "rim", 1)));
    assertThat(two.inferences()).isEqualTo(2);
    assertThat(two.objects()).isEqualTo(3);
    assertThat(two.roots()).isEqualTo(1);
    assertThat(two.depths()).isEqualTo(Map.of(0, 1L, 1, 2L)); // zero counts leave no depth
    assertThat(two.inputs().get("w")).isEqualTo(Map.of("wheel", 12L, "rim", 1L));
    final NetworkEntry merged = two.merge(car());
    assertThat(merged.attributeLength()).isEqualTo(2); // the other's k
    assertThat(merged.inferences()).isEqualTo(7);
    assertThat(merged.objects()).isEqualTo(12);
    assertThat(merged.roots()).isEqualTo(2);
    assertThat(merged.depths()).isEqualTo(Map.of(0, 1L, 1, 9L));
    assertThat(merged.inputs().get("w")).isEqualTo(Map.of("wheel", 15L, "rim", 1L));
    // merging keeps both sides' slots
    final NetworkEntry other = new NetworkEntry("car", 2, 1, 1, 0, new TreeMap<>(),
        new TreeMap<>(Map.of("x", new TreeMap<>(Map.of("bolt", 2L)))));
    assertThat(two.merge(other).inputs().keySet()).containsExactly("w", "x");
    assertThat(two.merge(other).inputs().get("x")).isEqualTo(Map.of("bolt", 2L));
  }
}
