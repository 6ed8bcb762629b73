package dev.rsk.sketch;

/**
 * The float loops of the engine, written as plain counted loops over arrays so that C2 turns them
 * into SIMD code. Element-wise only (no reassociation), so results are bit-identical on every JVM.
 */
final class VectorOps {
  static final float INV_SQRT2 = (float) (1.0 / Math.sqrt(2.0));

  private VectorOps() {}

  /**
   * {@code acc = E x̄} with {@code x̄ = (1, x) / sqrt(2)}: a linear combination of the first {@code
   * x.length + 1} columns, four columns per pass to cut loads and stores of {@code acc}.
   */
  static void embed(final float[][] cols, final float[] x, final float[] acc) {
    final int d = acc.length;
    final int n = x.length + 1;
    final float[] a = new float[n];
    a[0] = INV_SQRT2;
    for (int c = 1; c < n; c++) {
      a[c] = x[c - 1] * INV_SQRT2;
    }
    int c = 0;
    {
      // first pass writes acc (no zero fill): one column, or four when available
      if (n >= 4) {
        final float a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
        final float[] e0 = cols[0], e1 = cols[1], e2 = cols[2], e3 = cols[3];
        for (int i = 0; i < d; i++) {
          acc[i] = a0 * e0[i] + a1 * e1[i] + a2 * e2[i] + a3 * e3[i];
        }
        c = 4;
      } else {
        final float a0 = a[0];
        final float[] e0 = cols[0];
        for (int i = 0; i < d; i++) {
          acc[i] = a0 * e0[i];
        }
        c = 1;
      }
    }
    for (; c + 4 <= n; c += 4) {
      final float a0 = a[c], a1 = a[c + 1], a2 = a[c + 2], a3 = a[c + 3];
      final float[] e0 = cols[c], e1 = cols[c + 1], e2 = cols[c + 2], e3 = cols[c + 3];
      for (int i = 0; i < d; i++) {
        acc[i] += a0 * e0[i] + a1 * e1[i] + a2 * e2[i] + a3 * e3[i];
      }
    }
    for (; c < n; c++) {
      final float a0 = a[c];
      final float[] e0 = cols[c];
      for (int i = 0; i < d; i++) {
        acc[i] += a0 * e0[i];
      }
    }
  }

  /**
   * {@code acc += wa * u + wb * R u} for the signed permutation {@code (perm, sign)}. The gather
   * {@code u[perm[i]]} cannot be vectorised, so it is done alone into {@code scratch} (a tight copy
   * loop), and the arithmetic in a second, vectorisable loop: about twice as fast as one fused loop,
   * with the same bits.
   */
  static void addInput(
      final float[] acc, final float[] u, final float wa, final float wb, final int[] perm,
      final float[] sign, final float[] scratch) {
    final int d = acc.length;
    if (wb == 0f) {
      for (int i = 0; i < d; i++) {
        acc[i] += wa * u[i];
      }
      return;
    }
    for (int i = 0; i < d; i++) {
      scratch[i] = u[perm[i]];
    }
    if (wa == 0f) {
      for (int i = 0; i < d; i++) {
        acc[i] += wb * (sign[i] * scratch[i]);
      }
      return;
    }
    for (int i = 0; i < d; i++) {
      acc[i] += wa * u[i] + wb * (sign[i] * scratch[i]);
    }
  }

  /** Dot product of the first {@code m} coordinates, in double (four independent chains). */
  static double dot(final float[] a, final float[] b, final int m) {
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int i = 0;
    for (; i + 4 <= m; i += 4) {
      s0 += a[i] * b[i];
      s1 += a[i + 1] * b[i + 1];
      s2 += a[i + 2] * b[i + 2];
      s3 += a[i + 3] * b[i + 3];
    }
    for (; i < m; i++) {
      s0 += a[i] * b[i];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /**
   * Dot product of the first {@code m} coordinates with exact products ({@code float x float} fits a
   * double), accumulated in double: for the joint fit, whose residual is read from {@code s^T s - b^T z}.
   */
  static double dotExact(final float[] a, final float[] b, final int m) {
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int i = 0;
    for (; i + 4 <= m; i += 4) {
      s0 += (double) a[i] * b[i];
      s1 += (double) a[i + 1] * b[i + 1];
      s2 += (double) a[i + 2] * b[i + 2];
      s3 += (double) a[i + 3] * b[i + 3];
    }
    for (; i < m; i++) {
      s0 += (double) a[i] * b[i];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** Squared norm of the first {@code m} coordinates, in double. */
  static double normSquared(final float[] a, final int m) {
    return dot(a, a, m);
  }
}
