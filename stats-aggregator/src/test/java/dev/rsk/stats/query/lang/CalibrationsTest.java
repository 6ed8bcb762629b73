package dev.rsk.stats.query.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A scan's calibrated decisions: one-way misses become drift (bias), not spread. */
class CalibrationsTest {

  private static final Path RIDER = new Path(List.of("person", "bicycle"), 0);
  /** A path clearly there (40 errors where 4 are expected), and one not found along any slot. */
  private static final PathEvidence THERE = new PathEvidence(new double[] {40}, new double[] {4}, new double[] {1});
  private static final PathEvidence NONE = new PathEvidence(new double[0], new double[] {4}, new double[] {1});

  private static Truth decided(final Path path, final PathEvidence e, final boolean value, final double a,
      final double b) {
    return new Truth(value, 0.5, false, false, new Truth.Calibration(path, e, a, b));
  }

  @Test
  void decisionsThatMissAPathClearlyThereAddUpAsDrift() {
    final Calibrations c = new Calibrations();
    for (int i = 0; i < 3; i++) {
      c.add(decided(RIDER, THERE, false, 0, 1)); // missed: the sketch says it is there
    }
    c.add(decided(RIDER, NONE, false, 0, 1));
    c.add(decided(RIDER, THERE, true, 0, 1));
    final Calibrations.Errors e = c.errors();
    // P = 1, 1, 1, 0, 1: no spread, and the three misses one way: the count is 3 short
    assertThat(e.spread()).isCloseTo(0.0, within(1e-6));
    assertThat(e.bias()).isCloseTo(3.0, within(1e-6));
  }

  @Test
  void aNegatedPathTakesOneMinusItsProbability() {
    final Calibrations c = new Calibrations();
    c.add(decided(RIDER, THERE, false, 1, -1)); // !rider, the rider there: p = 0, decided false: right
    c.add(decided(RIDER, THERE, true, 1, -1)); // the same decided true: wrong by 1
    c.add(decided(RIDER, NONE, true, 1, -1)); // !rider with no rider: p = 1, true: right
    final Calibrations.Errors e = c.errors();
    assertThat(e.spread()).isCloseTo(0.0, within(1e-6));
    assertThat(e.bias()).isCloseTo(-1.0, within(1e-6));
  }

  @Test
  void undecidedInferencesAddTheirSpread() {
    // half the inferences have the path at its mass (z = 4 of 4), half not found, and 4 in between (z = 2: log L
    // near 0, so their probability is near the fitted prior, about 1/2)
    final PathEvidence atMass = new PathEvidence(new double[] {4}, new double[] {4}, new double[] {1});
    final PathEvidence between = new PathEvidence(new double[] {2}, new double[] {4}, new double[] {1});
    final Calibrations c = new Calibrations();
    final java.util.List<PathEvidence> all = new java.util.ArrayList<>();
    for (int i = 0; i < 50; i++) {
      c.add(decided(RIDER, atMass, true, 0, 1));
      c.add(decided(RIDER, NONE, false, 0, 1));
      all.add(atMass);
      all.add(NONE);
    }
    for (int i = 0; i < 4; i++) {
      c.add(decided(RIDER, between, false, 0, 1));
      all.add(between);
    }
    // the probabilities from the fit (PriorFitTest checks it); here, that each decision adds its share
    final PriorFit.Fit fit = PriorFit.fit(all);
    final double p = fit.probability(between);
    final double q = fit.probability(atMass);
    assertThat(p).isBetween(0.3, 0.7);
    final Calibrations.Errors e = c.errors();
    assertThat(e.spread()).isCloseTo(50 * q * (1 - q) + 4 * p * (1 - p), within(1e-9));
    assertThat(e.bias()).isCloseTo(50 * (q - 1) + 4 * p, within(1e-9));
  }
}
