package dev.rsk.sketch;

import dev.rsk.sketch.SketchException.Reason;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

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
   * Recovers the DAG's shape from the sketch alone: the root is the candidate root module of largest
   * presence (with no known root modules: of largest presence among the modules not found as an
   * input of another present module); then for each slot of a found node's module, unroll {@code R_{module,slot}} and keep
   * every candidate input module whose presence reaches {@code tau = tauFactor ||s|| / sqrt(d)}, and
   * recurse. Presence noise is about {@code sqrt(2) ||s|| / sqrt(d)}, so with {@code tauFactor = 4} an
   * input whose mass under its tag path is {@code >= 2 tau} is missed with probability below 0.1%,
   * and each test of an absent module fires with probability about 0.2% (hence a grammar that keeps
   * the candidates few). Stops after {@value #MAX_RECOVERED_NODES} nodes or {@value
   * #MAX_RECOVERY_DEPTH} levels.
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
    final int[] budget = {MAX_RECOVERED_NODES - 1};
    final StructureCatalogue narrowed = narrowed(full, catalogue);
    final String root = catalogue.rootModules().isEmpty()
        ? inferRoot(full, narrowed, tau)
        : rootModule(full, catalogue);
    return recover(full, root, List.of(), 0, narrowed, tau, budget);
  }

  /**
   * With no known root modules, the largest presence is often a child module (several children
   * of one module outweigh the root). So: among the modules that have slots in the (narrowed)
   * catalogue, drop those found as an input of another one, and take the largest presence of the
   * rest (falling back to the largest presence overall).
   */
  private String inferRoot(final float[] full, final StructureCatalogue catalogue, final double tau) {
    final Set<String> parents = catalogue.inputModules() == null
        ? catalogue.attributeLengths().keySet() : catalogue.inputModules().keySet();
    final Set<String> inputs = new HashSet<>();
    if (parents.size() <= MAX_ROOT_INFERENCE_MODULES) {
      for (final String parent : parents) {
        for (final Map.Entry<String, ? extends Collection<String>> slot : catalogue.slotsOf(parent).entrySet()) {
          final float[] u = new float[spec.d()];
          cache.rotation(parent, slot.getKey()).applyTranspose(full, u);
          for (final String m : slot.getValue()) {
            if (!m.equals(parent) && catalogue.attributeLengths().containsKey(m) && presence(u, m) >= tau) {
              inputs.add(m);
            }
          }
        }
      }
    }
    String best = null;
    double bestPresence = Double.NEGATIVE_INFINITY;
    for (final String m : parents) {
      final double p = presence(full, m);
      if (!inputs.contains(m) && catalogue.attributeLengths().containsKey(m) && p > bestPresence) {
        best = m;
        bestPresence = p;
      }
    }
    return best != null ? best : rootModule(full, catalogue);
  }

  /**
   * Without a grammar, every module would be tested on every positional slot. But with {@code alpha >
   * 0} a module present anywhere is also present at the root path (identity copies), so only the
   * modules whose root-path presence reaches two noise deviations are candidates: far fewer tests,
   * far fewer false positives.
   */
  private StructureCatalogue narrowed(final float[] full, final StructureCatalogue catalogue) {
    if (catalogue.inputModules() != null || spec.alpha() == 0) {
      return catalogue;
    }
    final double sigma = new Sketch(spec, full).readoutStdError();
    final Set<String> present = new TreeSet<>();
    for (final String m : catalogue.attributeLengths().keySet()) {
      if (presence(full, m) >= JOINT_SELECT_SIGMAS * sigma) {
        present.add(m);
      }
    }
    final Map<String, Set<String>> slots = new LinkedHashMap<>();
    for (int i = 0; i < StructureCatalogue.POSITIONAL_SLOTS; i++) {
      slots.put(String.valueOf(i), present);
    }
    final Map<String, Map<String, Set<String>>> grammar = new LinkedHashMap<>();
    for (final String m : present) {
      grammar.put(m, slots);
    }
    return new StructureCatalogue(catalogue.attributeLengths(), catalogue.rootModules(), grammar);
  }

  private String rootModule(final float[] full, final StructureCatalogue catalogue) {
    String rootModule = null;
    double best = Double.NEGATIVE_INFINITY;
    for (final String m : catalogue.roots()) {
      if (!catalogue.attributeLengths().containsKey(m)) {
        continue;
      }
      final double p = presence(full, m);
      if (p > best) {
        best = p;
        rootModule = m;
      }
    }
    if (rootModule == null) {
      throw new SketchException(Reason.INVALID_OBJECT, "no root module of the catalogue has a known k");
    }
    return rootModule;
  }

  private RecoveredNode recover(
      final float[] u,
      final String module,
      final List<String> path,
      final int depth,
      final StructureCatalogue catalogue,
      final double tau,
      final int[] budget) {
    final double[] r = readoutFull(u, module, catalogue.attributeLengths().get(module));
    final Map<String, List<RecoveredNode>> children = new LinkedHashMap<>();
    if (depth < MAX_RECOVERY_DEPTH) {
      for (final Map.Entry<String, ? extends Collection<String>> slot : catalogue.slotsOf(module).entrySet()) {
        if (budget[0] <= 0) {
          break;
        }
        final float[] u2 = new float[spec.d()];
        cache.rotation(module, slot.getKey()).applyTranspose(u, u2);
        final List<Map.Entry<String, Double>> found = new ArrayList<>();
        for (final String m : slot.getValue()) {
          if (!catalogue.attributeLengths().containsKey(m)) {
            continue;
          }
          final double p = presence(u2, m);
          if (p >= tau) {
            found.add(Map.entry(m, p));
          }
        }
        found.sort(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()));
        final List<RecoveredNode> list = new ArrayList<>();
        final List<String> childPath = new ArrayList<>(path);
        childPath.add(new TagStep(module, slot.getKey()).toString());
        for (final Map.Entry<String, Double> f : found) {
          if (budget[0] <= 0) {
            break;
          }
          budget[0]--;
          list.add(recover(u2, f.getKey(), childPath, depth + 1, catalogue, tau, budget));
        }
        if (!list.isEmpty()) {
          children.put(slot.getKey(), list);
        }
      }
    }
    return new RecoveredNode(module, path, Math.sqrt(2.0) * r[0], ratioOf(r), children);
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
    final float[] full = expand(s);
    final double sigma = new Sketch(spec, full).readoutStdError();
    final List<TagStep> root = List.of();
    final List<JointFit.Block> blocks = new ArrayList<>();
    final Set<JointFit.Key> chosen = new HashSet<>();
    // every module present anywhere is present at the root path too (identity copies), so the
    // modules found there are the candidates at every tag path
    final List<String> present = new ArrayList<>();
    for (final Map.Entry<String, Integer> m : catalogue.attributeLengths().entrySet()) {
      final double p = Math.abs(presence(full, m.getKey()));
      if (p >= JOINT_SELECT_SIGMAS * sigma) {
        present.add(m.getKey());
        blocks.add(new JointFit.Block(root, m.getKey(), m.getValue(), p));
        chosen.add(new JointFit.Key(root, m.getKey()));
      }
    }
    blocks.sort(Comparator.comparingDouble(JointFit.Block::weight).reversed());
    final int maxColumns = Math.min(MAX_JOINT_COLUMNS, spec.d() / 2);
    final JointFit fit = new JointFit(cache, full, maxColumns);
    fit.add(blocks);
    // then, level by level, tagged blocks: paths extended by one step (a present module and one of
    // its slots) from the blocks found at the previous level, kept when their presence in the
    // residual is significant
    List<JointFit.Block> frontier = new ArrayList<>(blocks);
    for (int round = 0; round < JOINT_ROUNDS && !frontier.isEmpty(); round++) {
      final float[] res = fit.residual();
      final double sigmaR = new Sketch(spec, res).readoutStdError();
      final List<JointFit.Block> found = new ArrayList<>();
      final Set<List<TagStep>> tried = new HashSet<>();
      for (final JointFit.Block b : frontier) {
        for (final String slot : catalogue.slotsOf(b.module()).keySet()) {
          final List<TagStep> path = new ArrayList<>(b.path());
          path.add(new TagStep(b.module(), slot));
          if (!tried.add(path)) {
            continue;
          }
          final float[] u = unrollFull(res, path);
          for (final String m : present) {
            final JointFit.Key key = new JointFit.Key(path, m);
            if (chosen.contains(key)) {
              continue;
            }
            final double p = Math.abs(presence(u, m));
            if (p >= JOINT_SELECT_SIGMAS * sigmaR) {
              chosen.add(key);
              found.add(new JointFit.Block(List.copyOf(path), m, catalogue.attributeLengths().get(m), p));
            }
          }
        }
      }
      if (found.isEmpty()) {
        break;
      }
      found.sort(Comparator.comparingDouble(JointFit.Block::weight).reversed());
      if (fit.add(found) == 0) {
        break;
      }
      frontier = found;
    }
    final Map<String, double[]> out = new TreeMap<>();
    for (final Map.Entry<String, Integer> m : catalogue.attributeLengths().entrySet()) {
      final double[] r = readoutFull(fit.residual(), m.getKey(), m.getValue());
      final double[] z = fit.coefficients(root, m.getKey());
      if (z != null) {
        for (int c = 0; c < r.length; c++) {
          r[c] += z[c];
        }
      }
      out.put(m.getKey(), r);
    }
    return out;
  }

  /** {@code sqrt(2) * jointReadouts(...)[M][0]} for every catalogue module. */
  public Map<String, Double> jointPresence(final Sketch s, final StructureCatalogue catalogue) {
    final Map<String, Double> out = new TreeMap<>();
    jointReadouts(s, catalogue).forEach((m, r) -> out.put(m, Math.sqrt(2.0) * r[0]));
    return out;
  }

  private float[] unrollFull(final float[] u, final List<TagStep> path) {
    float[] v = u;
    for (final TagStep step : path) {
      final float[] out = new float[v.length];
      cache.rotation(step.module(), step.slot()).applyTranspose(v, out);
      v = out;
    }
    return v;
  }

  /** Every sub-sequence of a path (order kept), the path itself included; at most 2^6 of them. */
  private static List<List<TagStep>> subsequences(final List<TagStep> path) {
    final List<List<TagStep>> out = new ArrayList<>();
    final int n = Math.min(path.size(), MAX_RECOVERY_DEPTH);
    for (int mask = 0; mask < (1 << n); mask++) {
      final List<TagStep> sub = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if ((mask & (1 << i)) != 0) {
          sub.add(path.get(i));
        }
      }
      out.add(List.copyOf(sub));
    }
    return out;
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
}
