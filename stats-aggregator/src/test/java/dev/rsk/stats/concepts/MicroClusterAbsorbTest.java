package dev.rsk.stats.concepts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link MicroCluster#absorb}: the counts, days and exemplars of a merge, checked against hand-counted values. */
class MicroClusterAbsorbTest {

  private static final long DAY = 86_400_000L;
  private static final long HORIZON = 16 * 30 * 3_600_000L;
  private static final float[] V = {1f, 0f};

  private static MicroCluster cluster(final String first, final long time) {
    return MicroCluster.start("k", first, time, V, 12);
  }

  @Test
  void theNearestExemplarsOfBothAreKept() {
    final MicroCluster a = cluster("a0", 0);
    a.add("a0", 0, V, 0.9, 3, HORIZON);
    a.add("a1", 1, V, 0.5, 3, HORIZON);
    final MicroCluster b = cluster("b0", 2);
    b.add("b0", 2, V, 0.95, 3, HORIZON);
    b.add("b1", 3, V, 0.7, 3, HORIZON);
    b.add("b2", 4, V, 0.6, 3, HORIZON);
    a.absorb(b, 3, HORIZON);
    assertThat(a.exemplars()).extracting(MicroCluster.Exemplar::inferenceId).containsExactly("b0", "a0", "b1");
    assertThat(a.size()).isEqualTo(5);
    assertThat(a.lastSeen()).isEqualTo(4);
    // the absorbed cluster is left as it was
    assertThat(b.size()).isEqualTo(3);
    assertThat(b.exemplars()).hasSize(3);
  }

  @Test
  void daysBeyondTheKeptOnesAreSummedIntoEarlier() {
    // a: one member on each of days 0..299, b: on days 200..449, so 450 distinct days, 550 members
    final MicroCluster a = cluster("a", 0);
    for (int d = 0; d < 300; d++) {
      a.add("a" + d, d * DAY, V, 1, 0, HORIZON);
    }
    final MicroCluster b = cluster("b", 200 * DAY);
    for (int d = 200; d < 450; d++) {
      b.add("b" + d, d * DAY, V, 1, 0, HORIZON);
    }
    a.absorb(b, 0, HORIZON);
    // the 400 latest days (50..449) are kept; days 0..49, one member each, are summed
    assertThat(a.daily()).hasSize(MicroCluster.MAX_DAYS);
    assertThat(a.daily().keySet().iterator().next()).isEqualTo(50L);
    assertThat(a.earlier()).isEqualTo(50);
    assertThat(a.daily()).contains(Map.entry(250L, 2L), Map.entry(449L, 1L), Map.entry(50L, 1L));
    assertThat(a.size()).isEqualTo(550);
    assertThat(a.firstSeen()).isZero();
    assertThat(a.exemplars()).isEmpty();
  }

  @Test
  void earlierDaysOfTheAbsorbedClusterAreCounted() {
    final MicroCluster a = cluster("a", 0);
    for (int d = 0; d < 410; d++) { // days 0..9 are summed into a's earlier
      a.add("a" + d, d * DAY, V, 1, 0, HORIZON);
    }
    final MicroCluster b = cluster("b", 0);
    for (int d = 0; d < 405; d++) { // days 0..4 into b's
      b.add("b" + d, d * DAY, V, 1, 0, HORIZON);
    }
    a.absorb(b, 0, HORIZON);
    // a's 10 and b's 5, then b's days 5..9 (405 distinct days: the 5 oldest go)
    assertThat(a.earlier()).isEqualTo(10 + 5 + 5);
    assertThat(a.daily().keySet().iterator().next()).isEqualTo(10L);
    assertThat(a.daily().values().stream().mapToLong(Long::longValue).sum() + a.earlier()).isEqualTo(815);
  }
}
