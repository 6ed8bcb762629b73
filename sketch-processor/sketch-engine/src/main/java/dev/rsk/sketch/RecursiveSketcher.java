package dev.rsk.sketch;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Computes {@code s(root)} of an {@link ObjectDag}, bottom-up:
 *
 * <pre>
 *   s(t) = E_M x̄  +  sum_j w_j (alpha I + beta R_{M,j}) s(c_j),     x̄ = (1, x) / sqrt(2)
 * </pre>
 *
 * Each object is sketched once however many parents share it. Cost per object: {@code d (k_M + 1)}
 * multiply-adds for its own term plus {@code 2d} per input edge; memory: a few {@code d}-float
 * buffers per level of the DAG. Thread-safe: the matrix cache is shared, buffers are per call.
 */
public final class RecursiveSketcher {
  private final SketchSpec spec;
  private final MatrixCache cache;

  /** A sketcher with its own matrix cache of {@link MatrixCache#DEFAULT_BUDGET_BYTES}. */
  public RecursiveSketcher(final SketchSpec spec) {
    this(spec, MatrixCache.DEFAULT_BUDGET_BYTES);
  }

  /** A sketcher whose matrix cache holds at most {@code cacheBudgetBytes}. */
  public RecursiveSketcher(final SketchSpec spec, final long cacheBudgetBytes) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.cache = new MatrixCache(spec, cacheBudgetBytes);
  }

  public SketchSpec spec() {
    return spec;
  }

  /** The sketch of the DAG's root. Never fails on a validated DAG. */
  public Sketch sketch(final ObjectDag dag) {
    final int n = dag.nodeCount();
    final int d = spec.d();
    final float alpha = (float) spec.alpha();
    final float beta = (float) spec.beta();
    final float[][] out = new float[n][];
    final int[] uses = dag.uses.clone();
    final ArrayDeque<float[]> pool = new ArrayDeque<>();
    final float[] scratch = new float[d];
    // resolve each distinct module's columns once per call
    final Map<String, float[][]> basis = new HashMap<>();
    for (int i = 0; i < n; i++) {
      final String module = dag.modules[i];
      final float[] x = dag.attributes[i];
      float[][] cols = basis.get(module);
      if (cols == null || cols.length <= x.length) {
        cols = cache.columns(module, x.length);
        basis.put(module, cols);
      }
      final float[] acc = pool.isEmpty() ? new float[d] : pool.pop();
      VectorOps.embed(cols, x, acc);
      final int[] ch = dag.children[i];
      for (int e = 0; e < ch.length; e++) {
        final int c = ch[e];
        final float w = dag.weights[i][e];
        if (w != 0f) {
          final SignedPermutation r = cache.rotation(module, dag.slots[i][e]);
          VectorOps.addInput(acc, out[c], w * alpha, w * beta, r.perm, r.sign, scratch);
        }
        if (--uses[c] == 0) {
          pool.push(out[c]);
          out[c] = null;
        }
      }
      out[i] = acc;
    }
    return new Sketch(spec, out[n - 1]);
  }
}
