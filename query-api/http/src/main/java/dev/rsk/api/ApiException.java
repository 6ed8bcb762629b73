package dev.rsk.api;

import java.util.Map;

/**
 * An error answered as {@code application/problem+json} (RFC 9457) with the given status. Thrown by
 * handlers and parameter parsing; never carries a stack trace to the client.
 */
public final class ApiException extends RuntimeException {

  private final int status;
  private final String title;
  private final Integer retryAfterSeconds;
  private final Map<String, Object> extensions;

  public ApiException(final int status, final String title, final String detail, final Integer retryAfterSeconds,
      final Map<String, Object> extensions) {
    super(detail);
    this.status = status;
    this.title = title;
    this.retryAfterSeconds = retryAfterSeconds;
    this.extensions = extensions == null ? Map.of() : extensions;
  }

  public static ApiException badRequest(final String detail) {
    return new ApiException(400, "Bad Request", detail, null, null);
  }

  public static ApiException notFound(final String detail) {
    return new ApiException(404, "Not Found", detail, null, null);
  }

  public static ApiException unavailable(final String detail, final int retryAfterSeconds,
      final Map<String, Object> extensions) {
    return new ApiException(503, "Service Unavailable", detail, retryAfterSeconds, extensions);
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  public Integer retryAfterSeconds() {
    return retryAfterSeconds;
  }

  public Map<String, Object> extensions() {
    return extensions;
  }
}
