package dev.rsk.stats.concepts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchSpec;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Forming micro-clusters whose centroids come within the join threshold merge (DP-means' merge step): the first
 * members of a new kind, out of event-time order and noisy, can found several clusters; as members arrive their
 * centroids meet, and only together are they dense.
 */
class ConceptClustersMergeTest {

  private static final long HOUR = 3_600_000L;
  private static final long T0 = 1_735_689_600_000L; // 2025-01-01T00:00Z
  private static final long DAY20 = T0 + Duration.ofDays(20).toMillis(); // after the 14-day warm-up
  private static final SketchSpec SPEC = SketchSpec.defaults();

  /** {@code e_axis + w e_off} plus a little noise (norm 0.064 over d = 1024). */
  private static Sketch point(final int axis, final int off, final double w, final SplittableRandom rnd) {
    final float[] v = new float[SPEC.d()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (0.002 * rnd.nextGaussian());
    }
    v[axis] += 1f;
    v[off] += (float) w;
    return new Sketch(SPEC, v);
  }

  @Test
  void twoFormingClustersOfOneKindMergeWhenTheirCentroidsMeetAndAreDenseTogether() {
    final ConceptClusters c = new ConceptClusters("k", ConceptParams.DEFAULTS, T0, List.of());
    final SplittableRandom rnd = new SplittableRandom(11);
    // a0 and b0 (cosine 1 / 1.2025 = 0.83 < 0.85) found two clusters
    assertThat(c.add("a0", DAY20, point(1, 3, 0.45, rnd)).change()).isEqualTo(ConceptClusters.Change.CREATED);
    assertThat(c.add("b0", DAY20 + HOUR, point(1, 4, 0.45, rnd)).change())
        .isEqualTo(ConceptClusters.Change.CREATED);
    c.clean();
    // p (e1 + 0.1 e4) is nearer b0 (0.93 against 0.89 to a0); b's centroid e1 + 0.275 e4 is then at 0.87 to a0's:
    // they merge, into a (founded earlier), b is dropped
    final ConceptClusters.Assignment p = c.add("p", DAY20 + 2 * HOUR, point(1, 4, 0.1, rnd));
    assertThat(p.change()).isEqualTo(ConceptClusters.Change.JOINED);
    assertThat(c.clusters()).singleElement().isSameAs(p.cluster());
    assertThat(p.cluster().id()).isEqualTo(MicroCluster.id("k", "a0"));
    assertThat(p.cluster().size()).isEqualTo(3);
    assertThat(c.removed()).containsExactly(MicroCluster.id("k", "b0"));
    assertThat(c.dirty()).containsExactly(MicroCluster.id("k", "a0"));
    // nine more of the kind, an hour apart: 12 members within 11 h, counting b0 and p, make it a concept now
    ConceptClusters.Assignment last = null;
    for (int i = 3; i < 12; i++) {
      last = c.add("m" + i, DAY20 + i * HOUR, point(1, 5, 0, rnd));
      assertThat(last.change()).isEqualTo(i < 11 ? ConceptClusters.Change.JOINED : ConceptClusters.Change.EMERGED);
    }
    final MicroCluster concept = last.cluster();
    assertThat(concept.id()).isEqualTo(MicroCluster.id("k", "a0"));
    assertThat(concept.size()).isEqualTo(12);
    assertThat(concept.emergedAt()).isEqualTo(DAY20 + 11 * HOUR);
    assertThat(concept.firstSeen()).isEqualTo(DAY20);
    assertThat(concept.lastSeen()).isEqualTo(DAY20 + 11 * HOUR);
    // the centroid is the mean of all 12 members (a size-weighted merge): 0.45 / 12 on e3, 0.55 / 12 on e4
    final float[] centroid = concept.centroid();
    assertThat(centroid[3]).isCloseTo(0.45f / 12, within(0.003f));
    assertThat(centroid[4]).isCloseTo(0.55f / 12, within(0.003f));
    assertThat(centroid[1]).isCloseTo(1f, within(0.003f));
    final long[] hours = concept.hours();
    for (int h = 0; h < 24; h++) {
      assertThat(hours[h]).as("members at hour %d", h).isEqualTo(h < 12 ? 1 : 0);
    }
    assertThat(concept.daily()).containsExactly(java.util.Map.entry(Math.floorDiv(DAY20, 86_400_000L), 12L));
    assertThat(concept.exemplars()).hasSize(5);
  }

  @Test
  void mergesCascadeWhileTheMergedCentroidMeetsAnother() {
    final ConceptClusters c = new ConceptClusters("k", ConceptParams.DEFAULTS, T0, List.of());
    final SplittableRandom rnd = new SplittableRandom(12);
    c.add("a0", DAY20 + 2 * HOUR, point(1, 3, 0.45, rnd));
    c.add("b0", DAY20, point(1, 4, 0.45, rnd));
    c.add("c0", DAY20 + HOUR, point(1, 5, 0.45, rnd));
    assertThat(c.clusters()).hasSize(3);
    // e1 alone is at 0.91 to each; the cluster it joins then meets the next, and the two together the third
    final ConceptClusters.Assignment p = c.add("p", DAY20 + 3 * HOUR, point(1, 6, 0, rnd));
    assertThat(c.clusters()).singleElement().isSameAs(p.cluster());
    assertThat(p.cluster().size()).isEqualTo(4);
    // the survivor is the cluster seen first in event time, whichever the sketch joined
    assertThat(p.cluster().id()).isEqualTo(MicroCluster.id("k", "b0"));
    assertThat(p.cluster().firstSeen()).isEqualTo(DAY20);
    assertThat(p.cluster().recentTimes())
        .containsExactly(DAY20, DAY20 + HOUR, DAY20 + 2 * HOUR, DAY20 + 3 * HOUR);
  }

  @Test
  void aFormingClusterNearTheBaselineIsNotAbsorbedByIt() {
    final ConceptClusters c = new ConceptClusters("k", ConceptParams.DEFAULTS, T0, List.of());
    final SplittableRandom rnd = new SplittableRandom(13);
    long t = T0;
    for (int i = 0; i < 15 * 24; i++, t += HOUR) { // the baseline: e1, born in the warm-up
      c.add("base" + i, t, point(1, 7, 0, rnd));
    }
    final MicroCluster baseline = c.clusters().iterator().next();
    assertThat(baseline.state()).isEqualTo(ConceptState.BASELINE);
    // a satellite at e1 + 0.8 e3 (0.78 to the baseline), pulled towards it by members at e1 + 0.5 e3 (nearer the
    // satellite: 0.98 against 0.89) until its centroid, e1 + 0.6 e3, is at 0.86 to the baseline's
    c.add("s0", t, point(1, 3, 0.8, rnd));
    c.add("s1", t + HOUR, point(1, 3, 0.5, rnd));
    c.add("s2", t + 2 * HOUR, point(1, 3, 0.5, rnd));
    assertThat(c.clusters()).hasSize(2);
    assertThat(c.cluster(MicroCluster.id("k", "s0")).size()).isEqualTo(3);
    assertThat(baseline.size()).isEqualTo(15 * 24);
  }
}
