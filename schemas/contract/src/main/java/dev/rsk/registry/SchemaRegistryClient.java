package dev.rsk.registry;

import org.apache.avro.Schema;

/**
 * The part of a Confluent-compatible schema registry that serdes need.
 *
 * <p>Errors: {@link dev.rsk.registry.RegistryUnavailableException} when the registry cannot be reached
 * within the configured timeouts and retries; {@link dev.rsk.registry.UnknownSchemaIdException} for an id
 * the registry does not know; {@link SchemaRegistryException} for every other error answer (subject not
 * found, incompatible schema...), carrying the Confluent error code.
 */
public interface SchemaRegistryClient {

  /**
   * Registers {@code schema} under {@code subject} (a no-op returning the existing id when the same
   * schema is already registered there). Throws {@link SchemaRegistryException} with error code 409 when
   * the schema is incompatible with the subject's compatibility level.
   *
   * @return the global schema id
   */
  int register(String subject, Schema schema);

  /** The schema with this global id. */
  Schema byId(int id);

  /** The latest version of {@code subject}; error code 40401 when the subject does not exist. */
  RegisteredSchema latest(String subject);

  /**
   * The registered version of {@code schema} under {@code subject}, without registering it; error code
   * 40401 (subject not found) or 40403 (schema not found) otherwise.
   */
  RegisteredSchema lookup(String subject, Schema schema);
}
