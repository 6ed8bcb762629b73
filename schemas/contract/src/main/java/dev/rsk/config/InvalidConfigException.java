package dev.rsk.config;

/**
 * A setting that cannot be used: its message names the key. An {@link IllegalArgumentException}, so that
 * callers that fail fast on bad arguments (the CLI commands) also fail fast on bad settings; when Kafka's
 * {@link org.apache.kafka.common.config.ConfigException} found the problem, it is the cause.
 */
public final class InvalidConfigException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  public InvalidConfigException(final String message) {
    super(message);
  }

  public InvalidConfigException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
