package dev.rsk.api.model;

import java.util.List;

/**
 * {@code POST /v1/similar}: exact top-k by cosine over every stored sketch with the query's parameters.
 *
 * @param queryInferenceId the query inference (excluded from the results), or null for a vector query
 * @param scanned number of comparable stored sketches compared
 */
public record SimilarResponse(String queryInferenceId, int k, List<Match> results, long scanned,
    List<InstanceStatus> instances, boolean stale) {

  /** One similar stored inference. */
  public record Match(String inferenceId, double cosine, String eventTime, String source) {}
}
