package dev.rsk.sketch;

/**
 * A signed permutation {@code R} of {@code d} coordinates: {@code (R u)[i] = sign[i] * u[perm[i]]}.
 * Orthogonal, applied in O(d), exactly undone by its transpose {@code (R^T v)[j] = signT[j] *
 * v[inv[j]]}. Immutable.
 */
final class SignedPermutation {
  final int[] perm;
  final float[] sign;
  final int[] inv;
  final float[] signT;

  private SignedPermutation(final int[] perm, final float[] sign) {
    this.perm = perm;
    this.sign = sign;
    final int d = perm.length;
    this.inv = new int[d];
    this.signT = new float[d];
    for (int i = 0; i < d; i++) {
      inv[perm[i]] = i;
    }
    for (int j = 0; j < d; j++) {
      signT[j] = sign[inv[j]];
    }
  }

  /** {@code R_{module,slot}} of the spec: Fisher-Yates driven by the counter-based hash. */
  static SignedPermutation generate(final SketchSpec spec, final String module, final String slot) {
    final int d = spec.d();
    final long permKey = Hashing.streamKey(spec.seed(), Hashing.ROLE_PERMUTATION, module, slot);
    final long signKey = Hashing.streamKey(spec.seed(), Hashing.ROLE_SIGNS, module, slot);
    final int[] perm = new int[d];
    for (int i = 0; i < d; i++) {
      perm[i] = i;
    }
    for (int i = d - 1; i > 0; i--) {
      // Lemire's multiply-shift maps the top 32 bits to [0, i]; the bias (< 2^-16) is irrelevant here.
      final long h = Hashing.word(permKey, i) >>> 32;
      final int j = (int) ((h * (i + 1)) >>> 32);
      final int t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    final float[] sign = new float[d];
    long bits = 0;
    for (int i = 0; i < d; i++) {
      if ((i & 63) == 0) {
        bits = Hashing.word(signKey, i >>> 6);
      }
      sign[i] = ((bits >>> (i & 63)) & 1L) == 0 ? 1f : -1f;
    }
    return new SignedPermutation(perm, sign);
  }

  int dimension() {
    return perm.length;
  }

  long bytes() {
    return 16L * perm.length + 64;
  }

  /** {@code out = R^T v} (out must not alias v). */
  void applyTranspose(final float[] v, final float[] out) {
    final int[] p = inv;
    final float[] s = signT;
    for (int j = 0; j < p.length; j++) {
      out[j] = s[j] * v[p[j]];
    }
  }

  /** {@code out = R u} (out must not alias u). */
  void apply(final float[] u, final float[] out) {
    final int[] p = perm;
    final float[] s = sign;
    for (int i = 0; i < p.length; i++) {
      out[i] = s[i] * u[p[i]];
    }
  }
}
