package dev.rsk.api.client;

/** The API answered an error (its problem+json fields), or could not be reached (status -1). */
public final class RskClientException extends RuntimeException {

  private final int status;
  private final String title;
  private final Integer retryAfterSeconds;

  public RskClientException(final int status, final String title, final String detail,
      final Integer retryAfterSeconds, final Throwable cause) {
    super(status < 0 ? detail : "HTTP " + status + " " + title + ": " + detail, cause);
    this.status = status;
    this.title = title;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  /** The Retry-After of a 503, or null. */
  public Integer retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
