package dev.rsk.api.model;

import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/inferences/{id}}: a stored sketch and what it says, decoded from the sketch alone.
 *
 * @param modules every catalogue module whose presence passes the threshold, best first
 * @param threshold the presence threshold tau = 4 ||s|| / sqrt(d)
 * @param presenceStdError standard error of each presence, sqrt(2) ||s|| / sqrt(d)
 * @param structure the recovered structure (root module, children by slot), or null if none found
 * @param structureFrom what structure recovery searched with: {@code network} (the learned network of
 *     {@code GET /v1/network}: its root modules, and per module and slot only the input modules seen
 *     there), {@code catalogue} (no complete DAG learned yet: every catalogue module may be the root and
 *     sit on positional slots 0..7, which finds more phantom nodes), or null when nothing is known
 * @param decoded the joint decoding with the learned network (recursive-sketch.md section 6): counts at
 *     every depth and the decoded tree, each number with its standard error; null until a complete DAG
 *     was learned
 * @param recorded what the producer recorded beside the sketch (exact; NOT used by the decoding above)
 * @param instance the instance that holds the sketch
 */
public record InferenceResponse(String inferenceId, String source, String eventTime, boolean complete,
    SketchParamsJson params, float[] vector, List<DecodedModule> modules, double threshold,
    double presenceStdError, Node structure, String structureFrom, Decoded decoded, Recorded recorded,
    String instance, boolean stale) {

  /**
   * One module read from the sketch.
   *
   * @param presence effective-weight mass sqrt(2) * readout[0] (objects at depth t count alpha^t * weight)
   * @param depth the module's depth in the recovered structure (shallowest tag path where it is a direct
   *     input); if the structure has no node of it, the one depth {@code GET /v1/network} ever saw it at;
   *     else null
   * @param count estimated number of objects: with a learned network, the joint fit's count over all
   *     the module's depths ({@code decoded.totals}); else presence / alpha^depth, exact in expectation
   *     for unit weights when all the module's objects sit at that depth (presence itself when depth is
   *     null)
   * @param countStdError the standard error of {@code count}: the joint fit's, else the single
   *     readout's, presenceStdError / alpha^depth (which ignores crosstalk, so it understates the error)
   * @param meanAttributes effective-weight mean attributes r[1:] / r[0]
   */
  public record DecodedModule(String module, double presence, Integer depth, double count,
      double countStdError, double[] meanAttributes) {}

  /**
   * The joint decoding.
   *
   * @param method {@code JOINT} (one fit over every position the network allows), {@code SPARSE} (more
   *     columns than the sketch can fit: positions chosen by matching pursuit) or {@code GREEDY_FALLBACK}
   * @param residualStdError the noise per coordinate estimated from the fit's residual
   * @param counts every module at every depth the network allows (zeros included)
   * @param tree the decoded tree: only nodes whose count passes 4 standard errors, none without its parent
   * @param networkVersion the {@code version} of {@code GET /v1/network} whose learned wiring was used
   */
  public record Decoded(String method, double residualStdError, List<DepthCount> counts, List<TreeNode> tree,
      String networkVersion) {
    /** A decoding that does not say which network it used. */
    public Decoded(final String method, final double residualStdError, final List<DepthCount> counts,
        final List<TreeNode> tree) {
      this(method, residualStdError, counts, tree, null);
    }
  }

  /** A module's count at one depth ({@code depth} -1: unknown) with its standard error. */
  public record DepthCount(String module, int depth, double count, double countStdError) {}

  /** A node of the decoded tree: a position of the network and what the fit finds there. */
  public record TreeNode(String module, List<String> tagPath, int depth, double count, double countStdError,
      double[] meanAttributes, double[] meanAttributeStdErrors, List<TreeNode> children) {}

  /** A node of the recovered structure. */
  public record Node(String module, List<String> tagPath, double presence, double[] meanAttributes,
      Map<String, List<Node>> children) {}

  /** Values recorded with the sketch by the processor (exact, for comparison). */
  public record Recorded(int objectCount, Map<String, Integer> moduleCounts, int missingInputs) {}
}
