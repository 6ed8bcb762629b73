package dev.rsk.sketch;

import java.util.List;
import java.util.Optional;

/**
 * What a {@link JointDecoder} reads from one sketch (or from a sum of sketches).
 *
 * @param method how it was read: {@link Method#JOINT}, {@link Method#SPARSE} or {@link
 *     Method#GREEDY_FALLBACK}
 * @param rows coordinates of the sketch used ({@code d}, or the prefix length of a truncated sketch)
 * @param columns columns fitted (0 for the greedy fallback)
 * @param residualStdError the noise per coordinate estimated from the fit's residual (floored at the
 *     float32 storage precision)
 * @param modules the count of every module at every depth the structure allows, sorted by module then
 *     depth, including zero counts
 * @param totals the count of every module over all its depths (depth -1), sorted by module, its
 *     standard error with the covariance between depths (so not the quadrature sum of {@code
 *     modules}' errors)
 * @param roots the decoded tree: the reported root positions (one for a single inference)
 */
public record DecodedInference(
    Method method,
    int rows,
    int columns,
    double residualStdError,
    List<ModuleCount> modules,
    List<ModuleCount> totals,
    List<DecodedNode> roots) {

  /** How the sketch was read. */
  public enum Method {
    /** One least-squares fit over every position the structure allows (factored once per structure). */
    JOINT,
    /**
     * More columns than the sketch's rows can fit: positions chosen greedily, tree first, by
     * orthogonal matching pursuit, then fitted jointly; positions left out are read from the residual.
     */
    SPARSE,
    /**
     * No usable structure (no grammar learned, or no root): the greedy recovery of
     * recursive-sketch.md section 3; counts assume each module sits at one depth, errors are those
     * of single readouts, crosstalk is not removed.
     */
    GREEDY_FALLBACK
  }

  /**
   * The count of a module at one depth: the sum of the node counts of every position of that module
   * at that depth (objects weighted by their path's weight product; a shared object counts once per
   * path). {@code depth} is -1 when unknown (greedy fallback, module not placed).
   */
  public record ModuleCount(String module, int depth, double count, double countStdError) {}

  public DecodedInference {
    modules = List.copyOf(modules);
    totals = List.copyOf(totals);
    roots = List.copyOf(roots);
  }

  /** The count of {@code module} over all its depths, if the structure knows it. */
  public Optional<ModuleCount> total(final String module) {
    return totals.stream().filter(c -> c.module().equals(module)).findFirst();
  }

  /** The count of {@code module} at {@code depth}, if the structure allows it there. */
  public Optional<ModuleCount> count(final String module, final int depth) {
    return modules.stream().filter(c -> c.module().equals(module) && c.depth() == depth).findFirst();
  }
}
