package dev.rsk.processor;

import dev.rsk.sketch.SketchException;

/**
 * Why a record went to the dead-letter topic. Written in the {@value DeadLetters#REASON} header and
 * used as the {@code reason} tag of the {@code rsk.processor.dlq} counter.
 */
public enum RejectReason {
  /** The value could not be read: wrong magic byte, unknown schema id, corrupt or truncated Avro. */
  DESERIALIZATION,
  /** A null value (tombstone) on the activations topic. */
  EMPTY_VALUE,
  /** The record key is not the event's inferenceId (the event would be assembled on the wrong partition). */
  KEY_MISMATCH,
  /** A missing id or module, or an object listing itself as an input. */
  INVALID_OBJECT,
  /** NaN or infinite attribute. */
  NON_FINITE_ATTRIBUTE,
  /** The module was seen before with another attribute length. */
  ATTRIBUTE_LENGTH_MISMATCH,
  /** A negative, NaN or infinite input weight. */
  INVALID_WEIGHT,
  /** Objects per inference, inputs per object, depth or attribute length over the configured limit. */
  LIMIT_EXCEEDED,
  /** The inference's objects form a cycle (every object of the inference goes to the DLQ). */
  CYCLE,
  /** Same objectId as an object already received, different content. */
  DUPLICATE_CONFLICT,
  /** A second object flagged root in one inference. */
  DUPLICATE_ROOT,
  /** An event for an inference already sketched (a late arrival; identical redeliveries are ignored). */
  LATE_EVENT,
  /** An unexpected failure while processing the record (caught by the processing exception handler). */
  PROCESSING_ERROR;

  /** Maps an engine rejection to the DLQ reason. */
  static RejectReason of(final SketchException e) {
    return switch (e.reason()) {
      case CYCLE -> CYCLE;
      case NON_FINITE_ATTRIBUTE -> NON_FINITE_ATTRIBUTE;
      case ATTRIBUTE_LENGTH_MISMATCH -> ATTRIBUTE_LENGTH_MISMATCH;
      case INVALID_WEIGHT -> INVALID_WEIGHT;
      case LIMIT_EXCEEDED -> LIMIT_EXCEEDED;
      case DUPLICATE_OBJECT -> DUPLICATE_CONFLICT;
      default -> INVALID_OBJECT;
    };
  }
}
