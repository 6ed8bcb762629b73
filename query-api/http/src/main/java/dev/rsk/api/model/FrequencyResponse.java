package dev.rsk.api.model;

import java.util.List;

/**
 * {@code GET /v1/modules/{module}/frequency}: exact presence counts in [from, to) per bucket.
 *
 * @param module the module
 * @param from start of the first bucket (ISO-8601, floored to the hour)
 * @param to end of the range, exclusive (ISO-8601, ceiled to the hour)
 * @param bucket the bucket duration (ISO-8601)
 * @param inferences inferences in the range
 * @param withModule inferences in the range with at least one object of the module
 * @param objects objects of the module in the range
 * @param fraction withModule / inferences (0 when there are no inferences)
 * @param buckets one row per bucket, also the empty ones
 * @param exact always true: these counts come from the exact module counts of each inference
 * @param instances which instances answered
 * @param stale true if some partition was answered from a standby copy
 */
public record FrequencyResponse(String module, String from, String to, String bucket, long inferences,
    long withModule, long objects, double fraction, List<Bucket> buckets, boolean exact,
    List<InstanceStatus> instances, boolean stale) implements GatheredAnswer {

  /** One bucket: [start, start + bucket). */
  public record Bucket(String start, long inferences, long withModule, long objects) {}
}
