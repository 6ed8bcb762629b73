package dev.rsk.api.model;

import java.util.List;

/**
 * {@code POST /v1/similar} body: either {@code inferenceId} or {@code vector} with {@code params}.
 *
 * @param k number of results (default 10, at most the documented limit)
 * @param exact true: scan every comparable stored sketch; false or absent: the HNSW index (approximate)
 * @param from only stored sketches with event time at or after this instant (ISO-8601 or date)
 * @param to only stored sketches with event time before this instant
 * @param source only stored sketches of this source
 * @param modules only stored sketches in which every one of these modules is present
 */
public record SimilarRequest(String inferenceId, float[] vector, SketchParamsJson params, Integer k, Boolean exact,
    String from, String to, String source, List<String> modules) {

  /** Without filters, approximate. */
  public SimilarRequest(final String inferenceId, final float[] vector, final SketchParamsJson params,
      final Integer k) {
    this(inferenceId, vector, params, k, null, null, null, null, null);
  }
}
