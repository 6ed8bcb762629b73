package dev.rsk.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record has a valid Confluent header but its bytes cannot be decoded with the writer schema:
 * truncated, corrupted, trailing garbage, or shorter than the 5-byte header.
 */
public final class CorruptPayloadException extends SerializationException {
  private static final long serialVersionUID = 1L;

  public CorruptPayloadException(final String message) {
    super(message);
  }

  public CorruptPayloadException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
