package dev.rsk.api.model;

/**
 * {@code POST /v1/similar} body: either {@code inferenceId} or {@code vector} with {@code params}.
 *
 * @param k number of results (default 10, at most the documented limit)
 */
public record SimilarRequest(String inferenceId, float[] vector, SketchParamsJson params, Integer k) {}
