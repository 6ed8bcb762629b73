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
 * sigma^2 G^{-1}}, the delta method for the ratios); module counts per depth summed over positions,
 * their variance summed over the covariance block; positions left out of a sparse fit read from the
 * residual ({@code a^T r / a^T a} on their presence column, variance {@code sigma^2 / a^T a}) so that
 * no object is silently dropped from a count. Stateless.
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
    final double s2 = fit.sigma * fit.sigma;
    final Map<Group, double[]> groups = new TreeMap<>();
    final Map<Group, List<Integer>> fittedCols = new TreeMap<>();
    for (int q = 0; q < n; q++) {
      final Group g = new Group(st.module[q], st.depth[q]);
      final double[] acc = groups.computeIfAbsent(g, x -> new double[2]);
      if (at[q] >= 0) {
        final int c = fit.offset[at[q]];
        acc[0] += SQRT2 * fit.z[c];
        fittedCols.computeIfAbsent(g, x -> new ArrayList<>()).add(c);
      } else {
        final float[] a = cols[st.col0[q]];
        final double aa = VectorOps.normSquared(a, fit.m);
        acc[0] += SQRT2 * VectorOps.dot(a, fit.residual, fit.m) / aa;
        acc[1] += 2 * s2 / aa;
      }
    }
    final List<ModuleCount> modules = new ArrayList<>(groups.size());
    for (final Map.Entry<Group, double[]> e : groups.entrySet()) {
      double var = e.getValue()[1];
      final List<Integer> cs = fittedCols.getOrDefault(e.getKey(), List.of());
      for (final int i : cs) {
        for (final int j : cs) {
          var += 2 * s2 * fit.inv(i, j);
        }
      }
      modules.add(new ModuleCount(e.getKey().module(), e.getKey().depth(), e.getValue()[0], Math.sqrt(var)));
    }
    final List<DecodedNode> roots = new ArrayList<>();
    for (int q = 0; q < n; q++) {
      if (st.parent[q] < 0) {
        final DecodedNode node = node(st, fit, at, q);
        if (node != null) {
          roots.add(node);
        }
      }
    }
    return new DecodedInference(method, fit.m, fit.p, fit.sigma, modules, roots);
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
    final double[] x = new double[k];
    final double[] xse = new double[k];
    for (int j = 0; j < k; j++) {
      final int cj = c + 1 + j;
      x[j] = fit.z[cj] / z0;
      final double v = fit.inv(cj, cj) - 2 * x[j] * fit.inv(cj, c) + x[j] * x[j] * fit.inv(c, c);
      xse[j] = Math.sqrt(s2 * Math.max(v, 0)) / Math.abs(z0);
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
