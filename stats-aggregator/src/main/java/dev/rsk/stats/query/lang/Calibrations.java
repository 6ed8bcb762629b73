package dev.rsk.stats.query.lang;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The decisions of one scan that rest on one decoded path (and exact terms), kept until the scan ends: then
 * each path's prior and mass scale are fitted over its inferences ({@link PriorFit}), each decision gets its
 * calibrated probability {@code p}, and the decisions add {@code p (1 - p)} to the spread of the count and
 * {@code p - decision} to its bias. The count's error is {@code sqrt(spread + bias^2)}: a root mean square error, which
 * covers the one-way drift of decisions near the threshold (docs/queries.md, known limit (1)). Keeps each
 * decision's branch presences until the scan ends (about 150 bytes for 8 branches). Not thread-safe: one per
 * scan.
 */
final class Calibrations {

  /** One path's decisions. */
  private static final class Term {
    private final List<Truth.Calibration> calibrations = new ArrayList<>();
    private final List<Boolean> decisions = new ArrayList<>();

    void add(final Truth.Calibration c, final boolean decision) {
      calibrations.add(c);
      decisions.add(decision);
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
      final PriorFit.Fit fit = PriorFit.fit(t.calibrations.stream().map(Truth.Calibration::evidence).toList());
      for (int i = 0; i < t.calibrations.size(); i++) {
        final double p = t.calibrations.get(i).probability(fit);
        spread += p * (1.0 - p);
        bias += p - (t.decisions.get(i) ? 1.0 : 0.0);
      }
    }
    return new Errors(spread, bias);
  }
}
