package dev.rsk.sketch;

import java.util.Objects;

/**
 * The one exception of the sketch engine. Every rejected input, spec or operation throws it with a
 * {@link Reason} that callers (the topology's dead-letter routing, the HTTP API) can map without
 * parsing messages. The message names the offending object, module or parameter.
 */
public final class SketchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why an input or operation was rejected. */
  public enum Reason {
    /** A {@link SketchSpec} parameter is out of range. */
    INVALID_SPEC,
    /** The object graph has a cycle. */
    CYCLE,
    /** An object references an input that is not in the inference (strict mode). */
    MISSING_INPUT,
    /** The root object id is not among the objects. */
    UNKNOWN_ROOT,
    /** Two objects share one id. */
    DUPLICATE_OBJECT,
    /** An attribute is NaN or infinite. */
    NON_FINITE_ATTRIBUTE,
    /** A module's attribute length differs between objects (or from the one requested). */
    ATTRIBUTE_LENGTH_MISMATCH,
    /** An input weight is negative, NaN or infinite. */
    INVALID_WEIGHT,
    /** A documented size limit (objects, inputs per object, attributes, nodes) was exceeded. */
    LIMIT_EXCEEDED,
    /** Sketches or decoders with different parameters were combined. */
    SPEC_MISMATCH,
    /** An object, input or sketch is malformed (null id or module, bad length, bad bytes). */
    INVALID_OBJECT
  }

  private final Reason reason;

  public SketchException(final Reason reason, final String message) {
    super(Objects.requireNonNull(reason, "reason") + ": " + message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
