package dev.rsk.stats.query.lang;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The decisions of one scan that rest on one decoded path (and exact terms), kept until the scan ends: then
 * each path's prior is fitted over its inferences ({@link PriorFit}), each decision gets its calibrated
 * probability {@code p}, and the decisions add {@code p (1 - p)} to the spread of the count and {@code p -
 * decision} to its bias. The count's error is {@code sqrt(spread + bias^2)}: a root mean square error, which
 * covers the one-way drift of decisions near the threshold (docs/queries.md, known limit (1)). Keeps 25 bytes per
 * decision. Not thread-safe: one per scan.
 */
final class Calibrations {

  /** One path's decisions. */
  private static final class Term {
    private double[] logRatio = new double[16];
    private double[] a = new double[16];
    private double[] b = new double[16];
    private boolean[] value = new boolean[16];
    private int n;

    void add(final Truth.Calibration c, final boolean decision) {
      if (n == logRatio.length) {
        logRatio = Arrays.copyOf(logRatio, 2 * n);
        a = Arrays.copyOf(a, 2 * n);
        b = Arrays.copyOf(b, 2 * n);
        value = Arrays.copyOf(value, 2 * n);
      }
      logRatio[n] = c.logRatio();
      a[n] = c.a();
      b[n] = c.b();
      value[n] = decision;
      n++;
    }
  }

  /** The spread (sum of {@code p (1 - p)}) and the bias (sum of {@code p - decision}) of the decisions. */
  record Errors(double spread, double bias) {}

  private final Map<List<String>, Term> terms = new HashMap<>();

  void add(final Truth t) {
    terms.computeIfAbsent(t.calibration().term().modules(), k -> new Term()).add(t.calibration(), t.value());
  }

  Errors errors() {
    double spread = 0;
    double bias = 0;
    for (final Term t : terms.values()) {
      final double logitPrior = PriorFit.logitPrior(t.logRatio, t.n);
      for (int i = 0; i < t.n; i++) {
        final double p = new Truth.Calibration(null, t.logRatio[i], t.a[i], t.b[i]).probability(logitPrior);
        spread += p * (1.0 - p);
        bias += p - (t.value[i] ? 1.0 : 0.0);
      }
    }
    return new Errors(spread, bias);
  }
}
