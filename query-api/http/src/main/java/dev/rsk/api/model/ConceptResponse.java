package dev.rsk.api.model;

import java.util.List;

/**
 * {@code GET /v1/concepts/{id}} (and, without {@code centroid}, one item of {@code GET /v1/concepts}): a concept,
 * a cluster of sketches that appeared after the warm-up (docs/concepts.md).
 *
 * @param id stable id: a hash of the parameter key and the first member's inference id
 * @param state {@code emerged} (gaining members) or {@code faded} (none for the fade period)
 * @param lastEvent the kind of its latest event on the concepts topic: {@code EMERGED}, {@code GREW}, {@code FADED}
 * @param specKey the sketch-parameter key; concepts of different keys are never mixed
 * @param firstSeen event time of the first member (the first to reach the clusterer)
 * @param lastSeen event time of the latest member
 * @param emergedAt event time at which it became dense (in event-time order, whatever the arrival order)
 * @param size members so far (exact count of the sketches assigned to it)
 * @param sizePerDay members per UTC day, oldest first (the last 400 days with members)
 * @param earlierMembers members on days older than those of sizePerDay
 * @param membersByHour members per UTC hour of day, 24 values
 * @param exemplars members nearest the centroid when they joined, nearest first
 * @param centroid the mean member sketch decoded like {@code GET /v1/inferences/{id}}: counts are per member
 *     (means), each with its standard error; null in the list
 */
public record ConceptResponse(String id, String state, String lastEvent, String specKey, SketchParamsJson params,
    String firstSeen, String lastSeen, String emergedAt, long size, String firstMember, List<Day> sizePerDay,
    long earlierMembers, List<Long> membersByHour, List<Exemplar> exemplars, Centroid centroid) {

  /** Members on one UTC day ({@code yyyy-MM-dd}). */
  public record Day(String day, long members) {}

  /** A member shown as an example. */
  public record Exemplar(String inferenceId, String eventTime, double cosine) {}

  /**
   * The decoded centroid (fields as in {@link InferenceResponse}).
   *
   * @param stale whether the learned network used came partly from a standby copy
   */
  public record Centroid(List<InferenceResponse.DecodedModule> modules, double threshold, double presenceStdError,
      InferenceResponse.Node structure, String structureFrom, InferenceResponse.Decoded decoded, boolean stale) {}
}
