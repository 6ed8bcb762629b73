package dev.rsk.stats.concepts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchSpec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The edges of the clustering with vectors whose cosines are worked out by hand (at d = 128 the noise cap
 * {@code 1 - 3 sqrt(2/128) = 0.625} stays above a join cosine of 0.5, so 0.5 is the threshold): a cosine exactly at
 * the threshold joins, one ulp of threshold more does not; member counts at and one below emergence; times at
 * and one ms past the window, the warm-up and the fade; which forming cluster is evicted at the maximum.
 */
class ConceptClustersEdgesTest {

  private static final SketchSpec SPEC = SketchSpec.defaults().withD(128);
  private static final long T = 1_000_000L;
  private static final double AT = 0.5;
  private static final double ABOVE = Math.nextUp(0.5);

  /** Join cosine, 3 members within 10 ms, warm-up 100 ms, fade after 50 ms, 3 clusters, 2 exemplars. */
  private static ConceptParams params(final double join) {
    return new ConceptParams(join, 3, Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofMillis(50), 3, 2);
  }

  private static Sketch v(final float... head) {
    final float[] v = new float[SPEC.d()];
    System.arraycopy(head, 0, v, 0, head.length);
    return new Sketch(SPEC, v);
  }

  private static final Sketch E1 = v(1);
  private static final Sketch E2 = v(0, 1);
  private static final Sketch E3 = v(0, 0, 1);
  /** Cosine exactly 1/2 to e1: (1, 1, 1, 1) has norm 2. */
  private static final Sketch HALF = v(1, 1, 1, 1);

  @Test
  void aCosineExactlyAtTheJoinCosineJoinsAndOneUlpMoreStartsANewCluster() {
    final ConceptClusters at = new ConceptClusters("k", params(AT), T, List.of());
    final MicroCluster first = at.add("a", T + 200, E1).cluster();
    final ConceptClusters.Assignment joined = at.add("b", T + 201, HALF);
    assertThat(joined.change()).isEqualTo(ConceptClusters.Change.JOINED);
    assertThat(joined.cluster()).isSameAs(first);
    assertThat(joined.cosine()).isEqualTo(0.5);
    assertThat(first.size()).isEqualTo(2);
    // the centroid is the mean: (1, 0, 0, 0) and (1, 1, 1, 1)
    assertThat(java.util.Arrays.copyOf(first.centroid(), 5)).containsExactly(1f, 0.5f, 0.5f, 0.5f, 0f);

    final ConceptClusters above = new ConceptClusters("k", params(ABOVE), T, List.of());
    above.add("a", T + 200, E1);
    final ConceptClusters.Assignment created = above.add("b", T + 201, HALF);
    assertThat(created.change()).isEqualTo(ConceptClusters.Change.CREATED);
    assertThat(created.cosine()).isEqualTo(1.0);
    assertThat(created.cluster().id()).isEqualTo(MicroCluster.id("k", "b"));
    assertThat(above.clusters()).hasSize(2);
  }

  @Test
  void aSketchJoinsTheNearestClusterAndTheFirstOnATie() {
    final ConceptClusters c = new ConceptClusters("k", params(AT), T, List.of());
    final MicroCluster x = c.add("x", T + 200, E1).cluster();
    final MicroCluster y = c.add("y", T + 200, E2).cluster();
    // (3, 4): cosine 0.6 to e1, 0.8 to e2
    final ConceptClusters.Assignment a = c.add("a", T + 201, v(3, 4));
    assertThat(a.cluster()).isSameAs(y);
    assertThat(a.cosine()).isCloseTo(0.8, within(1e-12));
    // (1, 1, 0, ...) against e1 and the centroid (1.5, 2.5) of y: 1/sqrt2 = 0.707 and 4/(sqrt2 sqrt8.5) = 0.970
    assertThat(c.add("b", T + 202, v(1, 1)).cluster()).isSameAs(y);
    // x = e1 and z = e3: (1, 0, 1) is at 1/sqrt2 to both, the first (x) takes it
    final ConceptClusters tie = new ConceptClusters("k", params(AT), T, List.of());
    final MicroCluster tx = tie.add("x", T + 200, E1).cluster();
    tie.add("z", T + 200, E3);
    assertThat(tie.add("t", T + 201, v(1, 0, 1)).cluster()).isSameAs(tx);
  }

  @Test
  void anAllZeroSketchChangesNothingButStillSetsTheOrigin() {
    final ConceptClusters c = new ConceptClusters("k", params(AT), Long.MIN_VALUE, List.of());
    assertThat(c.joinThreshold(v(0))).isEqualTo(AT);
    final ConceptClusters.Assignment none = c.add("z", T, v(0));
    assertThat(none.change()).isEqualTo(ConceptClusters.Change.NONE);
    assertThat(none.cluster()).isNull();
    assertThat(none.cosine()).isZero();
    assertThat(c.clusters()).isEmpty();
    assertThat(c.origin()).isEqualTo(T);
    assertThat(c.dirty()).containsExactly("");
  }

  @Test
  void theOriginIsTheEarliestEventTimeAndMarksTheKeyEntryDirtyOnlyWhenItMoves() {
    final ConceptClusters c = new ConceptClusters("k", params(AT), Long.MIN_VALUE, List.of());
    assertThat(c.origin()).isEqualTo(Long.MIN_VALUE);
    final String id = c.add("a", T, E1).cluster().id();
    assertThat(c.origin()).isEqualTo(T);
    assertThat(c.dirty()).containsExactly("", id);
    c.clean();
    assertThat(c.dirty()).isEmpty();
    c.add("b", T, E1); // the same time: the origin stays
    assertThat(c.dirty()).containsExactly(id);
    c.clean();
    c.add("c", T + 5, E1);
    assertThat(c.dirty()).containsExactly(id);
    c.clean();
    c.add("d", T - 1, E1); // earlier: the origin moves back
    assertThat(c.origin()).isEqualTo(T - 1);
    assertThat(c.dirty()).containsExactly("", id);
    // a loaded origin holds against later sketches
    final ConceptClusters loaded = new ConceptClusters("k", params(AT), T, List.of());
    loaded.add("a", T + 1, E1);
    assertThat(loaded.origin()).isEqualTo(T);
  }

  @Test
  void aClusterEmergesWithItsThirdMemberWithinTheWindowAndNotPastIt() {
    // born at origin + warm-up exactly: after the warm-up
    final ConceptClusters c = new ConceptClusters("k", params(AT), T, List.of());
    assertThat(c.add("a", T + 100, E1).change()).isEqualTo(ConceptClusters.Change.CREATED);
    assertThat(c.add("b", T + 105, E1).change()).isEqualTo(ConceptClusters.Change.JOINED);
    final MicroCluster m = c.clusters().iterator().next();
    assertThat(m.state()).isEqualTo(ConceptState.FORMING);
    // the third within 10 ms of the first: a concept, emerged at the third's time
    final ConceptClusters.Assignment third = c.add("c", T + 110, E1);
    assertThat(third.change()).isEqualTo(ConceptClusters.Change.EMERGED);
    assertThat(m.state()).isEqualTo(ConceptState.EMERGED);
    assertThat(m.emergedAt()).isEqualTo(T + 110);
    // a concept's next member: joined, no change of state
    assertThat(c.add("d", T + 111, E1).change()).isEqualTo(ConceptClusters.Change.JOINED);
    assertThat(m.state()).isEqualTo(ConceptState.EMERGED);

    // 11 ms: not dense; the fourth member makes 3 within 10 ms (205, 211, 215)
    final ConceptClusters sparse = new ConceptClusters("k", params(AT), T, List.of());
    sparse.add("a", T + 200, E1);
    sparse.add("b", T + 205, E1);
    assertThat(sparse.add("c", T + 211, E1).change()).isEqualTo(ConceptClusters.Change.JOINED);
    final MicroCluster s = sparse.clusters().iterator().next();
    assertThat(s.state()).isEqualTo(ConceptState.FORMING);
    assertThat(sparse.add("e", T + 215, E1).change()).isEqualTo(ConceptClusters.Change.EMERGED);
    assertThat(s.emergedAt()).isEqualTo(T + 215);
  }

  @Test
  void aClusterDenseAtEventTimeZeroEmerges() {
    // event times are any long; "not dense" is -1, so a dense member time of exactly 0 ms still decides
    final ConceptParams p = new ConceptParams(AT, 2, Duration.ofMillis(10), Duration.ofMillis(100),
        Duration.ofMillis(50), 3, 2);
    final ConceptClusters c = new ConceptClusters("k", p, -200, List.of());
    c.add("a", -5, E1);
    final ConceptClusters.Assignment b = c.add("b", 0, E1);
    assertThat(b.change()).isEqualTo(ConceptClusters.Change.EMERGED);
    assertThat(b.cluster().state()).isEqualTo(ConceptState.EMERGED);
    assertThat(b.cluster().emergedAt()).isZero();
  }

  @Test
  void aConceptThatEmergedAtEventTimeZeroKeepsThatTimeWhenRevived() {
    // 2 members within 10 ms, fade after 50 ms; emerged at 0 ms, the value that also means "never emerged"
    final ConceptParams p = new ConceptParams(AT, 2, Duration.ofMillis(10), Duration.ofMillis(100),
        Duration.ofMillis(50), 3, 2);
    final ConceptClusters c = new ConceptClusters("k", p, -200, List.of());
    c.add("a", -5, E1);
    final MicroCluster m = c.add("b", 0, E1).cluster();
    assertThat(m.emergedAt()).isZero();
    // last member at 0 < 51 - 50: faded at 51
    assertThat(c.fade(51)).containsExactly(m);
    assertThat(m.state()).isEqualTo(ConceptState.FADED);
    assertThat(m.emergedAt()).isZero();
    // a member at 300 revives it: still the concept that emerged at 0, not one emerging at 300
    assertThat(c.add("c", 300, E1).change()).isEqualTo(ConceptClusters.Change.REVIVED);
    assertThat(m.state()).isEqualTo(ConceptState.EMERGED);
    assertThat(m.emergedAt()).isZero();
    // likewise after a store round trip (the state, not the time, says it emerged)
    final MicroCluster stored = MicroCluster.decode(m.encode());
    stored.state(ConceptState.FADED, 400);
    stored.state(ConceptState.EMERGED, 500);
    assertThat(stored.emergedAt()).isZero();
  }

  @Test
  void aClusterBornOneMsBeforeTheEndOfTheWarmUpIsBaseline() {
    final ConceptClusters c = new ConceptClusters("k", params(AT), T, List.of());
    c.add("a", T + 99, E1);
    c.add("b", T + 100, E1);
    final ConceptClusters.Assignment third = c.add("c", T + 101, E1);
    assertThat(third.change()).isEqualTo(ConceptClusters.Change.JOINED);
    assertThat(third.cluster().state()).isEqualTo(ConceptState.BASELINE);
    assertThat(third.cluster().emergedAt()).isZero();
    // a baseline cluster's members only join, and it never fades
    assertThat(c.add("d", T + 500, E1).change()).isEqualTo(ConceptClusters.Change.JOINED);
    assertThat(c.fade(T + 10_000)).isEmpty();
    assertThat(third.cluster().state()).isEqualTo(ConceptState.BASELINE);
  }

  /**
   * A baseline cluster on e1; after the warm-up m1 = (0, 1) starts a cluster (cosine 0 to e1) and m2 = (4, 5, 2,
   * 2, 2) joins it (cosine 5/sqrt53 = 0.687 to m1 against 4/sqrt53 = 0.549 to e1). Their mean (2, 3, 1, 1, 1) has
   * norm 4: cosine exactly 0.5 to e1. Emergence takes 2 members here.
   */
  private static ConceptClusters.Change satelliteChange(final double join, final boolean baselineDense) {
    final ConceptParams p = new ConceptParams(join, 2, Duration.ofMillis(10), Duration.ofMillis(100),
        Duration.ofMillis(50), 10, 2);
    final ConceptClusters c = new ConceptClusters("k", p, T, List.of());
    c.add("b1", T, E1);
    if (baselineDense) {
      c.add("b2", T + 1, E1);
    }
    assertThat(c.add("m1", T + 200, v(0, 1)).change()).isEqualTo(ConceptClusters.Change.CREATED);
    final ConceptClusters.Assignment a = c.add("m2", T + 201, v(4, 5, 2, 2, 2));
    assertThat(a.cluster().id()).isEqualTo(MicroCluster.id("k", "m1"));
    assertThat(java.util.Arrays.copyOf(a.cluster().centroid(), 6)).containsExactly(2f, 3f, 1f, 1f, 1f, 0f);
    return a.change();
  }

  @Test
  void aDenseClusterAtTheJoinCosineToTheBaselineIsASatelliteNotAConcept() {
    assertThat(satelliteChange(AT, true)).isEqualTo(ConceptClusters.Change.JOINED);
    // one ulp more join cosine: 0.5 is below it, so the cluster is a new region
    assertThat(satelliteChange(ABOVE, true)).isEqualTo(ConceptClusters.Change.EMERGED);
    // one ulp above the cosine of a forming cluster: neither merged with nor compared against, a concept
    assertThat(satelliteChange(ABOVE, false)).isEqualTo(ConceptClusters.Change.EMERGED);
  }

  @Test
  void aFormingClusterAtTheJoinCosineIsMergedWithNotComparedAgainst() {
    final ConceptParams p = new ConceptParams(AT, 2, Duration.ofMillis(10), Duration.ofMillis(100),
        Duration.ofMillis(50), 10, 2);
    final ConceptClusters c = new ConceptClusters("k", p, T, List.of());
    c.add("b1", T, E1);
    c.add("m1", T + 200, v(0, 1));
    c.clean();
    // as in satelliteChange, but b1's cluster is forming: m1's, whose mean is at exactly 0.5 to it, merges into it
    // (founded first, in the warm-up); the three members are dense: the baseline
    final ConceptClusters.Assignment a = c.add("m2", T + 201, v(4, 5, 2, 2, 2));
    assertThat(a.change()).isEqualTo(ConceptClusters.Change.JOINED);
    assertThat(a.cluster().id()).isEqualTo(MicroCluster.id("k", "b1"));
    assertThat(a.cluster().state()).isEqualTo(ConceptState.BASELINE);
    assertThat(a.cluster().size()).isEqualTo(3);
    assertThat(a.cluster().firstSeen()).isEqualTo(T);
    // the mean of (1), (0, 1) and (4, 5, 2, 2, 2)
    assertThat(java.util.Arrays.copyOf(a.cluster().centroid(), 6))
        .usingElementComparator((x, y) -> Math.abs(x - y) < 1e-6f ? 0 : Float.compare(x, y))
        .containsExactly(5f / 3, 2f, 2f / 3, 2f / 3, 2f / 3, 0f);
    assertThat(c.removed()).containsExactly(MicroCluster.id("k", "m1"));
    assertThat(c.dirty()).containsExactly(MicroCluster.id("k", "b1"));
  }

  @Test
  void atTheMaximumTheFormingClusterSeenLeastRecentlyIsDropped() {
    final ConceptClusters c = new ConceptClusters("k", params(AT), T, List.of());
    final String x = c.add("x", T + 200, E1).cluster().id();
    final String y = c.add("y", T + 201, E2).cluster().id();
    c.add("x2", T + 202, E1); // x is now the most recently seen
    final String z = c.add("z", T + 199, E3).cluster().id(); // 3 clusters: the maximum, no eviction yet
    assertThat(c.removed()).isEmpty();
    assertThat(c.clusters()).hasSize(3);
    c.clean();
    // a 4th kind: z (last seen 199) goes, not y (201) nor x (202)
    final ConceptClusters.Assignment w = c.add("w", T + 203, v(0, 0, 0, 1));
    assertThat(w.change()).isEqualTo(ConceptClusters.Change.CREATED);
    assertThat(c.removed()).containsExactly(z);
    assertThat(c.dirty()).containsExactly(w.cluster().id());
    assertThat(c.cluster(z)).isNull();
    assertThat(c.clusters()).extracting(MicroCluster::id).containsExactly(x, y, w.cluster().id());
    // the dropped cluster is written again if its first member comes back: no longer removed
    final ConceptClusters.Assignment back = c.add("z", T + 204, v(0, 0, 0, 0, 1));
    assertThat(back.cluster().id()).isEqualTo(z);
    assertThat(c.removed()).containsExactly(y);
    assertThat(c.dirty()).contains(z);
  }

  @Test
  void onALeastRecentlySeenTieTheFirstClusterIsDropped() {
    final ConceptClusters c = new ConceptClusters("k", params(AT), T, List.of());
    final String x = c.add("x", T + 200, E1).cluster().id();
    c.add("y", T + 200, E2);
    c.add("z", T + 200, E3);
    final String w = c.add("w", T + 200, v(0, 0, 0, 1)).cluster().id();
    assertThat(c.removed()).containsExactly(x);
    // x was dirty (never written): dropped from the dirty set too, else it would be written after its deletion
    assertThat(c.dirty()).containsExactly(MicroCluster.id("k", "y"), MicroCluster.id("k", "z"), w);
    c.clean();
    assertThat(c.removed()).isEmpty();
    assertThat(c.dirty()).isEmpty();
  }

  @Test
  void baselineAndConceptsAreNeverDroppedAndWhenAllAreTheSketchIsLeftOut() {
    final ConceptParams p = new ConceptParams(AT, 2, Duration.ofMillis(10), Duration.ofMillis(100),
        Duration.ofMillis(50), 2, 2);
    final ConceptClusters c = new ConceptClusters("k", p, T, List.of());
    c.add("b1", T, E1);
    c.add("b2", T + 1, E1); // baseline
    c.add("f1", T + 200, E2); // forming, seen later than the baseline
    // full: the forming one goes although the baseline was seen earlier
    final String f = MicroCluster.id("k", "f1");
    c.add("g1", T + 300, E3);
    assertThat(c.removed()).containsExactly(f);
    c.add("g2", T + 301, E3); // a concept now
    assertThat(c.cluster(MicroCluster.id("k", "g1")).state()).isEqualTo(ConceptState.EMERGED);
    // full of baseline and concepts: a new kind is left out, with its best cosine (0 to both)
    final ConceptClusters.Assignment none = c.add("n", T + 302, v(0, 0, 0, 1));
    assertThat(none.change()).isEqualTo(ConceptClusters.Change.NONE);
    assertThat(none.cluster()).isNull();
    assertThat(none.cosine()).isZero();
    assertThat(c.clusters()).hasSize(2);
    assertThat(c.removed()).containsExactly(f);
  }

  @Test
  void aConceptFadesOneMsPastTheFadePeriodOnceAndRevivesKeepingItsFirstEmergence() {
    final ConceptClusters c = new ConceptClusters("k", params(AT), T, List.of());
    c.add("a", T + 200, E1);
    c.add("b", T + 201, E1);
    final MicroCluster m = c.add("c", T + 202, E1).cluster();
    assertThat(m.state()).isEqualTo(ConceptState.EMERGED);
    final MicroCluster forming = c.add("f", T + 150, E2).cluster();
    c.clean();
    // last member at 202, fade after 50 ms: still a concept at 252, faded at 253
    assertThat(c.fade(T + 252)).isEmpty();
    assertThat(c.dirty()).isEmpty();
    assertThat(c.fade(T + 253)).containsExactly(m);
    assertThat(m.state()).isEqualTo(ConceptState.FADED);
    assertThat(c.dirty()).containsExactly(m.id());
    assertThat(forming.state()).isEqualTo(ConceptState.FORMING);
    assertThat(c.fade(T + 1_000)).isEmpty();
    final ConceptClusters.Assignment back = c.add("d", T + 1_000, E1);
    assertThat(back.change()).isEqualTo(ConceptClusters.Change.REVIVED);
    assertThat(m.state()).isEqualTo(ConceptState.EMERGED);
    assertThat(m.emergedAt()).isEqualTo(T + 202);
    assertThat(c.add("e", T + 1_001, E1).change()).isEqualTo(ConceptClusters.Change.JOINED);
  }

  @Test
  void theExemplarsAreTheMembersNearestTheCentroidWhenTheyJoined() {
    final ConceptClusters c = new ConceptClusters("k", params(AT), T, List.of());
    c.add("x", T + 200, E1); // the first member: cosine 1
    final ConceptClusters.Assignment a = c.add("a", T + 300, v(3, 4)); // 3/5 to e1
    assertThat(a.cosine()).isEqualTo(0.6);
    // centroid (2, 2): (4, 3) is at 14 / (5 sqrt8) = 0.98995
    final ConceptClusters.Assignment b = c.add("b", T + 400, v(4, 3));
    assertThat(b.cosine()).isCloseTo(14 / (5 * Math.sqrt(8)), within(1e-12));
    assertThat(c.cluster(MicroCluster.id("k", "x")).exemplars())
        .containsExactly(new MicroCluster.Exemplar("x", T + 200, 1.0), new MicroCluster.Exemplar("b", T + 400,
            b.cosine()));
  }

  @Test
  void loadedClustersAreFoundByIdAndJoinedByNewMembers() {
    final ConceptClusters first = new ConceptClusters("k", params(AT), T, List.of());
    final MicroCluster m = first.add("a", T + 200, E1).cluster();
    final ConceptClusters loaded = new ConceptClusters("k", params(AT), T,
        List.of(MicroCluster.decode(m.encode())));
    assertThat(loaded.specKey()).isEqualTo("k");
    assertThat(loaded.cluster(m.id())).isNotNull();
    assertThat(loaded.dirty()).isEmpty();
    final ConceptClusters.Assignment a = loaded.add("b", T + 201, E1);
    assertThat(a.change()).isEqualTo(ConceptClusters.Change.JOINED);
    assertThat(a.cluster().id()).isEqualTo(m.id());
    assertThat(a.cluster().size()).isEqualTo(2);
    assertThat(loaded.dirty()).containsExactly(m.id());
  }
}
