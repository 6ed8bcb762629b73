package dev.rsk.bench.sketch;

import dev.rsk.sketch.ObjectDag;
import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchDecoder;
import dev.rsk.sketch.SketchInput;
import dev.rsk.sketch.SketchObject;
import dev.rsk.sketch.SketchSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The same math with dense matrices, for comparison only: {@code E_M} as a dense {@code d x (k+1)}
 * matrix and every {@code R_{M,j}} as a dense {@code d x d} matrix (the signed permutation
 * materialised), applied by plain matrix-vector products. Matrices are extracted from the real
 * engine (by decoding unit vectors), so both compute the same sketch; the naive one just pays {@code
 * O(d^2)} per input edge and {@code 4 d^2} bytes per (module, slot).
 */
public final class NaiveDenseSketcher {
  private final SketchSpec spec;
  private final SketchDecoder decoder;
  private final Map<String, float[]> embeddings = new HashMap<>();
  private final Map<String, float[]> rotations = new HashMap<>();

  public NaiveDenseSketcher(final SketchSpec spec) {
    this.spec = spec;
    this.decoder = new SketchDecoder(spec);
  }

  /** Dense {@code R_{module,slot}}, row-major; row i of R is {@code R^T e_i}, obtained by unrolling unit vectors. */
  public float[] rotation(final String module, final String slot) {
    return rotations.computeIfAbsent(module + "\u0000" + slot, key -> {
      final int d = spec.d();
      final float[] r = new float[d * d];
      for (int i = 0; i < d; i++) {
        // column i of R^T is R^T e_i, i.e. row i of R
        final float[] e = new float[d];
        e[i] = 1f;
        final float[] row = decoder.unroll(new Sketch(spec, e), module, slot).vector();
        System.arraycopy(row, 0, r, i * d, d);
      }
      return r;
    });
  }

  /** Dense {@code E_module} row-major {@code d x (k+1)}: row i is readout of unit vector e_i. */
  public float[] embedding(final String module, final int k) {
    return embeddings.computeIfAbsent(module + "\u0000" + k, key -> {
      final int d = spec.d();
      final float[] m = new float[d * (k + 1)];
      for (int i = 0; i < d; i++) {
        final float[] e = new float[d];
        e[i] = 1f;
        final double[] r = decoder.readout(new Sketch(spec, e), module, k);
        for (int c = 0; c <= k; c++) {
          m[i * (k + 1) + c] = (float) r[c];
        }
      }
      return m;
    });
  }

  /** {@code y = M x} for a dense row-major {@code rows x cols} matrix. */
  public static void multiply(final float[] m, final int rows, final int cols, final float[] x, final float[] y) {
    for (int i = 0; i < rows; i++) {
      float s = 0;
      final int base = i * cols;
      for (int j = 0; j < cols; j++) {
        s += m[base + j] * x[j];
      }
      y[i] = s;
    }
  }

  /** Sketch of a DAG given as objects (strict, like {@link ObjectDag#of}), recursively. */
  public float[] sketch(final List<SketchObject> objects, final String rootId) {
    final Map<String, SketchObject> byId = new HashMap<>();
    objects.forEach(o -> byId.put(o.id(), o));
    return sketch(byId.get(rootId), byId, new HashMap<>());
  }

  private float[] sketch(final SketchObject o, final Map<String, SketchObject> byId, final Map<String, float[]> memo) {
    final float[] done = memo.get(o.id());
    if (done != null) {
      return done;
    }
    final int d = spec.d();
    final int k = o.attributes().length;
    final float[] xbar = new float[k + 1];
    final float inv = (float) (1 / Math.sqrt(2));
    xbar[0] = inv;
    for (int i = 0; i < k; i++) {
      xbar[i + 1] = o.attributes()[i] * inv;
    }
    final float[] s = new float[d];
    multiply(embedding(o.module(), k), d, k + 1, xbar, s);
    final float[] ru = new float[d];
    final List<SketchInput> in = o.inputs();
    for (int pos = 0; pos < in.size(); pos++) {
      final SketchInput e = in.get(pos);
      final float[] u = sketch(byId.get(e.childId()), byId, memo);
      multiply(rotation(o.module(), e.slot() == null ? String.valueOf(pos) : e.slot()), d, d, u, ru);
      final float a = (float) (e.weight() * spec.alpha());
      final float b = (float) (e.weight() * spec.beta());
      for (int i = 0; i < d; i++) {
        s[i] += a * u[i] + b * ru[i];
      }
    }
    memo.put(o.id(), s);
    return s;
  }
}
