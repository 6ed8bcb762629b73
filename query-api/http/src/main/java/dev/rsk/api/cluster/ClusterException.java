package dev.rsk.api.cluster;

import dev.rsk.api.model.InstanceStatus;
import java.util.List;

/**
 * A failure of the cluster layer: metadata not ready, a partition no instance could answer, or a call
 * to another instance that failed. It knows nothing of HTTP; the HTTP layer maps each {@link Kind} to a
 * status in one place ({@code dev.rsk.api.HttpErrors}).
 */
public final class ClusterException extends RuntimeException {

  /** What went wrong, from the caller's point of view. */
  public enum Kind {
    /** State is migrating or an owner is unreachable: retry after {@link #retryAfterSeconds()}. */
    UNAVAILABLE,
    /** Another instance answered that what was asked for does not exist. */
    NOT_FOUND,
    /** Another instance was unreachable, timed out, or answered an error or an unreadable body. */
    REMOTE_ERROR
  }

  private final Kind kind;
  private final int retryAfterSeconds;
  private final int remoteStatus;
  private final List<InstanceStatus> instances;
  private final List<Integer> missingPartitions;

  private ClusterException(final Kind kind, final String message, final int retryAfterSeconds,
      final int remoteStatus, final List<InstanceStatus> instances, final List<Integer> missingPartitions,
      final Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.retryAfterSeconds = retryAfterSeconds;
    this.remoteStatus = remoteStatus;
    this.instances = List.copyOf(instances);
    this.missingPartitions = List.copyOf(missingPartitions);
  }

  /** State cannot be queried right now; worth retrying after {@code retryAfterSeconds}. */
  public static ClusterException unavailable(final String message, final int retryAfterSeconds) {
    return new ClusterException(Kind.UNAVAILABLE, message, retryAfterSeconds, -1, List.of(), List.of(), null);
  }

  /** Some partitions answered on no instance: which instances answered how, and the partitions missing. */
  public static ClusterException partitionsMissing(final String message, final int retryAfterSeconds,
      final List<InstanceStatus> instances, final List<Integer> missingPartitions) {
    return new ClusterException(Kind.UNAVAILABLE, message, retryAfterSeconds, -1, instances, missingPartitions,
        null);
  }

  /** Another instance answered 404; {@code message} is its explanation. */
  public static ClusterException notFound(final String message) {
    return new ClusterException(Kind.NOT_FOUND, message, 0, 404, List.of(), List.of(), null);
  }

  /** A call to another instance failed; {@code remoteStatus} is what it answered, -1 if nothing. */
  public static ClusterException remote(final String message, final int remoteStatus, final Throwable cause) {
    return new ClusterException(Kind.REMOTE_ERROR, message, 0, remoteStatus, List.of(), List.of(), cause);
  }

  public Kind kind() {
    return kind;
  }

  /** Seconds after which a retry may succeed ({@link Kind#UNAVAILABLE}); 0 for the other kinds. */
  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** The HTTP status another instance answered, or -1 if it answered nothing (unreachable, timeout). */
  public int remoteStatus() {
    return remoteStatus;
  }

  /** For a gather that failed: every instance asked and how it answered; empty otherwise. */
  public List<InstanceStatus> instances() {
    return instances;
  }

  /** For a gather that failed: the partitions no instance answered for; empty otherwise. */
  public List<Integer> missingPartitions() {
    return missingPartitions;
  }
}
