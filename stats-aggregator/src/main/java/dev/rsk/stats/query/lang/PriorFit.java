package dev.rsk.stats.query.lang;

import java.util.ArrayList;
import java.util.List;

/**
 * The prior probability that a decoded path is in an inference, and the scale of its mass ({@link
 * PathEvidence}), fitted by EM over the inferences a scan decoded for it: from {@code pi = 1/2, kappa = 1},
 * {@code P_i = pi L_i / (pi L_i + 1 - pi)}, then {@code pi = mean P_i} and {@code kappa} the maximum-likelihood
 * scale of the present component ({@code sum P_i E[z m] / sum P_i E[m^2]}), to a fixed point or {@value
 * #MAX_ITERATIONS} rounds. The prior must be fitted: a fixed 1/2 held the truth within two errors in 1% of
 * simulated queries where 95% of the inferences had the path; the scale absorbs the fixed cross-talk of a spec
 * (docs/queries.md, known limit (1)). Few inferences give a noisy fit, so wider errors; the prior is held in
 * [{@value #FLOOR}, 1 - {@value #FLOOR}] and the scale in [{@value #KAPPA_MIN}, {@value #KAPPA_MAX}]. Over more
 * than {@value #SAMPLE} inferences it fits every k-th (the EM rounds, not the final probabilities, are what cost).
 */
final class PriorFit {

  static final double FLOOR = 1e-4;
  static final double KAPPA_MIN = 0.1;
  static final double KAPPA_MAX = 2.0;
  static final int MAX_ITERATIONS = 100;
  static final double TOLERANCE = 1e-4;
  /** The fit reads at most this many inferences, evenly spread over the scan's (a year decodes tens of thousands). */
  static final int SAMPLE = 2_000;

  /**
   * The fit.
   *
   * @param logitPrior {@code log(pi / (1 - pi))}
   * @param kappa the scale of the path's mass
   */
  record Fit(double logitPrior, double kappa) {

    /** The probability that the path is in the inference of {@code e}. */
    double probability(final PathEvidence e) {
      return posterior(e.logRatio(kappa), logitPrior);
    }
  }

  /** {@code pi L / (pi L + 1 - pi)} from {@code log L} and {@code log(pi / (1 - pi))}. */
  private static double posterior(final double logRatio, final double logitPrior) {
    return 1.0 / (1.0 + Math.exp(-(logRatio + logitPrior)));
  }

  private PriorFit() {}

  /** The fit to {@code evidence}; even odds and scale 1 when it is empty. */
  static Fit fit(final List<PathEvidence> evidence) {
    double pi = 0.5;
    double kappa = 1.0;
    if (evidence.isEmpty()) {
      return new Fit(0.0, kappa);
    }
    final int step = (evidence.size() + SAMPLE - 1) / SAMPLE;
    final List<PathEvidence> sample = new ArrayList<>();
    for (int i = 0; i < evidence.size(); i += step) {
      sample.add(evidence.get(i));
    }
    for (int it = 0; it < MAX_ITERATIONS; it++) {
      final double logit = Math.log(pi / (1.0 - pi));
      double sum = 0;
      double zm = 0;
      double mm = 0;
      for (final PathEvidence e : sample) {
        final double[] terms = e.emTerms(kappa);
        final double p = posterior(terms[0], logit);
        sum += p;
        zm += p * terms[1];
        mm += p * terms[2];
      }
      final double nextPi = Math.min(1.0 - FLOOR, Math.max(FLOOR, sum / sample.size()));
      final double nextKappa = mm > 0 ? Math.min(KAPPA_MAX, Math.max(KAPPA_MIN, zm / mm)) : kappa;
      final boolean done = Math.abs(nextPi - pi) < TOLERANCE && Math.abs(nextKappa - kappa) < TOLERANCE;
      pi = nextPi;
      kappa = nextKappa;
      if (done) {
        break;
      }
    }
    return new Fit(Math.log(pi / (1.0 - pi)), kappa);
  }
}
