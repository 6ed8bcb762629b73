package dev.rsk.stats.query.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The prior of a decoded path, fitted by EM, recovers the share of inferences that had it. */
class PriorFitTest {

  /** One branch, presence z ~ N(m, 1) when present, N(0, 1) when not: log L = z m - m^2 / 2. */
  private static double[] mixture(final double share, final double m, final int n, final long seed) {
    final Random random = new Random(seed);
    final double[] logRatio = new double[n];
    for (int i = 0; i < n; i++) {
      final double z = random.nextGaussian() + (random.nextDouble() < share ? m : 0.0);
      logRatio[i] = z * m - m * m / 2;
    }
    return logRatio;
  }

  private static double prior(final double[] logRatios, final int n) {
    return 1.0 / (1.0 + Math.exp(-PriorFit.logitPrior(logRatios, n)));
  }

  @Test
  void recoversTheShareOfInferencesThatHadThePath() {
    // 5,000 inferences: the share's own sampling error is below 0.006; 0.02 is about 3.5 of them
    assertThat(prior(mixture(0.8, 3.0, 5_000, 1L), 5_000)).isCloseTo(0.8, within(0.02));
    assertThat(prior(mixture(0.05, 3.0, 5_000, 2L), 5_000)).isCloseTo(0.05, within(0.02));
    assertThat(prior(mixture(0.5, 4.0, 5_000, 3L), 5_000)).isCloseTo(0.5, within(0.02));
  }

  @Test
  void readsOnlyTheFirstNRatiosAndHoldsThePriorOffZeroAndOne() {
    final double[] logRatio = {40, 40, 40, -40, -40};
    // the first three: all clearly present, the prior goes to its ceiling, not to 1 (a logit of infinity)
    assertThat(prior(logRatio, 3)).isCloseTo(1 - PriorFit.FLOOR, within(1e-9));
    assertThat(PriorFit.logitPrior(logRatio, 3)).isFinite();
    assertThat(prior(new double[] {-40, -40}, 2)).isCloseTo(PriorFit.FLOOR, within(1e-9));
    assertThat(prior(logRatio, 5)).isCloseTo(0.6, within(1e-6));
    // nothing decoded: even odds
    assertThat(PriorFit.logitPrior(new double[0], 0)).isZero();
    // a path never found (L = 0) counts as clearly absent
    assertThat(prior(new double[] {Double.NEGATIVE_INFINITY, 40}, 2)).isCloseTo(0.5, within(1e-6));
  }
}
