package dev.rsk.sketch;

import java.util.List;

/**
 * A least-squares fit of a sketch's first {@code m} coordinates on some columns: those of fitted
 * positions of a {@link JointStructure} ({@code k + 1} each), then, in a sparse fit, one aggregate
 * presence column per (module, depth) standing for the positions left out. It holds the coefficients
 * {@code z = G^{-1} A^T s}, the residual and the noise per coordinate {@code sigma = ||r|| / sqrt(m -
 * p)} (the usual unbiased estimate, floored at the float32 storage precision {@link
 * #STORAGE_PRECISION} times the sketch's RMS coordinate, so that an exact fit states its rounding
 * error instead of 0). The covariance of {@code z} is {@code sigma^2 G^{-1}}. Immutable.
 */
final class PositionFit {
  /** Relative precision of a float32 coordinate (one ulp of 1). */
  static final double STORAGE_PRECISION = Math.ulp(1f);

  /**
   * The positions of a (module, depth) left out of a sparse fit, fitted as one column: the sum of
   * their presence columns; its coefficient is their mean {@code u_0}.
   */
  record Aggregate(String module, int depth, int column, int[] members) {}

  /** Fitted positions, in fit order. */
  final int[] positions;
  /** First fit column of each fitted position. */
  final int[] offset;
  /** Aggregate columns (sparse fits only). */
  final List<Aggregate> aggregates;
  final int p;
  final int m;
  final double[] z;
  /** {@code G^{-1}} row-major ({@code p x p}), or null when not asked for. */
  final double[] inv;
  final double sigma;
  /** {@code s - A z}; null for a joint fit (not needed there). */
  final float[] residual;

  private PositionFit(final int[] positions, final int[] offset, final List<Aggregate> aggregates,
      final int m, final double[] z, final double[] inv, final double sigma, final float[] residual) {
    this.positions = positions;
    this.offset = offset;
    this.aggregates = aggregates;
    this.p = z.length;
    this.m = m;
    this.z = z;
    this.inv = inv;
    this.sigma = sigma;
    this.residual = residual;
  }

  /** The structure's column indices of {@code positions}, in order. */
  static int[] columnsOf(final JointStructure st, final int[] positions) {
    int n = 0;
    for (final int q : positions) {
      n += st.k[q] + 1;
    }
    final int[] idx = new int[n];
    int c = 0;
    for (final int q : positions) {
      for (int j = 0; j <= st.k[q]; j++) {
        idx[c++] = st.col0[q] + j;
      }
    }
    return idx;
  }

  /** First fit column of each of {@code positions}, laid out as {@link #columnsOf}. */
  static int[] offsets(final JointStructure st, final int[] positions) {
    final int[] offset = new int[positions.length];
    for (int i = 1; i < positions.length; i++) {
      offset[i] = offset[i - 1] + st.k[positions[i - 1]] + 1;
    }
    return offset;
  }

  /**
   * Fits {@code s} (its {@code m = s.length} coordinates) on the columns {@code a} (laid out as
   * {@code positions} then {@code aggregates}) with their factor {@code f} over {@code m} rows; {@code
   * inv} is {@code G^{-1}} if already known, computed here when {@code wantInverse}.
   */
  static PositionFit fit(final float[][] a, final float[] s, final GramFactor f, final double[] inv,
      final boolean wantInverse, final int[] positions, final int[] offset, final List<Aggregate> aggregates) {
    final double[] b = new double[a.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = VectorOps.dotExact(a[i], s, s.length);
    }
    return fit(a, s, b, f, inv, wantInverse, positions, offset, aggregates);
  }

  /** {@link #fit} with {@code b = A^T s} already computed. */
  static PositionFit fit(final float[][] a, final float[] s, final double[] b, final GramFactor f,
      final double[] inv, final boolean wantInverse, final int[] positions, final int[] offset,
      final List<Aggregate> aggregates) {
    final int m = s.length;
    final int p = a.length;
    final double[] z = f.solve(b);
    final float[] res;
    double rss;
    if (aggregates.isEmpty() && inv != null) {
      // the joint fit needs no residual vector: ||r||^2 = s^T s - b^T z, half the work (exact
      // products keep the cancellation below the float32 floor applied next)
      rss = VectorOps.dotExact(s, s, m);
      for (int i = 0; i < p; i++) {
        rss -= b[i] * z[i];
      }
      rss = Math.max(rss, 0);
      res = null;
    } else {
      res = residual(a, s, z);
      rss = VectorOps.dotExact(res, res, m);
    }
    // never 0, even for an all-zero sketch
    final double floor = Math.max(STORAGE_PRECISION * Math.sqrt(VectorOps.normSquared(s, m) / m), Float.MIN_NORMAL);
    final double sigma = Math.max(Math.sqrt(rss / Math.max(1, m - p)), floor);
    final double[] g = inv != null ? inv : wantInverse ? f.inverse() : null;
    return new PositionFit(positions, offset, aggregates, m, z, g, sigma, res);
  }

  /** {@code s - A z}. */
  private static float[] residual(final float[][] a, final float[] s, final double[] z) {
    final int m = s.length;
    final double[] r = new double[m];
    for (int i = 0; i < m; i++) {
      r[i] = s[i];
    }
    for (int j = 0; j < z.length; j++) {
      final float[] aj = a[j];
      final double zj = z[j];
      for (int i = 0; i < m; i++) {
        r[i] -= zj * aj[i];
      }
    }
    final float[] res = new float[m];
    for (int i = 0; i < m; i++) {
      res[i] = (float) r[i];
    }
    return res;
  }

  /** {@code (G^{-1})_{ij}} for fit columns i, j. */
  double inv(final int i, final int j) {
    return inv[i * p + j];
  }
}
