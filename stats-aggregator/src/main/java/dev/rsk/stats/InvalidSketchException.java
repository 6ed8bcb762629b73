package dev.rsk.stats;

/**
 * A sketch record the stats topology cannot aggregate (bad parameters, non-finite values, counts without
 * attribute lengths, neither key nor value...). Thrown before any store changes; the message says why, and
 * Kafka Streams' processing exception handler writes the record as received to the dead-letter topic with it.
 */
public final class InvalidSketchException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public InvalidSketchException(final String message) {
    super(message);
  }
}
