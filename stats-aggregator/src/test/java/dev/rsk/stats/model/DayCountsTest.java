package dev.rsk.stats.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DayCountsTest {

  @Test
  void roundTripsSparseHoursAndLargeAndNegativeCounters() {
    final DayCounts d = new DayCounts(2);
    d.add(0, 0, 1);
    d.add(0, 1, 3);
    d.add(13, 0, 5_000_000_000L);
    d.add(23, 1, -2);
    final byte[] bytes = d.toBytes();
    // header 6 + hour 0 (1 + 1) + hour 13 (5 bytes + 1) + hour 23 (1 + 1)
    assertThat(bytes).hasSize(6 + 2 + 6 + 2);
    final DayCounts back = DayCounts.fromBytes(bytes);
    assertThat(back).isEqualTo(d);
    assertThat(back.get(13, 0)).isEqualTo(5_000_000_000L);
    assertThat(back.get(23, 1)).isEqualTo(-2);
    assertThat(back.present(5)).isFalse();
  }

  @Test
  void foreignOrTruncatedImagesAreRejected() {
    final DayCounts d = new DayCounts(1);
    d.add(4, 0, 300);
    final byte[] bytes = d.toBytes();
    assertThatThrownBy(() -> DayCounts.fromBytes(java.util.Arrays.copyOf(bytes, bytes.length - 1)))
        .isInstanceOf(IllegalArgumentException.class);
    bytes[0] = 9;
    assertThatThrownBy(() -> DayCounts.fromBytes(bytes)).isInstanceOf(IllegalArgumentException.class);
  }
}
