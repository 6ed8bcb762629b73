package dev.rsk.contract;

import java.util.List;

/**
 * Events were not published, or not confirmed as published, by {@link RskPublisher}: Kafka or the registry
 * unreachable within the bounded waits, events rejected by Kafka, or still unacknowledged when a flush timed
 * out. {@link #failures()} names the events that failed (they are not retried by the publisher);
 * {@link #pending()} counts those still in flight (they stay queued and may still be delivered).
 */
public final class PublishException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** One event that Kafka did not take: its inference, its object and why. */
  public record Failure(String inferenceId, String objectId, Throwable cause) {}

  private final transient List<Failure> failures;
  private final int pending;

  public PublishException(final String message, final Throwable cause) {
    this(message, cause, List.of(), 0);
  }

  public PublishException(final String message, final Throwable cause, final List<Failure> failures,
      final int pending) {
    super(message, cause);
    this.failures = List.copyOf(failures);
    this.pending = pending;
  }

  /** Events that failed (empty when the publisher could not start). */
  public List<Failure> failures() {
    return failures == null ? List.of() : failures;
  }

  /** Events still unacknowledged when a flush timed out. */
  public int pending() {
    return pending;
  }
}
