package dev.rsk.stats.query.lang;

/**
 * The prior probability that a decoded path is in an inference, fitted by EM over the log likelihood ratios of
 * the inferences a scan decoded for it: {@code pi = mean_i P_i} with {@code P_i = pi L_i / (pi L_i + 1 - pi)},
 * iterated from 1/2 to a fixed point. The prior must be fitted: a fixed 1/2 held the truth within two errors
 * in 1% of simulated queries where 95% of the inferences had the path (docs/queries.md, known limit (1)).
 * Few inferences give a noisy prior; the result is held in [{@value #FLOOR}, 1 - {@value #FLOOR}].
 */
final class PriorFit {

  static final double FLOOR = 1e-4;
  static final int MAX_ITERATIONS = 200;
  static final double TOLERANCE = 1e-7;

  private PriorFit() {}

  /** The log odds {@code log(pi / (1 - pi))} of the prior fitted to the first {@code n} log ratios. */
  static double logitPrior(final double[] logRatios, final int n) {
    if (n == 0) {
      return 0.0;
    }
    double pi = 0.5;
    for (int it = 0; it < MAX_ITERATIONS; it++) {
      final double logit = Math.log(pi / (1.0 - pi));
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += 1.0 / (1.0 + Math.exp(-(logRatios[i] + logit)));
      }
      final double next = Math.min(1.0 - FLOOR, Math.max(FLOOR, sum / n));
      final boolean done = Math.abs(next - pi) < TOLERANCE;
      pi = next;
      if (done) {
        break;
      }
    }
    return Math.log(pi / (1.0 - pi));
  }
}
