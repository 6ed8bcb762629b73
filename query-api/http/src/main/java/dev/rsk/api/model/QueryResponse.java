package dev.rsk.api.model;

import java.util.List;
import java.util.Map;

/**
 * Answer of {@code POST /v1/query}: inferences in range, those matched (with {@code matchedStdError}, 0 when
 * every term was exact), per bucket and per hour of the day, the selected values, how many stored
 * inferences were scanned, which instances answered, whether any answer came from a standby, and how many
 * inferences were {@code undecided} (a comparison on a path the record showed but neither it nor the sketch
 * could read: decided false, not covered by {@code matchedStdError}).
 */
public record QueryResponse(String where, String from, String to, String bucket, String zone, long inferences,
    long matched, double matchedStdError, boolean exact, List<Bucket> buckets, List<Hour> hours,
    Map<String, Value> values, long scanned, List<InstanceStatus> instances, boolean stale, long undecided) {

  public record Bucket(String start, long inferences, long matched) {}

  public record Hour(int hour, long matched) {}

  /** A selected value; {@code value} null when there is nothing to average. */
  public record Value(Double value, double stdError, boolean exact) {}
}
