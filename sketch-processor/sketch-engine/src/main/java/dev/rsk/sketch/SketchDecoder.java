package dev.rsk.sketch;

import dev.rsk.sketch.SketchException.Reason;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Reads a sketch without its DAG. Thread-safe (shared bounded matrix cache, per-call buffers).
 * Structure recovery and the joint fit are delegated to the package-private {@code
 * StructureRecovery} and {@code JointReadouts}, one instance per call.
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
  /** Structure recovery stops adding nodes after this many. */
  public static final int MAX_RECOVERED_NODES = 1_000;
  /** Structure recovery does not unroll deeper than this many steps. */
  public static final int MAX_RECOVERY_DEPTH = 6;
  /** Most columns fitted jointly by {@link #jointReadouts} (also at most {@code d / 2}). */
  public static final int MAX_JOINT_COLUMNS = 512;
  /** Root inference (no root modules known) is skipped above this many candidate parents. */
  public static final int MAX_ROOT_INFERENCE_MODULES = 64;
  /** Tag-path levels searched by {@link #jointReadouts}. */
  public static final int JOINT_ROUNDS = 3;
  /** A block enters the joint fit when its presence is at least this many noise deviations. */
  public static final double JOINT_SELECT_SIGMAS = 2.0;

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

  /** The matrix cache, shared with the {@link JointDecoder}s built on this decoder. */
  MatrixCache cache() {
    return cache;
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
    return Readouts.ratio(readout(s, module, k));
  }

  /**
   * Attribute recovery of the object(s) of {@code module} under a tag path: unroll along the path,
   * then {@code readout[1:] / readout[0]}.
   */
  public double[] attributesAt(
      final Sketch s, final List<TagStep> path, final String module, final int k) {
    return meanAttributes(unroll(s, path), module, k);
  }

  /** The structure-recovery threshold: {@link Sketch#significanceThreshold()}. */
  public double threshold(final Sketch s) {
    check(s);
    return s.significanceThreshold();
  }

  /**
   * Structure recovery with no grammar: any catalogue module may be the root, positional slots
   * {@code "0".."7"} and every module are tried under each node. See {@link
   * #recoverStructure(Sketch, StructureCatalogue, double)}.
   */
  public RecoveredNode recoverStructure(final Sketch s, final Map<String, Integer> catalogue) {
    return recoverStructure(s, StructureCatalogue.of(catalogue), DEFAULT_TAU_FACTOR);
  }

  /** {@link #recoverStructure(Sketch, StructureCatalogue, double)} with {@code tauFactor = 4}. */
  public RecoveredNode recoverStructure(final Sketch s, final StructureCatalogue catalogue) {
    return recoverStructure(s, catalogue, DEFAULT_TAU_FACTOR);
  }

  /**
   * Recovers the DAG's shape from the sketch alone: the root is the candidate root module of
   * largest presence (with no known root modules: of largest presence among the modules not found
   * as an input of another present module); then for each slot of a found node's module, unroll
   * {@code R_{module,slot}} and keep every candidate input module whose presence reaches {@code tau
   * = tauFactor ||s|| / sqrt(d)}, and recurse. Presence noise is about {@code sqrt(2) ||s|| /
   * sqrt(d)}, so with {@code tauFactor = 4} an input whose mass under its tag path is {@code >= 2
   * tau} is missed with probability at most about 0.2%, and each test of an absent module fires
   * with probability about 0.2% (hence a grammar that keeps the candidates few). Stops after
   * {@value #MAX_RECOVERED_NODES} nodes or {@value #MAX_RECOVERY_DEPTH} levels.
   *
   * @throws SketchException {@link Reason#INVALID_OBJECT} for a non-positive tauFactor
   */
  public RecoveredNode recoverStructure(
      final Sketch s, final StructureCatalogue catalogue, final double tauFactor) {
    check(s);
    Objects.requireNonNull(catalogue, "catalogue");
    if (!(tauFactor > 0) || Double.isInfinite(tauFactor)) {
      throw new SketchException(Reason.INVALID_OBJECT, "tauFactor must be finite and > 0");
    }
    final float[] full = expand(s);
    final double tau = new Sketch(spec, full).significanceThreshold(tauFactor);
    return new StructureRecovery(cache, tau).recover(full, catalogue);
  }

  /**
   * Readouts at the root path with interference cancelled: the heaviest blocks of the sketch (every
   * catalogue module at the root path by decreasing presence, then, for {@value #JOINT_ROUNDS}
   * rounds, the tagged blocks that structure recovery finds in the residual) are fitted jointly by
   * least squares, at most {@value #MAX_JOINT_COLUMNS} columns and {@code d / 2}; each module's
   * readout is its fitted block (if any) plus {@code E_M^T} of the residual. The error then
   * comes only from the blocks left out, instead of from the whole sketch: for a sum of many similar
   * sketches, where a few blocks (the root's presence) dominate the norm, it is several times more
   * accurate than {@link #readout}. Costs about {@code p^2 d} for {@code p} fitted columns.
   *
   * @return module to readout vector ({@code k + 1}) for every catalogue module, sorted by module
   */
  public Map<String, double[]> jointReadouts(final Sketch s, final StructureCatalogue catalogue) {
    check(s);
    return new JointReadouts(cache, catalogue).readouts(expand(s));
  }

  /** {@code sqrt(2) * jointReadouts(...)[M][0]} for every catalogue module. */
  public Map<String, Double> jointPresence(final Sketch s, final StructureCatalogue catalogue) {
    final Map<String, Double> out = new TreeMap<>();
    jointReadouts(s, catalogue).forEach((m, r) -> out.put(m, Math.sqrt(2.0) * r[0]));
    return out;
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
}
