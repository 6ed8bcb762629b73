package dev.rsk.sketch;

import dev.rsk.sketch.SketchException.Reason;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Reads a sketch without its DAG. Thread-safe (shared bounded matrix cache, per-call buffers).
 *
 * <p>Accuracy: {@link #readout} is off from the truth by about {@code ||s|| * sqrt((k + 1) / d)} in
 * Euclidean norm (so about {@code ||s|| / sqrt(d)} per coordinate); unrolling adds no noise. On a
 * truncated sketch of {@code m} coordinates every estimate is rescaled by {@code d / m} and the noise
 * grows by {@code sqrt(d / m)}. Every method throws {@link Reason#SPEC_MISMATCH} for a sketch made
 * with another spec, and {@link Reason#LIMIT_EXCEEDED} for {@code k} outside [0, {@value
 * ObjectDag#MAX_ATTRIBUTES}].
 */
public final class SketchDecoder {
  /** Structure recovery threshold: {@code tau = 4 ||s|| / sqrt(d)}. */
  public static final double DEFAULT_TAU_FACTOR = 4.0;
  /** Slots tried per module when no slot list is given: {@code "0"} .. {@code "7"}. */
  public static final int DEFAULT_POSITIONAL_SLOTS = 8;
  /** Structure recovery stops adding nodes after this many. */
  public static final int MAX_RECOVERED_NODES = 1_000;
  /** Structure recovery does not unroll deeper than this many steps. */
  public static final int MAX_RECOVERY_DEPTH = 6;

  private static final List<String> POSITIONAL_SLOTS = positionalSlots(DEFAULT_POSITIONAL_SLOTS);

  private final SketchSpec spec;
  private final MatrixCache cache;

  public SketchDecoder(final SketchSpec spec) {
    this(spec, MatrixCache.DEFAULT_BUDGET_BYTES);
  }

  /** A decoder whose matrix cache holds at most {@code cacheBudgetBytes}. */
  public SketchDecoder(final SketchSpec spec, final long cacheBudgetBytes) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.cache = new MatrixCache(spec, cacheBudgetBytes);
  }

  public SketchSpec spec() {
    return spec;
  }

  /**
   * {@code E_M^T u} (length {@code k + 1}); for a prefix of {@code m} coordinates, the first {@code
   * m} rows of {@code E_M} times {@code d / m}. Entry 0 is the presence coordinate.
   */
  public double[] readout(final Sketch s, final String module, final int k) {
    check(s);
    checkK(k);
    final float[] v = s.vector();
    final int m = v.length;
    final double scale = (double) spec.d() / m;
    final float[][] cols = cache.columns(module, k);
    final double[] r = new double[k + 1];
    for (int c = 0; c <= k; c++) {
      r[c] = VectorOps.dot(cols[c], v, m) * scale;
    }
    return r;
  }

  /**
   * {@code R_{module,slot}^T u}. Exact and noise-free on a full sketch. On a truncated sketch the
   * erased coordinates are zero-filled and the kept ones scaled by {@code d / m} first (an unbiased
   * reconstruction), so the result is full length and decodes like the truncated sketch would.
   */
  public Sketch unroll(final Sketch s, final String module, final String slot) {
    check(s);
    final float[] out = new float[spec.d()];
    cache.rotation(module, slot).applyTranspose(expand(s), out);
    return new Sketch(spec, out);
  }

  /** Unrolls along a tag path, root first. An empty path returns the sketch unchanged. */
  public Sketch unroll(final Sketch s, final List<TagStep> path) {
    check(s);
    Sketch u = s;
    for (final TagStep step : path) {
      u = unroll(u, step.module(), step.slot());
    }
    return u;
  }

  /**
   * {@code sqrt(2) * readout[0]}: the effective-weight mass of {@code module} anywhere in the DAG
   * (sum over root-to-object paths of the product of {@code w * alpha}). Noise about {@code sqrt(2)
   * ||s|| / sqrt(d)}. {@code k} is only validated: the presence column does not depend on it.
   */
  public double presence(final Sketch s, final String module, final int k) {
    checkK(k);
    return presence(s, module);
  }

  /** {@link #presence(Sketch, String, int)} without {@code k}. */
  public double presence(final Sketch s, final String module) {
    check(s);
    final float[] v = s.vector();
    final float[] col = cache.columns(module, 0)[0];
    return Math.sqrt(2.0) * VectorOps.dot(col, v, v.length) * ((double) spec.d() / v.length);
  }

  /**
   * Estimated number of {@code module} objects at {@code depth} below the root, assuming unit
   * weights and that the module occurs only at that depth: {@code presence / alpha^depth}.
   */
  public double count(final Sketch s, final String module, final int depth) {
    if (depth < 0) {
      throw new SketchException(Reason.INVALID_OBJECT, "depth must be >= 0, got " + depth);
    }
    return presence(s, module) / Math.pow(spec.alpha(), depth);
  }

  /**
   * {@code readout[1:] / readout[0]}: the effective-weight mean attributes of {@code module}.
   * Meaningful only when its presence is well above the noise; NaN or infinite when {@code
   * readout[0]} is 0.
   */
  public double[] meanAttributes(final Sketch s, final String module, final int k) {
    return ratioOf(readout(s, module, k));
  }

  /**
   * Attribute recovery of the object(s) of {@code module} under a tag path: unroll along the path,
   * then {@code readout[1:] / readout[0]}.
   */
  public double[] attributesAt(
      final Sketch s, final List<TagStep> path, final String module, final int k) {
    return meanAttributes(unroll(s, path), module, k);
  }

  /** The structure-recovery threshold {@code tau = 4 ||s|| / sqrt(d)} (norm of the rescaled sketch). */
  public double threshold(final Sketch s) {
    check(s);
    return DEFAULT_TAU_FACTOR * norm(expand(s)) / Math.sqrt(spec.d());
  }

  /**
   * Structure recovery with positional slots {@code "0".."7"} for every module. See {@link
   * #recoverStructure(Sketch, Map, Map, double)}.
   */
  public RecoveredNode recoverStructure(final Sketch s, final Map<String, Integer> catalogue) {
    return recoverStructure(s, catalogue, null, DEFAULT_TAU_FACTOR);
  }

  /**
   * Recovers the DAG's shape from the sketch alone: the root is the catalogue module of largest
   * presence; then for each slot of a found node's module, unroll {@code R_{module,slot}} and keep
   * every catalogue module whose presence reaches {@code tau = tauFactor ||s|| / sqrt(d)}, and
   * recurse. With {@code tauFactor = 4} a module is missed with probability about 0.3% when its mass
   * under the tag path is {@code >= 2 tau}, and a module that is absent shows up with about the same
   * probability per test. Stops after {@value #MAX_RECOVERED_NODES} nodes or {@value
   * #MAX_RECOVERY_DEPTH} steps.
   *
   * @param catalogue every candidate module and its {@code k}
   * @param slotsByModule slots to try per module (absent module: none, it is treated as a leaf), or
   *     null for positional slots {@code "0".."7"} everywhere
   * @throws SketchException {@link Reason#INVALID_OBJECT} if the catalogue is empty
   */
  public RecoveredNode recoverStructure(
      final Sketch s,
      final Map<String, Integer> catalogue,
      final Map<String, ? extends Collection<String>> slotsByModule,
      final double tauFactor) {
    check(s);
    if (catalogue == null || catalogue.isEmpty()) {
      throw new SketchException(Reason.INVALID_OBJECT, "structure recovery needs a non-empty catalogue");
    }
    if (!(tauFactor > 0) || Double.isInfinite(tauFactor)) {
      throw new SketchException(Reason.INVALID_OBJECT, "tauFactor must be finite and > 0");
    }
    final TreeMap<String, Integer> modules = new TreeMap<>(catalogue);
    modules.values().forEach(SketchDecoder::checkK);
    final float[] full = expand(s);
    final double tau = tauFactor * norm(full) / Math.sqrt(spec.d());
    String rootModule = null;
    double best = Double.NEGATIVE_INFINITY;
    for (final String m : modules.keySet()) {
      final double p = presence(full, m);
      if (p > best) {
        best = p;
        rootModule = m;
      }
    }
    final int[] budget = {MAX_RECOVERED_NODES - 1};
    return recover(full, rootModule, List.of(), 0, modules, slotsByModule, tau, budget);
  }

  private RecoveredNode recover(
      final float[] u,
      final String module,
      final List<String> path,
      final int depth,
      final TreeMap<String, Integer> modules,
      final Map<String, ? extends Collection<String>> slotsByModule,
      final double tau,
      final int[] budget) {
    final double[] r = readoutFull(u, module, modules.get(module));
    final Map<String, List<RecoveredNode>> children = new LinkedHashMap<>();
    if (depth < MAX_RECOVERY_DEPTH) {
      Collection<String> slots = POSITIONAL_SLOTS;
      if (slotsByModule != null) {
        final Collection<String> given = slotsByModule.get(module);
        slots = given == null ? List.of() : given;
      }
      for (final String slot : slots) {
        if (budget[0] <= 0) {
          break;
        }
        final float[] u2 = new float[spec.d()];
        cache.rotation(module, slot).applyTranspose(u, u2);
        final List<Map.Entry<String, Double>> found = new ArrayList<>();
        for (final String m : modules.keySet()) {
          final double p = presence(u2, m);
          if (p >= tau) {
            found.add(Map.entry(m, p));
          }
        }
        found.sort(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()));
        final List<RecoveredNode> list = new ArrayList<>();
        final List<String> childPath = new ArrayList<>(path);
        childPath.add(new TagStep(module, slot).toString());
        for (final Map.Entry<String, Double> f : found) {
          if (budget[0] <= 0) {
            break;
          }
          budget[0]--;
          list.add(recover(u2, f.getKey(), childPath, depth + 1, modules, slotsByModule, tau, budget));
        }
        if (!list.isEmpty()) {
          children.put(slot, list);
        }
      }
    }
    return new RecoveredNode(module, path, Math.sqrt(2.0) * r[0], ratioOf(r), children);
  }

  private double presence(final float[] full, final String module) {
    return Math.sqrt(2.0) * VectorOps.dot(cache.columns(module, 0)[0], full, full.length);
  }

  private double[] readoutFull(final float[] full, final String module, final int k) {
    final float[][] cols = cache.columns(module, k);
    final double[] r = new double[k + 1];
    for (int c = 0; c <= k; c++) {
      r[c] = VectorOps.dot(cols[c], full, full.length);
    }
    return r;
  }

  /** The full-length vector: the sketch itself, or a zero-filled prefix scaled by {@code d / m}. */
  private float[] expand(final Sketch s) {
    final float[] v = s.vector();
    if (v.length == spec.d()) {
      return v;
    }
    final float scale = (float) ((double) spec.d() / v.length);
    final float[] full = new float[spec.d()];
    for (int i = 0; i < v.length; i++) {
      full[i] = v[i] * scale;
    }
    return full;
  }

  private static double norm(final float[] v) {
    return Math.sqrt(VectorOps.normSquared(v, v.length));
  }

  private static double[] ratioOf(final double[] r) {
    final double[] x = new double[r.length - 1];
    for (int i = 0; i < x.length; i++) {
      x[i] = r[i + 1] / r[0];
    }
    return x;
  }

  private void check(final Sketch s) {
    if (s == null) {
      throw new SketchException(Reason.INVALID_OBJECT, "sketch must not be null");
    }
    if (!spec.equals(s.spec())) {
      throw new SketchException(
          Reason.SPEC_MISMATCH, "sketch made with " + s.spec() + ", decoder has " + spec);
    }
  }

  private static void checkK(final int k) {
    if (k < 0 || k > ObjectDag.MAX_ATTRIBUTES) {
      throw new SketchException(
          Reason.LIMIT_EXCEEDED, "k must be in [0, " + ObjectDag.MAX_ATTRIBUTES + "], got " + k);
    }
  }

  private static List<String> positionalSlots(final int n) {
    final List<String> slots = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      slots.add(String.valueOf(i));
    }
    return List.copyOf(slots);
  }
}
