package dev.rsk.sketch;

import dev.rsk.sketch.DecodedInference.Method;
import dev.rsk.sketch.DecodedInference.ModuleCount;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The answer when there is no structure to fit: {@link SketchDecoder#recoverStructure} (greedy,
 * section 3 of recursive-sketch.md) turned into a {@link DecodedInference} marked {@link
 * Method#GREEDY_FALLBACK}. A node's count is its unrolled presence over {@code beta^depth}; a module's
 * count (and total) its root presence over {@code alpha^depth} at the depth the recovered tree gives
 * it (-1 and the raw presence when it has none). Standard errors are those of single readouts ({@link
 * Sketch#readoutStdError()} scaled the same way); they ignore crosstalk, so they are optimistic when
 * a few heavy modules dominate the sketch. Stateless.
 */
final class GreedyFallback {
  private GreedyFallback() {}

  static DecodedInference read(final SketchDecoder dec, final Sketch s, final StructureCatalogue catalogue) {
    final SketchSpec spec = dec.spec();
    final double se = s.readoutStdError();
    final RecoveredNode root = dec.recoverStructure(s, catalogue);
    final Map<String, Integer> depths = root.moduleDepths();
    final List<ModuleCount> modules = new ArrayList<>();
    final List<ModuleCount> totals = new ArrayList<>();
    for (final String m : catalogue.attributeLengths().keySet()) {
      final Integer depth = depths.get(m);
      final double scale = depth == null ? 1 : Math.pow(spec.alpha(), depth);
      modules.add(new ModuleCount(m, depth == null ? -1 : depth, dec.presence(s, m) / scale, se / scale));
      totals.add(new ModuleCount(m, -1, dec.presence(s, m) / scale, se / scale));
    }
    final DecodedNode tree = node(root, se, spec.beta());
    return new DecodedInference(Method.GREEDY_FALLBACK, s.length(), 0, se / Math.sqrt(2), modules, totals,
        tree == null ? List.of() : List.of(tree));
  }

  private static DecodedNode node(final RecoveredNode n, final double se, final double beta) {
    final int depth = n.tagPath().size();
    final double scale = Math.pow(beta, depth);
    final double[] x = n.meanAttributes();
    final double[] xse = new double[x.length];
    for (int j = 0; j < x.length; j++) {
      xse[j] = se * Math.sqrt(1 + x[j] * x[j]) / Math.abs(n.presence());
    }
    final List<DecodedNode> children = new ArrayList<>();
    n.childrenBySlot().values().forEach(list -> list.forEach(c -> children.add(node(c, se, beta))));
    return new DecodedNode(n.module(), n.tagPath(), depth, n.presence() / scale, se / scale, x, xse, children);
  }
}
