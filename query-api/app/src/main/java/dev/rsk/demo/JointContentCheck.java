package dev.rsk.demo;

import dev.rsk.api.model.InferenceResponse;
import dev.rsk.sim.InferenceContent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * "What did inference X contain?" read by the joint decoder over the learned network ({@code decoded} of
 * {@code GET /v1/inferences/{id}}). Two bounds, both must hold:
 * <ul>
 *   <li>fixed ones, which do not come from the API: every module's count at every depth the network
 *       allows within {@link #COUNT_TOLERANCE} objects of the truth (0 where the module is absent at that
 *       depth: a count that rounds to the right integer), and the focus module's mean attributes (values
 *       in [0, 1]) within {@link #ATTRIBUTE_TOLERANCE} of theirs when it sits at one position. A decoder
 *       that is wrong misses them (issue 11: a plain readout read confidence 0.136 against 0.747);</li>
 *   <li>the stated error bars: each within {@link #SIGMAS} of its own standard error, so bars that
 *       understate the error fail. A floor of {@link #STORAGE_FLOOR} (relative, at least absolute 1e-3)
 *       stands for storage rounding when the fit is exact. That the bars are not too wide either is
 *       checked over many values by the erasure curve ({@link ErasureCurve}: 90% to 99% within 2 SE).</li>
 * </ul>
 */
final class JointContentCheck {
  /** Standard errors allowed. */
  static final double SIGMAS = 3.0;
  /** Relative float32 storage floor of an exact fit. */
  static final double STORAGE_FLOOR = 1e-3;
  /** Objects a decoded count may be off by (whatever its stated error): it must round to the truth. */
  static final double COUNT_TOLERANCE = 0.25;
  /** Absolute error allowed on a mean attribute (the simulator's attributes lie in [0, 1]). */
  static final double ATTRIBUTE_TOLERANCE = 0.05;

  private JointContentCheck() {}

  static Check check(final InferenceContent truth, final InferenceResponse.Decoded decoded, final String focusModule,
      final List<String> focusAttributeNames) {
    final List<String> rows = new ArrayList<>();
    rows.add(String.format("joint decoding (%s), every module at every depth the learned network allows:",
        decoded.method()));
    rows.add(String.format("%-10s %5s %20s %6s", "module", "depth", "API count +- SE", "truth"));
    boolean ok = true;
    final Map<String, Integer> modelled = new TreeMap<>();
    for (final InferenceResponse.DepthCount c : decoded.counts()) {
      final InferenceContent.ModuleContent t = truth.modules().get(c.module());
      final int expected = t != null && t.depth() == c.depth() ? t.count() : 0;
      if (t != null && t.depth() == c.depth()) {
        modelled.put(c.module(), c.depth());
      }
      final double error = Math.abs(c.count() - expected);
      final boolean good = error <= COUNT_TOLERANCE && error <= allowed(c.countStdError(), expected);
      ok &= good;
      if (expected != 0 || Math.abs(c.count()) >= 0.5 || !good) {
        rows.add(String.format("%-10s %5d %12.3f +- %5.3f %6d %s", c.module(), c.depth(), c.count(), c.countStdError(),
            expected, good ? "" : "<-- outside tolerance"));
      }
    }
    for (final Map.Entry<String, InferenceContent.ModuleContent> t : truth.modules().entrySet()) {
      if (!modelled.containsKey(t.getKey())) {
        ok = false;
        rows.add(String.format("%-10s %5d %20s %6d <-- not among the network's positions", t.getKey(),
            t.getValue().depth(), "-", t.getValue().count()));
      }
    }
    ok &= focus(truth, decoded, focusModule, focusAttributeNames, rows);
    return new Check("What did inference " + truth.inferenceId() + " (" + truth.eventTime() + ") contain?"
        + " (joint decoding)",
        modelled.size() + " modules placed at their true depths", truth.modules().size() + " modules",
        String.format("each count within %.2f objects and %s attributes within %.2f, each also within %.0f of its "
            + "standard errors (floor %.0e relative for storage rounding)", COUNT_TOLERANCE, focusModule,
            ATTRIBUTE_TOLERANCE, SIGMAS, STORAGE_FLOOR), ok, rows);
  }

  private static boolean focus(final InferenceContent truth, final InferenceResponse.Decoded decoded,
      final String module, final List<String> names, final List<String> rows) {
    final List<InferenceResponse.TreeNode> nodes = new ArrayList<>();
    decoded.tree().forEach(n -> collect(n, module, nodes));
    final InferenceContent.ModuleContent t = truth.modules().get(module);
    if (t == null || nodes.size() != 1 || t.meanAttributes() == null) {
      rows.add(String.format("%s attributes: not compared (%d decoded positions)", module, nodes.size()));
      return true;
    }
    final InferenceResponse.TreeNode n = nodes.get(0);
    boolean ok = true;
    rows.add(String.format("%s attributes (each within %.2f and %.0f standard errors):", module, ATTRIBUTE_TOLERANCE,
        SIGMAS));
    for (int j = 0; j < t.meanAttributes().length && j < n.meanAttributes().length; j++) {
      final double truthValue = t.meanAttributes()[j];
      final double error = Math.abs(n.meanAttributes()[j] - truthValue);
      final boolean good = error <= ATTRIBUTE_TOLERANCE && error <= allowed(n.meanAttributeStdErrors()[j], truthValue);
      ok &= good;
      rows.add(String.format("  %-11s API %7.3f +- %.3f  truth %7.3f %s", j < names.size() ? names.get(j) : "x" + j,
          n.meanAttributes()[j], n.meanAttributeStdErrors()[j], truthValue, good ? "" : "<-- outside tolerance"));
    }
    return ok;
  }

  private static double allowed(final double stdError, final double truth) {
    return Math.max(SIGMAS * stdError, STORAGE_FLOOR * Math.max(1.0, Math.abs(truth)));
  }

  private static void collect(final InferenceResponse.TreeNode n, final String module,
      final List<InferenceResponse.TreeNode> out) {
    if (n.module().equals(module)) {
      out.add(n);
    }
    n.children().forEach(c -> collect(c, module, out));
  }
}
