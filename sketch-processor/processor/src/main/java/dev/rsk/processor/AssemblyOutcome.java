package dev.rsk.processor;

import java.util.List;

/**
 * What {@link InferenceAssembler#offer} did with one event. Values: two outcomes are equal when they
 * say the same thing, so tests compare them with hand-written expectations.
 */
sealed interface AssemblyOutcome {

  /** An identical redelivery of an object already received, in flight or recently sketched: ignored. */
  record Duplicate() implements AssemblyOutcome {}

  /** The event was accepted. {@link #evicted} were sketched early to stay within the pending limit. */
  sealed interface Accepted extends AssemblyOutcome {
    InferenceAssembly assembly();

    /**
     * Oldest inferences taken out of the assembler to make room for this event's new inference
     * ({@code rsk.limit.pending.inferences}), to be sketched as incomplete before it; usually empty.
     */
    List<InferenceAssembly> evicted();
  }

  /** Accepted; the inference still misses its root or a referenced input, and stays in the assembler. */
  record Pending(InferenceAssembly assembly, List<InferenceAssembly> evicted) implements Accepted {}

  /** Accepted, and the inference is now complete: taken out of the assembler, ready to sketch. */
  record Complete(InferenceAssembly assembly, List<InferenceAssembly> evicted) implements Accepted {}

  /** The event goes to the dead-letter topic, for {@link #rejection()}. */
  sealed interface Rejected extends AssemblyOutcome {
    Rejection rejection();
  }

  /** A new object of an inference already sketched (reason {@code LATE_EVENT}). */
  record Late(Rejection rejection) implements Rejected {}

  /**
   * A known objectId with different content ({@code DUPLICATE_CONFLICT}), or a second root
   * ({@code DUPLICATE_ROOT}).
   */
  record Conflict(Rejection rejection) implements Rejected {}

  /** The inference already holds {@code limit} objects ({@code LIMIT_EXCEEDED}, {@code rsk.limit.objects}). */
  record OverLimit(int limit, Rejection rejection) implements Rejected {}

  /**
   * The event fails a check of its own ({@link ActivationValidator}: ids, attributes, fan-out, weights)
   * or its module's known attribute length ({@code ATTRIBUTE_LENGTH_MISMATCH}).
   */
  record Invalid(Rejection rejection) implements Rejected {}
}
