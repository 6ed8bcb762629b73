package dev.rsk.registry;

import org.apache.kafka.common.errors.SerializationException;

/**
 * The schema registry does not know the schema id found in a record's header (error code 40403):
 * the record was written against another registry, or the registry lost its {@code _schemas} topic.
 */
public final class UnknownSchemaIdException extends SerializationException {
  private static final long serialVersionUID = 1L;

  private final int schemaId;

  public UnknownSchemaIdException(final int schemaId, final String registry) {
    super("Schema id " + schemaId + " is unknown to the schema registry at " + registry
        + " (was the record written against another registry?)");
    this.schemaId = schemaId;
  }

  /** The schema id that the registry does not know. */
  public int schemaId() {
    return schemaId;
  }
}
