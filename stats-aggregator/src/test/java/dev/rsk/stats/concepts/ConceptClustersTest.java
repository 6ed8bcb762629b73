package dev.rsk.stats.concepts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchSpec;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConceptClustersTest {

  private static final long HOUR = 3_600_000L;
  private static final long T0 = 1_735_689_600_000L; // 2025-01-01T00:00Z
  private static final SketchSpec SPEC = SketchSpec.defaults();

  /** Unit vector along {@code axis} plus a little noise: points of one "kind" have cosines near 1. */
  private static Sketch point(final int axis, final SplittableRandom rnd) {
    final float[] v = new float[SPEC.d()];
    v[axis] = 1f;
    for (int i = 0; i < v.length; i++) {
      v[i] += (float) (0.005 * rnd.nextGaussian());
    }
    return new Sketch(SPEC, v);
  }

  @Test
  void theJoinThresholdIsCappedByTheSketchNoiseFloor() {
    final ConceptClusters c = new ConceptClusters("k", ConceptParams.DEFAULTS, Long.MIN_VALUE, List.of());
    final SplittableRandom rnd = new SplittableRandom(1);
    // 1 - 3 sqrt(2 / d): 0.867 at d = 1024 (above 0.85, so 0.85 holds); 0.735 at d = 256
    assertThat(c.joinThreshold(point(0, rnd))).isEqualTo(0.85);
    final SketchSpec small = SPEC.withD(256);
    final float[] v = new float[256];
    v[3] = 2f;
    assertThat(c.joinThreshold(new Sketch(small, v))).isCloseTo(1 - 3 * Math.sqrt(2.0 / 256), within(1e-9));
  }

  @Test
  void clustersBornInTheWarmUpAreBaselineAndANewDenseKindEmergesAfterIt() {
    final ConceptClusters c = new ConceptClusters("k", ConceptParams.DEFAULTS, Long.MIN_VALUE, List.of());
    final SplittableRandom rnd = new SplittableRandom(2);
    long t = T0;
    // 15 days of kind 0, one point an hour: one cluster, born in the warm-up, dense: baseline
    for (int i = 0; i < 15 * 24; i++, t += HOUR) {
      assertThat(c.add("a" + i, t, point(0, rnd)).change()).isNotEqualTo(ConceptClusters.Change.EMERGED);
    }
    assertThat(c.clusters()).hasSize(1);
    assertThat(c.clusters().iterator().next().state()).isEqualTo(ConceptState.BASELINE);
    // a new kind (orthogonal), one point an hour: the 12th member within 30 h makes it a concept
    ConceptClusters.Assignment last = null;
    for (int i = 0; i < 12; i++, t += HOUR) {
      last = c.add("b" + i, t, point(1, rnd));
      assertThat(last.change()).isEqualTo(i == 0 ? ConceptClusters.Change.CREATED
          : i == 11 ? ConceptClusters.Change.EMERGED : ConceptClusters.Change.JOINED);
    }
    final MicroCluster concept = last.cluster();
    assertThat(concept.id()).isEqualTo(MicroCluster.id("k", "b0"));
    assertThat(concept.state()).isEqualTo(ConceptState.EMERGED);
    assertThat(concept.size()).isEqualTo(12);
    assertThat(concept.emergedAt()).isEqualTo(t - HOUR);
    assertThat(concept.exemplars()).hasSize(5);
  }

  @Test
  void densityIsJudgedByEventTimeWhateverTheArrivalOrder() {
    final ConceptClusters c = new ConceptClusters("k", ConceptParams.DEFAULTS, T0, List.of());
    final SplittableRandom rnd = new SplittableRandom(6);
    final long evening = T0 + Duration.ofDays(20).toMillis();
    final long later = evening + Duration.ofDays(2).toMillis();
    // two evenings of one kind arrive interleaved (two upstream partitions at different paces): the first
    // evening's 12 members, an hour apart, are dense although the 12 latest arrivals span two days
    final List<ConceptClusters.Change> changes = new java.util.ArrayList<>();
    for (int i = 0; i < 12; i++) {
      changes.add(c.add("a" + i, evening + i * HOUR, point(2, rnd)).change());
      if (i < 6) {
        changes.add(c.add("b" + i, later + i * HOUR, point(2, rnd)).change());
      }
    }
    assertThat(changes).containsOnlyOnce(ConceptClusters.Change.EMERGED);
    assertThat(changes.get(changes.size() - 1)).isEqualTo(ConceptClusters.Change.EMERGED);
    final MicroCluster concept = c.clusters().iterator().next();
    assertThat(concept.emergedAt()).isEqualTo(evening + 11 * HOUR);
    assertThat(concept.firstSeen()).isEqualTo(evening);
    assertThat(concept.lastSeen()).isEqualTo(later + 5 * HOUR);
  }

  /**
   * Party evenings of one kind (20:00 to 23:36, from day 20), split between two upstream partitions: partition A's
   * members at 20:00 + 48 min x j, B's at 20:24 + 48 min x j (j = 0..4). A alone holds at most 10 members in any
   * 30 h window (two evenings), so only both together are dense.
   */
  private static long memberTime(final int evening, final boolean a, final int j) {
    return T0 + Duration.ofDays(20L + evening).toMillis() + 20 * HOUR + (a ? 0 : 24 * 60_000L) + j * 48 * 60_000L;
  }

  @Test
  void lateMembersOfAnUpstreamPartitionThatRanBehindStillMakeTheClusterDense() {
    final ConceptClusters c = new ConceptClusters("k", ConceptParams.DEFAULTS, T0, List.of());
    final SplittableRandom rnd = new SplittableRandom(7);
    // A runs ten evenings ahead (two stream threads, or instances, at different paces in a backlog)
    for (int e = 0; e < 10; e++) {
      for (int j = 0; j < 5; j++) {
        assertThat(c.add("a" + e + j, memberTime(e, true, j), point(3, rnd)).change())
            .isNotEqualTo(ConceptClusters.Change.EMERGED);
      }
    }
    // B's first evening: with its second member, evening 0 holds 7 members and A's evening 1 another 5: the 12
    // earliest span 20:00 to 23:12 the next day (27.2 h)
    assertThat(c.add("b00", memberTime(0, false, 0), point(3, rnd)).change()).isEqualTo(ConceptClusters.Change.JOINED);
    final ConceptClusters.Assignment second = c.add("b01", memberTime(0, false, 1), point(3, rnd));
    assertThat(second.change()).isEqualTo(ConceptClusters.Change.EMERGED);
    assertThat(second.cluster().emergedAt()).isEqualTo(memberTime(1, true, 4));
    assertThat(second.cluster().size()).isEqualTo(52);
    // a concept keeps only the times before its emergence: A's 5 and B's 2 of evening 0, A's first 4 of evening 1
    assertThat(java.util.Arrays.stream(second.cluster().recentTimes()).boxed().toList()).hasSize(11)
        .allMatch(t -> t < memberTime(1, true, 4));
    // B's third of evening 0 (22:00) makes 8 there: the 12 earliest now end at A's 22:24 of evening 1, earlier
    assertThat(c.add("b02", memberTime(0, false, 2), point(3, rnd)).change())
        .isEqualTo(ConceptClusters.Change.JOINED);
    assertThat(second.cluster().emergedAt()).isEqualTo(memberTime(1, true, 3));
    assertThat(second.cluster().recentTimes()).hasSize(11);
  }

  @Test
  void membersFurtherBehindThanTheDensityHorizonAreNoWitnesses() {
    final ConceptClusters c = new ConceptClusters("k", ConceptParams.DEFAULTS, T0, List.of());
    final SplittableRandom rnd = new SplittableRandom(8);
    for (int e = 0; e < 405; e++) { // A runs 405 evenings ahead; the horizon is 320 x 30 h = 400 days
      for (int j = 0; j < 5; j++) {
        c.add("a" + e + "-" + j, memberTime(e, true, j), point(4, rnd));
      }
    }
    // the horizon starts at evening 4, 23:12 (400 days before A's last member, evening 404, 23:12): B's evenings 0
    // to 4 join, but only B's 23:36 of evening 4 is a density witness (A's earlier members were dropped as A moved
    // on); evening 4 from 23:12 with evening 5 is 7 members, not dense
    for (int e = 0; e < 5; e++) {
      for (int j = 0; j < 5; j++) {
        assertThat(c.add("b" + e + j, memberTime(e, false, j), point(4, rnd)).change())
            .isEqualTo(ConceptClusters.Change.JOINED);
      }
    }
    // evening 5 is within the horizon: its second member of B makes 7 + A's 5 of evening 6
    assertThat(c.add("b50", memberTime(5, false, 0), point(4, rnd)).change()).isEqualTo(ConceptClusters.Change.JOINED);
    final ConceptClusters.Assignment dense = c.add("b51", memberTime(5, false, 1), point(4, rnd));
    assertThat(dense.change()).isEqualTo(ConceptClusters.Change.EMERGED);
    assertThat(dense.cluster().emergedAt()).isEqualTo(memberTime(6, true, 4));
    assertThat(dense.cluster().size()).isEqualTo(405 * 5 + 25 + 2);
  }

  @Test
  void aSparseNewKindNeverEmerges() {
    final ConceptClusters c = new ConceptClusters("k", ConceptParams.DEFAULTS, T0, List.of());
    final SplittableRandom rnd = new SplittableRandom(3);
    long t = T0 + Duration.ofDays(20).toMillis();
    for (int i = 0; i < 40; i++, t += 3 * HOUR) { // 11 members per 30 h at most
      c.add("s" + i, t, point(5, rnd));
    }
    assertThat(c.clusters()).singleElement().extracting(MicroCluster::state).isEqualTo(ConceptState.FORMING);
  }

  @Test
  void aConceptFadesWithoutMembersAndComesBackWithOne() {
    final ConceptClusters c = new ConceptClusters("k", ConceptParams.DEFAULTS, T0, List.of());
    final SplittableRandom rnd = new SplittableRandom(4);
    long t = T0 + Duration.ofDays(20).toMillis();
    for (int i = 0; i < 12; i++, t += HOUR) {
      c.add("p" + i, t, point(7, rnd));
    }
    final long last = t - HOUR;
    assertThat(c.fade(last + Duration.ofDays(14).toMillis())).isEmpty();
    assertThat(c.fade(last + Duration.ofDays(14).toMillis() + 1)).singleElement()
        .extracting(MicroCluster::state).isEqualTo(ConceptState.FADED);
    assertThat(c.add("p-back", t + Duration.ofDays(30).toMillis(), point(7, rnd)).change())
        .isEqualTo(ConceptClusters.Change.REVIVED);
  }

  @Test
  void aClusterRoundTripsThroughItsStoreForm() {
    final ConceptClusters c = new ConceptClusters("k", ConceptParams.DEFAULTS, T0, List.of());
    final SplittableRandom rnd = new SplittableRandom(5);
    long t = T0 + Duration.ofDays(20).toMillis();
    for (int i = 0; i < 30; i++, t += HOUR) {
      c.add("r" + i, t, point(9, rnd));
    }
    final MicroCluster a = c.clusters().iterator().next();
    final MicroCluster b = MicroCluster.decode(a.encode());
    assertThat(b.encode()).isEqualTo(a.encode());
    assertThat(b.id()).isEqualTo(a.id());
    assertThat(b.size()).isEqualTo(30);
    assertThat(b.centroid()).isEqualTo(a.centroid());
    assertThat(b.daily()).isEqualTo(a.daily());
    assertThat(b.daily().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(30);
    assertThat(b.hours()).isEqualTo(a.hours());
    assertThatThrownBy(() -> MicroCluster.decode(new byte[] {9})).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void idsDependOnTheParameterKeyAndTheFirstMemberOnly() {
    assertThat(MicroCluster.id("d=1024", "x")).isEqualTo(MicroCluster.id("d=1024", "x"));
    assertThat(MicroCluster.id("d=1024", "x")).isNotEqualTo(MicroCluster.id("d=256", "x"));
    assertThat(MicroCluster.id("d=1024", "x")).isNotEqualTo(MicroCluster.id("d=1024", "y"));
    assertThat(MicroCluster.id("d=1024", "x")).matches("c[0-9a-f]{16}");
  }
}
