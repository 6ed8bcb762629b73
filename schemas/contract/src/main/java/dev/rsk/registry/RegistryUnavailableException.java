package dev.rsk.registry;

import org.apache.kafka.common.errors.SerializationException;

/**
 * The schema registry could not be reached (connection refused, timeout, TLS failure, HTTP 5xx)
 * after the configured, bounded number of retries. Transient by nature: retrying later may succeed.
 */
public final class RegistryUnavailableException extends SerializationException {
  private static final long serialVersionUID = 1L;

  public RegistryUnavailableException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
