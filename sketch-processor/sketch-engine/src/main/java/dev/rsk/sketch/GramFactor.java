package dev.rsk.sketch;

/**
 * The Cholesky factor {@code L L^T = G} of the Gram matrix {@code G = A^T A} of some columns over the
 * first {@code m} rows, with a relative ridge of {@value #RIDGE} on the diagonal (so nearly dependent
 * columns never make it singular). Built once, then {@link #solve} costs {@code 2 p^2}. Immutable.
 */
final class GramFactor {
  /** Relative ridge added to the diagonal before factoring. */
  static final double RIDGE = 1e-10;

  final int p;
  final int m;
  /** Row-major lower triangle (the upper part is unused). */
  private final double[] l;
  /** Its transpose, row-major, so that both triangular solves run along rows (axpy form). */
  private final double[] u;

  private GramFactor(final int p, final int m, final double[] l) {
    this.p = p;
    this.m = m;
    this.l = l;
    this.u = new double[p * p];
    for (int i = 0; i < p; i++) {
      for (int j = 0; j <= i; j++) {
        u[j * p + i] = l[i * p + j];
      }
    }
  }

  /** Factors the Gram matrix of {@code cols[idx[i]]} over rows {@code [0, m)}; cost {@code p^2 m / 2 + p^3 / 6}. */
  static GramFactor of(final float[][] cols, final int[] idx, final int m) {
    final int p = idx.length;
    final double[] g = new double[p * p];
    for (int i = 0; i < p; i++) {
      final float[] a = cols[idx[i]];
      for (int j = 0; j <= i; j++) {
        g[i * p + j] = VectorOps.dot(a, cols[idx[j]], m);
      }
      g[i * p + i] *= 1 + RIDGE;
    }
    return new GramFactor(p, m, factor(g, p));
  }

  /** Factors the Gram matrix of all of {@code cols} over rows {@code [0, m)}. */
  static GramFactor of(final float[][] cols, final int m) {
    final int[] idx = new int[cols.length];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    return of(cols, idx, m);
  }

  /** In-place Cholesky of the lower triangle of {@code g}. */
  private static double[] factor(final double[] g, final int p) {
    for (int j = 0; j < p; j++) {
      double d = g[j * p + j];
      for (int t = 0; t < j; t++) {
        d -= g[j * p + t] * g[j * p + t];
      }
      final double ljj = Math.sqrt(Math.max(d, Double.MIN_NORMAL));
      g[j * p + j] = ljj;
      for (int i = j + 1; i < p; i++) {
        double s = g[i * p + j];
        final int ri = i * p;
        final int rj = j * p;
        for (int t = 0; t < j; t++) {
          s -= g[ri + t] * g[rj + t];
        }
        g[ri + j] = s / ljj;
      }
    }
    return g;
  }

  /** {@code G^{-1} b}: forward then back substitution, each a sequence of contiguous axpys. */
  double[] solve(final double[] b) {
    final double[] y = b.clone();
    for (int t = 0; t < p; t++) {
      final int rt = t * p;
      final double yt = y[t] / u[rt + t];
      y[t] = yt;
      for (int i = t + 1; i < p; i++) {
        y[i] -= u[rt + i] * yt;
      }
    }
    for (int i = p - 1; i >= 0; i--) {
      final int ri = i * p;
      final double xi = y[i] / l[ri + i];
      y[i] = xi;
      for (int t = 0; t < i; t++) {
        y[t] -= l[ri + t] * xi;
      }
    }
    return y;
  }

  /** {@code G^{-1}}, row-major; cost {@code 2 p^3}. */
  double[] inverse() {
    final double[] inv = new double[p * p];
    final double[] e = new double[p];
    for (int j = 0; j < p; j++) {
      e[j] = 1;
      final double[] col = solve(e);
      e[j] = 0;
      for (int i = 0; i < p; i++) {
        inv[i * p + j] = col[i];
      }
    }
    return inv;
  }
}
