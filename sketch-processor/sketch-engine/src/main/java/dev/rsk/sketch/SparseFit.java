package dev.rsk.sketch;

import dev.rsk.sketch.PositionFit.Aggregate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Orthogonal matching pursuit over the positions of a {@link JointStructure}, tree first, for
 * structures with more columns than the sketch has rows to fit. The positions not (yet) fitted are
 * always in the fit too, coarsely: per (module, depth), the sums of their columns (all {@code k + 1}
 * when these aggregates take at most half the column budget, else the presence column alone). This matters because
 * positions of one module under one parent share their identity copy ({@code alpha E_M}): read one by one from the
 * residual, each would count the others' mass again. Start from the root positions; each round scores the children of
 * fitted positions by the t statistic of adding their presence column to the fit ({@link Round#score}), moves those at
 * or above {@value #SELECT_Z} (strongest first) into the fit within the column budget, and refits. Stops when a round
 * adds nothing, after {@value #MAX_ROUNDS} rounds, or at the budget. Stateless.
 */
final class SparseFit {
  /** Noise deviations for a position to enter the fit. */
  static final double SELECT_Z = 3.0;
  /** Rounds of selection. */
  static final int MAX_ROUNDS = 12;

  private SparseFit() {}

  static PositionFit fit(final JointStructure st, final float[][] cols, final float[] s, final int budget) {
    final int m = s.length;
    final Set<Integer> selected = new LinkedHashSet<>();
    int used = 0;
    for (final List<Integer> g : groupsOf(st, Set.of()).values()) {
      used += st.k[g.get(0)] + 1;
    }
    // whole aggregates (presence and attributes) when they take at most half the budget, else presence only
    final boolean whole = used <= budget / 2;
    used = whole ? used : groupsOf(st, Set.of()).size();
    for (int q = 0; q < st.size() && st.parent[q] < 0; q++) {
      if (used + st.k[q] + 1 <= budget) {
        selected.add(q);
        used += st.k[q] + 1;
      }
    }
    Round fit = refit(st, cols, s, selected, whole, false);
    for (int round = 0; round < MAX_ROUNDS; round++) {
      final List<double[]> found = new ArrayList<>();
      for (final int q : selected) {
        for (final int c : st.children[q]) {
          if (selected.contains(c)) {
            continue;
          }
          final double t = fit.score(cols[st.col0[c]]);
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
      fit = refit(st, cols, s, selected, whole, false);
    }
    return refit(st, cols, s, selected, whole, true).fit;
  }

  /** One fit of the pursuit, with its columns and factor. */
  private record Round(PositionFit fit, float[][] a, GramFactor f) {
    /**
     * The t statistic of adding column {@code e} to this fit: {@code e^T r / (sigma sqrt(e^T (I - P)
     * e))}, {@code P} the projection on the fit's columns (the part of {@code e} the fit already
     * explains, e.g. through an aggregate, is not counted as new evidence).
     */
    double score(final float[] e) {
      final int m = fit.m;
      final double[] b = new double[a.length];
      for (int i = 0; i < b.length; i++) {
        b[i] = VectorOps.dot(a[i], e, m);
      }
      final double[] y = f.solve(b);
      double explained = 0;
      for (int i = 0; i < b.length; i++) {
        explained += b[i] * y[i];
      }
      final double left = VectorOps.normSquared(e, m) - explained;
      return left <= 0 ? 0 : VectorOps.dot(e, fit.residual, m) / (fit.sigma * Math.sqrt(left));
    }
  }

  /** (module, depth) to the positions not in {@code selected}. */
  private static Map<String, List<Integer>> groupsOf(final JointStructure st, final Set<Integer> selected) {
    final Map<String, List<Integer>> out = new LinkedHashMap<>();
    for (int q = 0; q < st.size(); q++) {
      if (!selected.contains(q)) {
        out.computeIfAbsent(st.module[q] + "\n" + st.depth[q], x -> new ArrayList<>()).add(q);
      }
    }
    return out;
  }

  private static Round refit(final JointStructure st, final float[][] cols, final float[] s,
      final Set<Integer> selected, final boolean whole, final boolean inverse) {
    final int m = s.length;
    final int[] pos = selected.stream().mapToInt(Integer::intValue).toArray();
    final int[] idx = PositionFit.columnsOf(st, pos);
    final Map<String, List<Integer>> groups = groupsOf(st, selected);
    int aggColumns = 0;
    for (final List<Integer> members : groups.values()) {
      aggColumns += st.k[members.get(0)] + 1;
    }
    final float[][] a = new float[idx.length + (whole ? aggColumns : groups.size())][];
    for (int i = 0; i < idx.length; i++) {
      a[i] = cols[idx[i]];
    }
    final List<Aggregate> aggregates = new ArrayList<>(groups.size());
    int c = idx.length;
    for (final List<Integer> members : groups.values()) {
      final int first = members.get(0);
      aggregates.add(new Aggregate(st.module[first], st.depth[first], c,
          members.stream().mapToInt(Integer::intValue).toArray()));
      for (int j = 0; j <= (whole ? st.k[first] : 0); j++) {
        final float[] h = new float[m];
        for (final int q : members) {
          final float[] e = cols[st.col0[q] + j];
          for (int i = 0; i < m; i++) {
            h[i] += e[i];
          }
        }
        a[c++] = h;
      }
    }
    final GramFactor f = GramFactor.of(a, m);
    return new Round(PositionFit.fit(a, s, f, null, inverse, pos, PositionFit.offsets(st, pos), aggregates), a, f);
  }
}
