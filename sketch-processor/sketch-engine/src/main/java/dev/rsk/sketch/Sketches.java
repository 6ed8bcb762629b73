package dev.rsk.sketch;

import dev.rsk.sketch.SketchException.Reason;
import java.nio.ByteBuffer;

/**
 * Pure functions over sketches. Every binary operation throws {@link Reason#SPEC_MISMATCH} when the
 * specs differ: sketches with different parameters live in unrelated spaces.
 */
public final class Sketches {
  /** First byte of the int8 form. */
  public static final byte INT8_FORMAT = 1;
  /** Header of the int8 form: format byte + big-endian float32 scale. */
  public static final int INT8_HEADER_BYTES = 5;

  private Sketches() {}

  /**
   * Cosine similarity over the common prefix (all of it for full sketches), accumulated in double; 0
   * if either vector is zero. Off from the cosine of the exact embeddings by about {@code 1/sqrt(d)}.
   */
  public static double cosine(final Sketch a, final Sketch b) {
    sameSpec(a, b);
    return cosine(a.vector(), b.vector());
  }

  /**
   * Cosine similarity of two raw vectors over their common prefix, accumulated in double; 0 if either
   * is zero on that prefix. For stored vectors whose spec was already checked (equal specs are the
   * caller's duty: vectors of different specs are not comparable).
   */
  public static double cosine(final float[] a, final float[] b) {
    final int m = Math.min(a.length, b.length);
    final double aa = VectorOps.normSquared(a, m);
    final double bb = VectorOps.normSquared(b, m);
    if (aa == 0 || bb == 0) {
      return 0;
    }
    return VectorOps.dot(a, b, m) / Math.sqrt(aa * bb);
  }

  /** Euclidean norm of a raw vector, accumulated in double. */
  public static double norm(final float[] v) {
    return Math.sqrt(VectorOps.normSquared(v, v.length));
  }

  /**
   * The sketch of the union of two inferences' contents (sketches are linear). Summing a truncated
   * sketch keeps the common prefix.
   */
  public static Sketch sum(final Sketch a, final Sketch b) {
    sameSpec(a, b);
    final int m = Math.min(a.length(), b.length());
    final float[] x = a.vector();
    final float[] y = b.vector();
    final float[] out = new float[m];
    for (int i = 0; i < m; i++) {
      out[i] = x[i] + y[i];
    }
    return new Sketch(a.spec(), out);
  }

  /** {@code c * s}. */
  public static Sketch scale(final Sketch s, final float c) {
    if (!Float.isFinite(c)) {
      throw new SketchException(Reason.INVALID_OBJECT, "scale factor must be finite, got " + c);
    }
    final float[] v = s.vector();
    final float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = c * v[i];
    }
    return new Sketch(s.spec(), out);
  }

  /**
   * Keeps the first {@code max(1, round(q d))} coordinates (graceful erasure: coordinates are
   * exchangeable, so this is a random erasure). Decoders rescale by {@code d / m}; errors grow as
   * {@code 1 / sqrt(q)}. Never lengthens a sketch that is already shorter.
   *
   * @throws SketchException {@link Reason#INVALID_OBJECT} unless {@code 0 < q <= 1}
   */
  public static Sketch truncate(final Sketch s, final double q) {
    if (!(q > 0 && q <= 1)) {
      throw new SketchException(Reason.INVALID_OBJECT, "truncation fraction must be in (0, 1], got " + q);
    }
    final int m = (int) Math.max(1, Math.min(s.length(), Math.round(q * s.spec().d())));
    if (m == s.length()) {
      return s;
    }
    final float[] out = new float[m];
    System.arraycopy(s.vector(), 0, out, 0, m);
    return new Sketch(s.spec(), out);
  }

  /**
   * Compact storage: byte 0 = {@value #INT8_FORMAT}, bytes 1-4 = big-endian float32 scale {@code
   * max|v| / 127}, then one signed byte {@code round(v / scale)} per coordinate. About 4x smaller than
   * float32; the rounding error (at most {@code scale / 2} per coordinate, about 1% of the readout
   * noise) is measured by {@code SketchEval}.
   */
  public static byte[] toInt8(final Sketch s) {
    final float[] v = s.vector();
    float max = 0;
    for (final float x : v) {
      max = Math.max(max, Math.abs(x));
    }
    final float scale = max / 127f;
    final ByteBuffer buf = ByteBuffer.allocate(INT8_HEADER_BYTES + v.length);
    buf.put(INT8_FORMAT).putFloat(scale);
    for (final float x : v) {
      final int q = scale == 0f ? 0 : Math.round(x / scale);
      buf.put((byte) Math.max(-127, Math.min(127, q)));
    }
    return buf.array();
  }

  /**
   * Reads {@link #toInt8}'s form. The byte count fixes the length ({@code m <= d}: a truncated
   * sketch round-trips as truncated).
   *
   * @throws SketchException {@link Reason#INVALID_OBJECT} for a wrong format byte, a bad scale or a
   *     length outside [1, d]
   */
  public static Sketch fromInt8(final SketchSpec spec, final byte[] bytes) {
    if (bytes == null || bytes.length < INT8_HEADER_BYTES + 1) {
      throw new SketchException(Reason.INVALID_OBJECT, "int8 sketch must have at least 6 bytes");
    }
    final ByteBuffer buf = ByteBuffer.wrap(bytes);
    final byte format = buf.get();
    if (format != INT8_FORMAT) {
      throw new SketchException(Reason.INVALID_OBJECT, "unknown int8 sketch format " + format);
    }
    final float scale = buf.getFloat();
    if (!Float.isFinite(scale) || scale < 0) {
      throw new SketchException(Reason.INVALID_OBJECT, "int8 sketch scale must be finite and >= 0");
    }
    final int m = bytes.length - INT8_HEADER_BYTES;
    if (m > spec.d()) {
      throw new SketchException(
          Reason.INVALID_OBJECT, "int8 sketch has " + m + " coordinates, more than d=" + spec.d());
    }
    final float[] v = new float[m];
    for (int i = 0; i < m; i++) {
      v[i] = buf.get() * scale;
    }
    return new Sketch(spec, v);
  }

  private static void sameSpec(final Sketch a, final Sketch b) {
    if (a == null || b == null) {
      throw new SketchException(Reason.INVALID_OBJECT, "sketch must not be null");
    }
    if (!a.spec().equals(b.spec())) {
      throw new SketchException(
          Reason.SPEC_MISMATCH, "cannot combine sketches made with " + a.spec() + " and " + b.spec());
    }
  }
}
