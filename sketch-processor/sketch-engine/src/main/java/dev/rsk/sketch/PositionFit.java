package dev.rsk.sketch;

/**
 * A least-squares fit of a sketch's first {@code m} coordinates on the columns of some positions of a
 * {@link JointStructure}: coefficients {@code z = G^{-1} A^T s}, the residual, and the noise per
 * coordinate {@code sigma = ||r|| / sqrt(m - p)} (the usual unbiased estimate, floored at the float32
 * storage precision {@link #STORAGE_PRECISION} times the sketch's RMS coordinate, so that an exact
 * fit states its rounding error instead of 0). The covariance of {@code z} is {@code sigma^2
 * G^{-1}}. Immutable.
 */
final class PositionFit {
  /** Relative precision of a float32 coordinate (one ulp of 1). */
  static final double STORAGE_PRECISION = Math.ulp(1f);

  /** Fitted positions, in fit order. */
  final int[] positions;
  /** First fit column of each fitted position. */
  final int[] offset;
  final int p;
  final int m;
  final double[] z;
  /** {@code G^{-1}} row-major ({@code p x p}), or null when not asked for. */
  final double[] inv;
  final double sigma;
  final float[] residual;

  private PositionFit(final int[] positions, final int[] offset, final int m, final double[] z,
      final double[] inv, final double sigma, final float[] residual) {
    this.positions = positions;
    this.offset = offset;
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

  /**
   * Fits {@code s} (its {@code m = s.length} coordinates) with the factor {@code f} of those
   * positions' columns over {@code m} rows; {@code inv} is {@code G^{-1}} if already known, computed
   * here when {@code wantInverse}.
   */
  static PositionFit fit(final JointStructure st, final float[][] cols, final float[] s,
      final int[] positions, final GramFactor f, final double[] inv, final boolean wantInverse) {
    final int m = s.length;
    final int[] idx = columnsOf(st, positions);
    final int p = idx.length;
    final double[] b = new double[p];
    for (int i = 0; i < p; i++) {
      b[i] = VectorOps.dot(cols[idx[i]], s, m);
    }
    final double[] z = f.solve(b);
    final double[] r = new double[m];
    for (int i = 0; i < m; i++) {
      r[i] = s[i];
    }
    for (int j = 0; j < p; j++) {
      final float[] a = cols[idx[j]];
      final double zj = z[j];
      for (int i = 0; i < m; i++) {
        r[i] -= zj * a[i];
      }
    }
    double rss = 0;
    final float[] res = new float[m];
    for (int i = 0; i < m; i++) {
      rss += r[i] * r[i];
      res[i] = (float) r[i];
    }
    final double floor = STORAGE_PRECISION * Math.sqrt(VectorOps.normSquared(s, m) / m);
    final double sigma = Math.max(Math.sqrt(rss / Math.max(1, m - p)), floor);
    final int[] offset = new int[positions.length];
    for (int i = 1; i < positions.length; i++) {
      offset[i] = offset[i - 1] + st.k[positions[i - 1]] + 1;
    }
    final double[] g = inv != null ? inv : wantInverse ? f.inverse() : null;
    return new PositionFit(positions, offset, m, z, g, sigma, res);
  }

  /** {@code (G^{-1})_{ij}} for fit columns i, j. */
  double inv(final int i, final int j) {
    return inv[i * p + j];
  }
}
