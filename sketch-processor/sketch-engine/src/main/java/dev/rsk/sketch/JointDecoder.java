package dev.rsk.sketch;

import dev.rsk.sketch.DecodedInference.Method;
import dev.rsk.sketch.SketchException.Reason;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decodes sketches with the network's structure (recursive-sketch.md section 6). Built once per (spec,
 * {@link StructureCatalogue}); get one from {@link DecoderCache#forStructure}.
 *
 * <p><b>How.</b> The catalogue's grammar is unfolded into <em>positions</em> (a root module, then up
 * to {@value #MAX_DEPTH} "input {@code slot} of a {@code module}" steps); the objects at a position
 * add {@code A_p u_p} to the sketch, where {@code A_p} is fixed by the spec and the path (the sum of
 * that position's {@code 2^depth} blocks) and {@code u_p} holds their weighted count and attribute
 * sums. A sketch of a DAG that follows the catalogue, and any sum of such sketches, lies exactly in
 * the span of these columns. When the columns number at most {@value #FILL} times the sketch's rows,
 * {@link #decode} is one least-squares fit ({@link Method#JOINT}): the Gram matrix is factored once
 * per row count (Cholesky), a decode costs about {@code 2 p m} for {@code p} columns and {@code m}
 * rows. Otherwise positions are chosen by tree-first orthogonal matching pursuit within that budget
 * ({@link Method#SPARSE}). A catalogue without grammar or roots, or a sketch too short even for a
 * sparse fit, falls back to greedy recovery ({@link Method#GREEDY_FALLBACK}), and the answer says so.
 *
 * <p><b>Accuracy.</b> Every number carries a standard error from the fit's residual and the factor:
 * {@code sigma^2 G^{-1}} with {@code sigma^2 = ||r||^2 / (m - p)}. Where the fit is exact (every
 * object on an allowed position, {@code p} well below {@code m}) the residual is float32 rounding and
 * the errors and their standard errors are at storage precision (never 0). Noise comes from int8
 * storage, objects outside the structure (deeper than {@value #MAX_DEPTH}, unseen edges) and, in a
 * sparse fit, positions left out; it is then estimated from the residual. Truncated sketches are fitted
 * on their prefix rows (a factor per prefix length, {@value #FACTOR_CACHE} kept). {@code ./rsk
 * sketch-eval} checks that about 95% of decoded counts and attributes fall within two standard
 * errors.
 *
 * <p>Thread-safe: the columns are immutable, the factors are cached under a lock.
 */
public final class JointDecoder {
  /** Deepest position enumerated (steps from the root). */
  public static final int MAX_DEPTH = 3;
  /** Most columns kept for a structure (a level that would exceed it is left out whole)... */
  public static final int MAX_STRUCTURE_COLUMNS = 8192;
  /** ...and at most this many floats of columns ({@code columns x d}, 32 MiB). */
  public static final int MAX_STRUCTURE_FLOATS = 1 << 23;
  /** Most columns of one factored fit, joint or sparse (its factor and inverse take {@code 24 p^2} bytes). */
  public static final int MAX_FIT_COLUMNS = 1024;
  /** The joint fit is used when columns are at most this fraction of rows; also the sparse budget. */
  public static final double FILL = 0.5;
  /** A node is reported when its count is at least this many standard errors... */
  public static final double SIGNIFICANCE_Z = 4.0;
  /** ...and at least this count (weighted objects). */
  public static final double MIN_NODE_COUNT = 0.05;
  /** Factors kept, one per distinct sketch length (full and truncated prefixes). */
  public static final int FACTOR_CACHE = 4;

  private record Factor(GramFactor gram, double[] inverse, int[] positions, int[] offset) {}

  private final SketchDecoder decoder;
  private final StructureCatalogue catalogue;
  private final JointStructure structure;
  private final float[][] cols;
  /** Row-major copy of the columns in double, for joint fits; guarded by {@code factors}. */
  private double[] rowMajor;
  private final Map<Integer, Factor> factors = new LinkedHashMap<>(8, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(final Map.Entry<Integer, Factor> eldest) {
      return size() > FACTOR_CACHE;
    }
  };

  /** Unfolds the catalogue and computes its columns (cost: columns times depth times d). */
  public JointDecoder(final SketchDecoder decoder, final StructureCatalogue catalogue) {
    this.decoder = Objects.requireNonNull(decoder, "decoder");
    this.catalogue = Objects.requireNonNull(catalogue, "catalogue");
    this.structure = JointStructure.of(catalogue, MAX_DEPTH,
        Math.min(MAX_STRUCTURE_COLUMNS, MAX_STRUCTURE_FLOATS / decoder.spec().d()));
    this.cols = structure == null ? null : structure.columns(decoder.cache());
  }

  public SketchSpec spec() {
    return decoder.spec();
  }

  public StructureCatalogue catalogue() {
    return catalogue;
  }

  /** Positions of the unfolded structure (0 without a usable structure). */
  public int positions() {
    return structure == null ? 0 : structure.size();
  }

  /** Columns of the unfolded structure (0 without a usable structure). */
  public int columns() {
    return structure == null ? 0 : structure.columns;
  }

  /** The depth enumerated: {@value #MAX_DEPTH} unless the column budget cut it (-1 without structure). */
  public int depth() {
    return structure == null ? -1 : structure.maxDepth;
  }

  /**
   * The method {@link #decode} uses for a sketch of {@code rows} coordinates: JOINT when every
   * column fits ({@code columns <= FILL rows} and {@link #MAX_FIT_COLUMNS}), SPARSE when at least the
   * roots and one aggregate per (module, depth) fit, else (no structure, or far too few rows) the
   * greedy fallback.
   */
  public Method methodFor(final int rows) {
    final int budget = budget(rows);
    if (structure == null || structure.minimumSparseColumns() > budget) {
      return Method.GREEDY_FALLBACK;
    }
    return structure.columns <= budget ? Method.JOINT : Method.SPARSE;
  }

  private static int budget(final int rows) {
    return (int) Math.min(MAX_FIT_COLUMNS, FILL * rows);
  }

  /**
   * Decodes a sketch, a truncated prefix, an int8 round trip or a sum of sketches (all of one spec).
   *
   * @throws SketchException {@link Reason#SPEC_MISMATCH} for a sketch of another spec
   */
  public DecodedInference decode(final Sketch s) {
    if (s == null) {
      throw new SketchException(Reason.INVALID_OBJECT, "sketch must not be null");
    }
    if (!decoder.spec().equals(s.spec())) {
      throw new SketchException(Reason.SPEC_MISMATCH, "sketch made with " + s.spec() + ", decoder has " + spec());
    }
    final float[] v = s.vector();
    final Method method = methodFor(v.length);
    if (method == Method.GREEDY_FALLBACK) {
      return GreedyFallback.read(decoder, s, catalogue);
    }
    if (method == Method.SPARSE) {
      return FitReadout.read(method, structure, cols,
          SparseFit.fit(structure, cols, v, budget(v.length)));
    }
    final Factor f = factor(v.length);
    return FitReadout.read(method, structure, cols, PositionFit.fit(
        cols, v, transposeTimes(v), f.gram(), f.inverse(), true, f.positions(), f.offset(), List.of()));
  }

  /**
   * {@code A^T v} over the first {@code v.length} rows, row by row ({@code b += v_i A_i}: contiguous
   * axpys the JIT vectorises, with exact products in double), from the row-major copy of the columns.
   */
  private double[] transposeTimes(final float[] v) {
    final double[] rows = rowMajor();
    final int p = structure.columns;
    final double[] b = new double[p];
    for (int i = 0; i < v.length; i++) {
      final double vi = v[i];
      final int ri = i * p;
      for (int j = 0; j < p; j++) {
        b[j] += rows[ri + j] * vi;
      }
    }
    return b;
  }

  /** The columns as a row-major {@code d x p} matrix in double, made on first use (joint fits only). */
  private double[] rowMajor() {
    synchronized (factors) {
      if (rowMajor == null) {
        final int d = spec().d();
        final int p = structure.columns;
        final double[] out = new double[d * p];
        for (int j = 0; j < p; j++) {
          final float[] c = cols[j];
          for (int i = 0; i < d; i++) {
            out[i * p + j] = c[i];
          }
        }
        rowMajor = out;
      }
      return rowMajor;
    }
  }

  private Factor factor(final int m) {
    synchronized (factors) {
      final Factor f = factors.get(m);
      if (f != null) {
        return f;
      }
    }
    final int[] all = new int[structure.size()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    final GramFactor g = GramFactor.of(cols, m);
    final Factor f = new Factor(g, g.inverse(), all, PositionFit.offsets(structure, all));
    synchronized (factors) {
      factors.put(m, f);
    }
    return f;
  }
}
