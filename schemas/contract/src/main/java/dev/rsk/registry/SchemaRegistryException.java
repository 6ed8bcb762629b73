package dev.rsk.registry;

import org.apache.kafka.common.errors.SerializationException;

/**
 * An error answer of the schema registry, with the HTTP status and the Confluent error code
 * ({@code 40401} subject not found, {@code 40402} version not found, {@code 40403} schema not found,
 * {@code 409} incompatible schema, {@code 42201} invalid schema, {@code 42203} invalid compatibility level...).
 */
public final class SchemaRegistryException extends SerializationException {
  private static final long serialVersionUID = 1L;

  public static final int SUBJECT_NOT_FOUND = 40401;
  public static final int VERSION_NOT_FOUND = 40402;
  public static final int SCHEMA_NOT_FOUND = 40403;
  public static final int INCOMPATIBLE_SCHEMA = 409;
  public static final int INVALID_SCHEMA = 42201;
  public static final int INVALID_VERSION = 42202;
  public static final int INVALID_COMPATIBILITY_LEVEL = 42203;

  public static final int STORE_ERROR = 50001;
  public static final int OPERATION_TIMEOUT = 50002;
  public static final int SUBJECT_COMPATIBILITY_NOT_CONFIGURED = 40408;

  private final int status;
  private final int errorCode;
  private final String detail;

  public SchemaRegistryException(final int status, final int errorCode, final String message) {
    super(message + " (HTTP " + status + ", error code " + errorCode + ")");
    this.status = status;
    this.errorCode = errorCode;
    this.detail = message;
  }

  /** The message without the status and code, as sent in the Confluent error body. */
  public String detail() {
    return detail;
  }

  /** The HTTP status of the answer. */
  public int status() {
    return status;
  }

  /** The Confluent error code of the answer. */
  public int errorCode() {
    return errorCode;
  }
}
