package dev.rsk.api.cluster;

/** A call to another instance failed (unreachable, timed out, or it answered an error). */
public final class RemoteException extends RuntimeException {

  private final int status;

  public RemoteException(final String message, final int status, final Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** HTTP status the instance answered, or -1 if none (connection failure, timeout). */
  public int status() {
    return status;
  }
}
