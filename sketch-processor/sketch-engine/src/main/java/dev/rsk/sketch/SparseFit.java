package dev.rsk.sketch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Orthogonal matching pursuit over the positions of a {@link JointStructure}, tree first: start from
 * the root positions; each round scores the children of the positions already fitted by the
 * presence column's correlation with the residual, in noise deviations ({@code a_0^T r / (sigma
 * ||a_0||)}), adds those at or above {@value #SELECT_Z} (strongest first) within the column budget,
 * and refits them all jointly. Stops when a round adds nothing, after {@value #MAX_ROUNDS} rounds, or
 * at the budget. For sketches whose structure has more columns than the sketch has rows to fit.
 * Stateless.
 */
final class SparseFit {
  /** Noise deviations for a position to enter the fit. */
  static final double SELECT_Z = 3.0;
  /** Rounds of selection. */
  static final int MAX_ROUNDS = 8;

  private SparseFit() {}

  static PositionFit fit(final JointStructure st, final float[][] cols, final float[] s, final int budget) {
    final int m = s.length;
    final Set<Integer> selected = new LinkedHashSet<>();
    int used = 0;
    for (int q = 0; q < st.size() && st.parent[q] < 0; q++) {
      if (used + st.k[q] + 1 <= budget) {
        selected.add(q);
        used += st.k[q] + 1;
      }
    }
    PositionFit fit = refit(st, cols, s, selected, false);
    for (int round = 0; round < MAX_ROUNDS; round++) {
      final List<double[]> found = new ArrayList<>();
      for (final int q : selected) {
        for (final int c : st.children[q]) {
          if (selected.contains(c)) {
            continue;
          }
          final float[] a = cols[st.col0[c]];
          final double t = VectorOps.dot(a, fit.residual, m)
              / (fit.sigma * Math.sqrt(VectorOps.normSquared(a, m)));
          if (t >= SELECT_Z) {
            found.add(new double[] {c, t});
          }
        }
      }
      found.sort(Comparator.comparingDouble((double[] x) -> x[1]).reversed());
      int added = 0;
      for (final double[] f : found) {
        final int c = (int) f[0];
        if (used + st.k[c] + 1 <= budget && selected.add(c)) {
          used += st.k[c] + 1;
          added++;
        }
      }
      if (added == 0) {
        break;
      }
      fit = refit(st, cols, s, selected, false);
    }
    return refit(st, cols, s, selected, true);
  }

  private static PositionFit refit(final JointStructure st, final float[][] cols, final float[] s,
      final Set<Integer> selected, final boolean inverse) {
    final int[] pos = selected.stream().mapToInt(Integer::intValue).toArray();
    final GramFactor f = GramFactor.of(cols, PositionFit.columnsOf(st, pos), s.length);
    return PositionFit.fit(st, cols, s, pos, f, null, inverse);
  }
}
