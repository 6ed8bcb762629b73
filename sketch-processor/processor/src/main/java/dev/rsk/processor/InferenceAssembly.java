package dev.rsk.processor;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Set;

/**
 * The objects of one inference received so far, and what is still missing. Pure logic, no Kafka.
 *
 * <p>Completion rule: the inference is complete when its root has arrived and every input referenced
 * by any arrived object has arrived. Adding an object costs O(its number of inputs), whatever the size
 * of the inference: a set of referenced-but-missing ids is kept up to date, so no scan is needed.
 *
 * <p>Not thread-safe: one instance belongs to one stream task.
 */
final class InferenceAssembly {

  /** What {@link #add} did with an object. */
  enum Outcome {
    /** A new object, now part of the inference. */
    ADDED,
    /** Same objectId and same content as an object already received: nothing changes. */
    DUPLICATE,
    /** Same objectId as an object already received, different content: rejected. */
    CONFLICT,
    /** A second object flagged root: rejected. */
    SECOND_ROOT
  }

  private final String inferenceId;
  private final byte[] rawKey;
  /** Arrival order; the first {@link #persisted} entries are also in the pending store. */
  private final LinkedHashMap<String, Member> members = new LinkedHashMap<>();
  private final Set<String> missing = new HashSet<>();
  private String rootId;
  private final long firstTimestamp;
  private final long firstWallMs;
  private long lastTimestamp;
  private int persisted;

  InferenceAssembly(final String inferenceId, final byte[] rawKey, final long firstTimestamp,
      final long firstWallMs) {
    this.inferenceId = inferenceId;
    this.rawKey = rawKey;
    this.firstTimestamp = firstTimestamp;
    this.firstWallMs = firstWallMs;
    this.lastTimestamp = firstTimestamp;
  }

  /** Classifies {@code m} without changing anything (for checks that must pass before adding). */
  Outcome classify(final Member m) {
    final Member existing = members.get(m.event().getObjectId());
    if (existing != null) {
      return existing.event().equals(m.event()) ? Outcome.DUPLICATE : Outcome.CONFLICT;
    }
    if (m.event().getRoot() && rootId != null) {
      return Outcome.SECOND_ROOT;
    }
    return Outcome.ADDED;
  }

  /** Adds {@code m} if {@link #classify} says {@link Outcome#ADDED}; returns the classification. */
  Outcome add(final Member m) {
    final Outcome outcome = classify(m);
    if (outcome != Outcome.ADDED) {
      return outcome;
    }
    final String id = m.event().getObjectId();
    members.put(id, m);
    missing.remove(id);
    for (final var input : m.event().getInputs()) {
      if (!members.containsKey(input.getObjectId())) {
        missing.add(input.getObjectId());
      }
    }
    if (m.event().getRoot()) {
      rootId = id;
    }
    lastTimestamp = Math.max(lastTimestamp, m.timestamp());
    return outcome;
  }

  /** Root arrived and nothing referenced is missing. */
  boolean isComplete() {
    return rootId != null && missing.isEmpty();
  }

  /** Referenced ids not (yet) received. */
  int missingCount() {
    return missing.size();
  }

  int size() {
    return members.size();
  }

  String inferenceId() {
    return inferenceId;
  }

  byte[] rawKey() {
    return rawKey;
  }

  /** The root's objectId, or null if no root arrived. */
  String rootId() {
    return rootId;
  }

  Collection<Member> members() {
    return members.values();
  }

  /** Record timestamp of the first event received (stream-time gap starts here). */
  long firstTimestamp() {
    return firstTimestamp;
  }

  /** Wall-clock time the first event was received (wall-clock gap starts here). */
  long firstWallMs() {
    return firstWallMs;
  }

  /** Largest record timestamp received (event-to-sketch latency is measured from here). */
  long lastTimestamp() {
    return lastTimestamp;
  }

  /** How many members (in arrival order) are already in the pending store. */
  int persisted() {
    return persisted;
  }

  void markPersisted(final int count) {
    persisted = count;
  }
}
