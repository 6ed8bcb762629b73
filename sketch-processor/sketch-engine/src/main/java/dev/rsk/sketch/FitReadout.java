package dev.rsk.sketch;

import dev.rsk.sketch.DecodedInference.Method;
import dev.rsk.sketch.DecodedInference.ModuleCount;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a {@link PositionFit} into a {@link DecodedInference}: node counts {@code sqrt(2) z_0} and
 * mean attributes {@code z_j / z_0} of fitted positions with their standard errors (from {@code
 * sigma^2 G^{-1}}, the delta method for the ratios, to second order in the count's relative error); module counts per
 * depth summed over positions, their variance summed over the covariance block; positions left out of a sparse fit
 * count through their (module, depth) aggregate column (its coefficient times the number of positions it stands
 * for), so that no object is silently dropped from a count. Stateless.
 */
final class FitReadout {
  private static final double SQRT2 = Math.sqrt(2.0);

  private FitReadout() {}

  private record Group(String module, int depth) implements Comparable<Group> {
    @Override
    public int compareTo(final Group o) {
      final int c = module.compareTo(o.module);
      return c != 0 ? c : Integer.compare(depth, o.depth);
    }
  }

  static DecodedInference read(final Method method, final JointStructure st, final float[][] cols,
      final PositionFit fit) {
    final int n = st.size();
    final int[] at = new int[n];
    Arrays.fill(at, -1);
    for (int i = 0; i < fit.positions.length; i++) {
      at[fit.positions[i]] = i;
    }
    final List<ModuleCount> modules = counts(st, fit, at, true);
    final List<ModuleCount> totals = counts(st, fit, at, false);
    final List<DecodedNode> roots = new ArrayList<>();
    for (int q = 0; q < n; q++) {
      if (st.parent[q] < 0) {
        final DecodedNode node = node(st, fit, at, q);
        if (node != null) {
          roots.add(node);
        }
      }
    }
    return new DecodedInference(method, fit.m, fit.p, fit.sigma, modules, totals, roots);
  }

  /**
   * Counts per (module, depth), or per module over every depth ({@code byDepth} false, depth -1): the
   * fit's columns weighted into each count, its variance {@code sigma^2 w^T G^{-1} w}.
   */
  private static List<ModuleCount> counts(final JointStructure st, final PositionFit fit, final int[] at,
      final boolean byDepth) {
    final Map<Group, Map<Integer, Double>> weights = new TreeMap<>();
    for (int q = 0; q < st.size(); q++) {
      final Map<Integer, Double> w =
          weights.computeIfAbsent(new Group(st.module[q], byDepth ? st.depth[q] : -1), x -> new TreeMap<>());
      if (at[q] >= 0) {
        w.put(fit.offset[at[q]], SQRT2);
      }
    }
    for (final PositionFit.Aggregate agg : fit.aggregates) {
      weights.get(new Group(agg.module(), byDepth ? agg.depth() : -1)).put(agg.column(), SQRT2 * agg.members().length);
    }
    final double s2 = fit.sigma * fit.sigma;
    final List<ModuleCount> out = new ArrayList<>(weights.size());
    for (final Map.Entry<Group, Map<Integer, Double>> e : weights.entrySet()) {
      double count = 0;
      double var = 0;
      for (final Map.Entry<Integer, Double> i : e.getValue().entrySet()) {
        count += i.getValue() * fit.z[i.getKey()];
        for (final Map.Entry<Integer, Double> j : e.getValue().entrySet()) {
          var += i.getValue() * j.getValue() * fit.inv(i.getKey(), j.getKey());
        }
      }
      out.add(new ModuleCount(e.getKey().module(), e.getKey().depth(), count, Math.sqrt(s2 * Math.max(var, 0))));
    }
    return out;
  }

  /** The node of position q and its reported subtree, or null if q fails the significance test. */
  private static DecodedNode node(final JointStructure st, final PositionFit fit, final int[] at, final int q) {
    if (at[q] < 0) {
      return null;
    }
    final int c = fit.offset[at[q]];
    final double s2 = fit.sigma * fit.sigma;
    final double z0 = fit.z[c];
    final double count = SQRT2 * z0;
    final double se = SQRT2 * Math.sqrt(s2 * fit.inv(c, c));
    if (!significant(count, se)) {
      return null;
    }
    final int k = st.k[q];
    // second-order delta method: E[1 / z0^2] = (1 + 3 cv^2) / z0^2 for z0 with coefficient of variation cv;
    // nodes reported near 4 standard errors (cv 0.25) have ratios with wider tails than first order says
    final double cv2 = s2 * fit.inv(c, c) / (z0 * z0);
    final double ratioInflation = 1 + 3 * cv2;
    final double[] x = new double[k];
    final double[] xse = new double[k];
    for (int j = 0; j < k; j++) {
      final int cj = c + 1 + j;
      x[j] = fit.z[cj] / z0;
      final double v = fit.inv(cj, cj) - 2 * x[j] * fit.inv(cj, c) + x[j] * x[j] * fit.inv(c, c);
      xse[j] = Math.sqrt(s2 * Math.max(v, 0) * ratioInflation) / Math.abs(z0);
    }
    final List<DecodedNode> children = new ArrayList<>();
    for (final int child : st.children[q]) {
      final DecodedNode node = node(st, fit, at, child);
      if (node != null) {
        children.add(node);
      }
    }
    return new DecodedNode(st.module[q], st.tagPath(q), st.depth[q], count, se, x, xse, children);
  }

  /** The node test of {@link DecodedNode}. */
  static boolean significant(final double count, final double se) {
    return count >= JointDecoder.SIGNIFICANCE_Z * se && count >= JointDecoder.MIN_NODE_COUNT;
  }
}
