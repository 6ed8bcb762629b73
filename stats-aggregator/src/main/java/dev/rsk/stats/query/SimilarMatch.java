package dev.rsk.stats.query;

/**
 * One stored inference and its cosine similarity to a query sketch.
 *
 * @param inferenceId the stored inference
 * @param cosine cosine of the two sketch vectors, in [-1, 1]
 * @param eventTime event time of the stored inference, epoch ms
 * @param source source of the stored inference
 */
public record SimilarMatch(String inferenceId, double cosine, long eventTime, String source) {}
