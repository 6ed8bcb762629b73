package dev.rsk.sketch;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The positions a {@link StructureCatalogue} allows, and their columns. A <em>position</em> is a
 * place in the unfolded network: a root module, then steps "input {@code slot} of a {@code module}"
 * down to the position's module, at most {@code maxDepth} steps. Expanding the recursion, the objects
 * at position {@code p} (module {@code M}, steps {@code t_1..t_L}) add to the sketch exactly {@code
 * A_p u_p}, with {@code A_p = (alpha I + beta R_{t_1}) ... (alpha I + beta R_{t_L}) E_M} (the sum of
 * the {@code 2^L} blocks of recursive-sketch.md section 6 with their alpha/beta factors) and {@code
 * u_p} the sum over those objects of their path's weight product times {@code (1, x) / sqrt(2)}. So a
 * sketch of a DAG that follows the catalogue lies exactly in the span of these columns: one unknown
 * vector per position instead of one per block. Immutable once built.
 */
final class JointStructure {
  /** Module of each position. */
  final String[] module;
  /** {@code k} of each position's module. */
  final int[] k;
  /** Steps from the root (0 for a root position). */
  final int[] depth;
  /** Parent position, -1 for a root position. */
  final int[] parent;
  /** The step from the parent ({@code parentModule[slot]}), null for a root. */
  final TagStep[] step;
  /** First column of each position; its presence column. */
  final int[] col0;
  /** Total columns (sum of {@code k + 1}). */
  final int columns;
  /** Children of each position. */
  final int[][] children;
  /** The depth actually enumerated (lower than asked when the position budget ran out). */
  final int maxDepth;

  private JointStructure(final List<Pos> ps, final int maxDepth) {
    final int n = ps.size();
    module = new String[n];
    k = new int[n];
    depth = new int[n];
    parent = new int[n];
    step = new TagStep[n];
    col0 = new int[n];
    int c = 0;
    final List<List<Integer>> kids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      final Pos p = ps.get(i);
      module[i] = p.module;
      k[i] = p.k;
      depth[i] = p.depth;
      parent[i] = p.parent;
      step[i] = p.step;
      col0[i] = c;
      c += p.k + 1;
      kids.add(new ArrayList<>());
      if (p.parent >= 0) {
        kids.get(p.parent).add(i);
      }
    }
    columns = c;
    children = new int[n][];
    for (int i = 0; i < n; i++) {
      children[i] = kids.get(i).stream().mapToInt(Integer::intValue).toArray();
    }
    this.maxDepth = maxDepth;
  }

  private record Pos(String module, int k, int depth, int parent, TagStep step) {}

  /**
   * The positions of {@code catalogue} breadth first, down to {@code maxDepth} steps; a level that
   * would take the column count over {@code maxColumns} is left out whole. Null when the catalogue has no
   * grammar or no root can be named (the caller falls back to greedy recovery).
   */
  static JointStructure of(final StructureCatalogue catalogue, final int maxDepth, final int maxColumns) {
    if (catalogue.inputModules() == null) {
      return null;
    }
    final Map<String, Integer> ks = catalogue.attributeLengths();
    final List<Pos> ps = new ArrayList<>();
    for (final String r : roots(catalogue)) {
      if (ks.containsKey(r)) {
        ps.add(new Pos(r, ks.get(r), 0, -1, null));
      }
    }
    if (ps.isEmpty()) {
      return null;
    }
    int from = 0;
    int reached = 0;
    long cols = 0;
    for (final Pos p : ps) {
      cols += p.k + 1;
    }
    for (int level = 1; level <= maxDepth; level++) {
      final List<Pos> next = new ArrayList<>();
      for (int i = from; i < ps.size(); i++) {
        final String m = ps.get(i).module;
        for (final Map.Entry<String, ? extends Collection<String>> slot : catalogue.slotsOf(m).entrySet()) {
          for (final String in : slot.getValue()) {
            if (ks.containsKey(in)) {
              next.add(new Pos(in, ks.get(in), level, i, new TagStep(m, slot.getKey())));
            }
          }
        }
      }
      long more = 0;
      for (final Pos p : next) {
        more += p.k + 1;
      }
      if (next.isEmpty() || cols + more > maxColumns) {
        break;
      }
      cols += more;
      from = ps.size();
      ps.addAll(next);
      reached = level;
    }
    return new JointStructure(ps, reached);
  }

  /** Root modules of the catalogue, or, when none are known, the parents that are nobody's input. */
  private static Set<String> roots(final StructureCatalogue catalogue) {
    if (!catalogue.rootModules().isEmpty()) {
      return catalogue.rootModules();
    }
    final Set<String> out = new TreeSet<>(catalogue.inputModules().keySet());
    catalogue.inputModules().values().forEach(slots -> slots.values().forEach(out::removeAll));
    return out;
  }

  int size() {
    return module.length;
  }

  /** Columns of the smallest sparse fit: the root positions and one aggregate per (module, depth). */
  int minimumSparseColumns() {
    final Set<String> groups = new TreeSet<>();
    int roots = 0;
    for (int q = 0; q < size(); q++) {
      groups.add(module[q] + "\n" + depth[q]);
      roots += parent[q] < 0 ? k[q] + 1 : 0;
    }
    return roots + groups.size();
  }

  /** The tag path of a position, root first, each step rendered {@code module[slot]}. */
  List<String> tagPath(final int p) {
    final List<String> out = new ArrayList<>(depth[p]);
    for (int i = p; parent[i] >= 0; i = parent[i]) {
      out.add(0, step[i].toString());
    }
    return out;
  }

  /** The steps of a position, root first. */
  List<TagStep> steps(final int p) {
    final List<TagStep> out = new ArrayList<>(depth[p]);
    for (int i = p; parent[i] >= 0; i = parent[i]) {
      out.add(0, step[i]);
    }
    return out;
  }

  /**
   * Every column {@code A_p e_c}, full length {@code d}: {@code E_M}'s column, then {@code y <-
   * alpha y + beta R_t y} for the steps from the deepest up. Cost: columns times depth times d.
   */
  float[][] columns(final MatrixCache cache) {
    final SketchSpec spec = cache.spec();
    final int d = spec.d();
    final float alpha = (float) spec.alpha();
    final float beta = (float) spec.beta();
    final float[][] out = new float[columns][];
    final float[] tmp = new float[d];
    for (int p = 0; p < size(); p++) {
      final List<TagStep> steps = steps(p);
      final float[][] e = cache.columns(module[p], k[p]);
      for (int c = 0; c <= k[p]; c++) {
        final float[] y = e[c].clone();
        for (int t = steps.size() - 1; t >= 0; t--) {
          cache.rotation(steps.get(t).module(), steps.get(t).slot()).apply(y, tmp);
          for (int i = 0; i < d; i++) {
            y[i] = alpha * y[i] + beta * tmp[i];
          }
        }
        out[col0[p] + c] = y;
      }
    }
    return out;
  }
}
