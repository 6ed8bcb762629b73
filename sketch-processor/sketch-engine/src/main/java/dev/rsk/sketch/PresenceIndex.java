package dev.rsk.sketch;

import dev.rsk.sketch.SketchException.Reason;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Presence of many modules in a sketch at once: the presence columns of a fixed module list stored
 * row by row ({@code d x n}), so that {@code E_0^T u} is {@code d} vectorisable multiply-adds of
 * length {@code n} instead of {@code n} scalar dot products. Build once per catalogue, apply to many
 * sketches; immutable and thread-safe. Same estimate and noise as {@link
 * SketchDecoder#presence(Sketch, String)} (up to float rounding: accumulated in float, in row order).
 */
public final class PresenceIndex {
  /** Most matrix entries ({@code d * modules}): 16 Mi floats, 64 MiB. */
  public static final long MAX_ENTRIES = 16L << 20;

  private final SketchSpec spec;
  private final List<String> modules;
  /** Row-major {@code d x n}: {@code rows[i * n + m] = E_m[i][0]}. */
  private final float[] rows;

  /**
   * @throws SketchException {@link Reason#LIMIT_EXCEEDED} above {@link #MAX_ENTRIES} entries
   */
  public PresenceIndex(final SketchSpec spec, final Collection<String> modules) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.modules = Collections.unmodifiableList(new ArrayList<>(modules));
    final int n = this.modules.size();
    final int d = spec.d();
    if ((long) n * d > MAX_ENTRIES) {
      throw new SketchException(Reason.LIMIT_EXCEEDED,
          n + " modules x d=" + d + " exceed " + MAX_ENTRIES + " presence-index entries");
    }
    final MatrixCache cache = new MatrixCache(spec, 0);
    rows = new float[n * d];
    for (int m = 0; m < n; m++) {
      final float[] col = cache.columns(this.modules.get(m), 0)[0];
      for (int i = 0; i < d; i++) {
        rows[i * n + m] = col[i];
      }
    }
  }

  public List<String> modules() {
    return modules;
  }

  /**
   * {@code sqrt(2) * (E_m^T u)[0]} for every module, in {@link #modules()} order; a truncated sketch
   * uses its {@code m} rows, rescaled by {@code d / m}.
   *
   * @throws SketchException {@link Reason#SPEC_MISMATCH} for a sketch of another spec
   */
  public double[] presence(final Sketch s) {
    if (!spec.equals(s.spec())) {
      throw new SketchException(Reason.SPEC_MISMATCH, "sketch made with " + s.spec() + ", index has " + spec);
    }
    final int n = modules.size();
    final float[] acc = new float[n];
    final float[] u = s.vector();
    for (int i = 0; i < u.length; i++) {
      final float ui = u[i];
      final int base = i * n;
      for (int m = 0; m < n; m++) {
        acc[m] += ui * rows[base + m];
      }
    }
    final double scale = Math.sqrt(2.0) * spec.d() / u.length;
    final double[] out = new double[n];
    for (int m = 0; m < n; m++) {
      out[m] = acc[m] * scale;
    }
    return out;
  }
}
