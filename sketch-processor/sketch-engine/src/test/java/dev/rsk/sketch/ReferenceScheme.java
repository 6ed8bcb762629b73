package dev.rsk.sketch;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An independent, deliberately naive implementation of scheme 1 as docs/sketch.md "Binary forms and
 * determinism" writes it down (generator, {@code E_M}, {@code R_{M,j}}) and of the recursion of
 * recursive-sketch.md, in double with dense loops and no caching: the oracle the engine's fast paths
 * are checked against. Written from the docs, not from the engine's code.
 */
final class ReferenceScheme {
  static final long G = 0x9E3779B97F4A7C15L;

  private final SketchSpec spec;

  ReferenceScheme(final SketchSpec spec) {
    this.spec = spec;
  }

  /** SplitMix64's finaliser, as the docs spell it. */
  static long mix64(final long in) {
    long z = in;
    z ^= z >>> 30;
    z *= 0xBF58476D1CE4E5B9L;
    z ^= z >>> 27;
    z *= 0x94D049BB133111EBL;
    z ^= z >>> 31;
    return z;
  }

  /** FNV-1a 64 over UTF-16 code units. */
  static long fnv1a(final String s) {
    long h = 0xCBF29CE484222325L;
    for (final char c : s.toCharArray()) {
      h = (h ^ c) * 0x100000001B3L;
    }
    return h;
  }

  static long hash(final String s) {
    return mix64(fnv1a(s) ^ s.length());
  }

  static long key(final long seed, final int role, final String module, final String slot) {
    long k = mix64(seed + role * G);
    k = mix64(k ^ hash(module));
    return slot == null ? k : mix64((k + G) ^ hash(slot));
  }

  static long word(final long key, final long n) {
    return mix64(key + (n + 1) * G);
  }

  private static boolean bit(final long word, final int i) {
    return ((word >>> (i % 64)) & 1L) != 0;
  }

  /** {@code E_M[r][c]}. */
  double e(final String module, final int r, final int c) {
    final long w = word(key(spec.seed(), 1, module, null), ((long) c << 32) | (r >>> 6));
    return (bit(w, r) ? -1 : 1) / Math.sqrt(spec.d());
  }

  /** The permutation of {@code R_{M,j}}: Fisher-Yates from i = d-1 down to 1. */
  int[] perm(final String module, final String slot) {
    final long k = key(spec.seed(), 2, module, slot);
    final int[] p = new int[spec.d()];
    for (int i = 0; i < p.length; i++) {
      p[i] = i;
    }
    for (int i = p.length - 1; i >= 1; i--) {
      final int j = (int) (((word(k, i) >>> 32) * (i + 1)) >>> 32);
      final int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** The sign diagonal of {@code R_{M,j}}. */
  double[] sign(final String module, final String slot) {
    final long k = key(spec.seed(), 3, module, slot);
    final double[] s = new double[spec.d()];
    for (int i = 0; i < s.length; i++) {
      s[i] = bit(word(k, i >>> 6), i) ? -1 : 1;
    }
    return s;
  }

  /** {@code (R u)[i] = sign[i] u[perm[i]]}. */
  double[] rotate(final String module, final String slot, final double[] u) {
    final int[] p = perm(module, slot);
    final double[] s = sign(module, slot);
    final double[] out = new double[u.length];
    for (int i = 0; i < u.length; i++) {
      out[i] = s[i] * u[p[i]];
    }
    return out;
  }

  /** {@code R^T v}: the inverse of {@link #rotate}. */
  double[] unrotate(final String module, final String slot, final double[] v) {
    final int[] p = perm(module, slot);
    final double[] s = sign(module, slot);
    final double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[p[i]] = s[i] * v[i];
    }
    return out;
  }

  /** {@code (E_M^T v)[c]} over every row of a full-length v. */
  double readout(final String module, final int c, final double[] v) {
    double sum = 0;
    for (int r = 0; r < v.length; r++) {
      sum += e(module, r, c) * v[r];
    }
    return sum;
  }

  /** {@code s(root)} by the recursion, each object once (memoised by id). */
  double[] sketch(final List<SketchObject> objects, final String rootId) {
    final Map<String, SketchObject> byId = new HashMap<>();
    objects.forEach(o -> byId.put(o.id(), o));
    return sketch(byId.get(rootId), byId, new HashMap<>());
  }

  private double[] sketch(final SketchObject o, final Map<String, SketchObject> byId,
      final Map<String, double[]> done) {
    if (done.containsKey(o.id())) {
      return done.get(o.id());
    }
    final int d = spec.d();
    final double[] s = new double[d];
    final float[] x = o.attributes();
    for (int r = 0; r < d; r++) {
      double v = e(o.module(), r, 0);
      for (int c = 0; c < x.length; c++) {
        v += x[c] * e(o.module(), r, c + 1);
      }
      s[r] = v / Math.sqrt(2);
    }
    for (int pos = 0; pos < o.inputs().size(); pos++) {
      final SketchInput in = o.inputs().get(pos);
      final SketchObject child = byId.get(in.childId());
      if (child == null) {
        continue;
      }
      final double[] u = sketch(child, byId, done);
      final double[] ru = rotate(o.module(), in.slot() == null ? String.valueOf(pos) : in.slot(), u);
      for (int r = 0; r < d; r++) {
        s[r] += in.weight() * (spec.alpha() * u[r] + spec.beta() * ru[r]);
      }
    }
    done.put(o.id(), s);
    return s;
  }

  static double[] toDouble(final float[] v) {
    final double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i];
    }
    return out;
  }

  static double norm(final double[] v) {
    double s = 0;
    for (final double x : v) {
      s += x * x;
    }
    return Math.sqrt(s);
  }
}
