package dev.rsk.sketch;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Least-squares fit of a sketch on the columns {@code R_P E_M} of chosen blocks (normal equations,
 * Cholesky with a tiny ridge, in double), grown incrementally: adding blocks computes only the new
 * rows of the Gram matrix, so a fit of {@code p} columns costs about {@code p^2 d / 2} in total. Used
 * for interference cancellation in {@link SketchDecoder#jointReadouts}. Not thread-safe.
 */
final class JointFit {
  /** A block to fit: tag path, module, its k, and a weight that orders blocks (heaviest first). */
  record Block(List<TagStep> path, String module, int k, double weight) {}

  /** Identity of a block. */
  record Key(List<TagStep> path, String module) {}

  private final MatrixCache cache;
  private final float[] u;
  private final int maxColumns;
  private final List<Block> chosen = new ArrayList<>();
  private final Set<Key> keys = new HashSet<>();
  private final List<float[]> columns = new ArrayList<>();
  private double[][] gram = new double[0][];
  private double[] rhs = new double[0];
  private float[] residual;
  private double[] z = new double[0];

  JointFit(final MatrixCache cache, final float[] u, final int maxColumns) {
    this.cache = cache;
    this.u = u;
    this.maxColumns = maxColumns;
    this.residual = u;
  }

  /** Adds the blocks, in order, that still fit in the column budget; returns how many were added. */
  int add(final List<Block> blocks) {
    final int before = columns.size();
    int added = 0;
    for (final Block b : blocks) {
      if (columns.size() + b.k() + 1 > maxColumns || !keys.add(new Key(b.path(), b.module()))) {
        continue;
      }
      chosen.add(b);
      added++;
      final float[][] e = cache.columns(b.module(), b.k());
      for (int c = 0; c <= b.k(); c++) {
        float[] y = e[c];
        for (int t = b.path().size() - 1; t >= 0; t--) {
          final float[] next = new float[u.length];
          cache.rotation(b.path().get(t).module(), b.path().get(t).slot()).apply(y, next);
          y = next;
        }
        columns.add(y);
      }
    }
    final int p = columns.size();
    if (p == before) {
      return added;
    }
    final double[][] g = new double[p][];
    final double[] r = new double[p];
    System.arraycopy(gram, 0, g, 0, before);
    System.arraycopy(rhs, 0, r, 0, before);
    for (int i = before; i < p; i++) {
      g[i] = new double[i + 1];
      final float[] ai = columns.get(i);
      r[i] = VectorOps.dot(ai, u, u.length);
      for (int j = 0; j <= i; j++) {
        g[i][j] = VectorOps.dot(ai, columns.get(j), u.length);
      }
      g[i][i] *= 1 + 1e-9;
    }
    gram = g;
    rhs = r;
    solve();
    return added;
  }

  float[] residual() {
    return residual;
  }

  /** Fitted coefficients of a block, or null if it is not in the fit. */
  double[] coefficients(final List<TagStep> path, final String module) {
    int col = 0;
    for (final Block b : chosen) {
      if (b.module().equals(module) && b.path().equals(path)) {
        final double[] zb = new double[b.k() + 1];
        System.arraycopy(z, col, zb, 0, zb.length);
        return zb;
      }
      col += b.k() + 1;
    }
    return null;
  }

  private void solve() {
    z = choleskySolve(gram, rhs);
    final int d = u.length;
    final double[] res = new double[d];
    for (int i = 0; i < d; i++) {
      res[i] = u[i];
    }
    for (int j = 0; j < z.length; j++) {
      final float[] aj = columns.get(j);
      final double zj = z[j];
      for (int i = 0; i < d; i++) {
        res[i] -= zj * aj[i];
      }
    }
    final float[] out = new float[d];
    for (int i = 0; i < d; i++) {
      out[i] = (float) res[i];
    }
    residual = out;
  }

  /** Solves {@code G z = b}, {@code G} symmetric positive definite given by its lower triangle. */
  static double[] choleskySolve(final double[][] g, final double[] b) {
    final int n = b.length;
    final double[][] l = new double[n][];
    for (int i = 0; i < n; i++) {
      l[i] = new double[i + 1];
      for (int j = 0; j <= i; j++) {
        double sum = g[i][j];
        final double[] li = l[i];
        final double[] lj = l[j];
        for (int k = 0; k < j; k++) {
          sum -= li[k] * lj[k];
        }
        li[j] = i == j ? Math.sqrt(Math.max(sum, 1e-300)) : sum / lj[j];
      }
    }
    final double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      double sum = b[i];
      for (int k = 0; k < i; k++) {
        sum -= l[i][k] * y[k];
      }
      y[i] = sum / l[i][i];
    }
    final double[] x = new double[n];
    for (int i = n - 1; i >= 0; i--) {
      double sum = y[i];
      for (int k = i + 1; k < n; k++) {
        sum -= l[k][i] * x[k];
      }
      x[i] = sum / l[i][i];
    }
    return x;
  }
}
