package dev.rsk.api.model;

import java.util.List;

/**
 * {@code POST /v1/similar}: top-k by cosine over the stored sketches with the query's parameters.
 *
 * @param queryInferenceId the query inference (excluded from the results), or null for a vector query
 * @param scanned exact: comparable stored sketches compared; approximate: comparable stored sketches held
 *     by the indexes searched (the query's own left out)
 * @param approximate true when the answer came from the HNSW indexes (see docs/graph.md for its recall)
 */
public record SimilarResponse(String queryInferenceId, int k, List<Match> results, long scanned,
    List<InstanceStatus> instances, boolean stale, boolean approximate) {

  /** One similar stored inference. */
  public record Match(String inferenceId, double cosine, String eventTime, String source) {}
}
