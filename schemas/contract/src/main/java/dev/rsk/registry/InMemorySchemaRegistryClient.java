package dev.rsk.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * A schema registry held in memory, for unit tests (TopologyTestDriver) and tools that need no server.
 * Same semantics as the Confluent registry: ids are global and start at 1, the same schema gets the same
 * id in every subject, versions start at 1 per subject, and registration is checked against the
 * subject's compatibility level (BACKWARD unless set). Thread-safe.
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {

  private final Map<Integer, Schema> byId = new HashMap<>();
  private final Map<String, Integer> idByCanonical = new HashMap<>();
  private final Map<String, List<RegisteredSchema>> subjects = new HashMap<>();
  private final Map<String, CompatibilityLevel> levels = new HashMap<>();
  private CompatibilityLevel defaultLevel = CompatibilityLevel.BACKWARD;

  /** Sets the compatibility level of one subject. */
  public synchronized void setCompatibility(final String subject, final CompatibilityLevel level) {
    levels.put(subject, level);
  }

  /** Sets the level of subjects that have none of their own. */
  public synchronized void setDefaultCompatibility(final CompatibilityLevel level) {
    defaultLevel = level;
  }

  @Override
  public synchronized int register(final String subject, final Schema schema) {
    final List<RegisteredSchema> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
    final String canonical = schema.toString();
    for (final RegisteredSchema v : versions) {
      if (v.schema().toString().equals(canonical)) {
        return v.id();
      }
    }
    final List<String> problems = levels.getOrDefault(subject, defaultLevel)
        .incompatibilities(schema, versions.stream().map(RegisteredSchema::schema).toList());
    if (!problems.isEmpty()) {
      throw new SchemaRegistryException(409, SchemaRegistryException.INCOMPATIBLE_SCHEMA,
          "Schema being registered is incompatible with an earlier schema for subject \"" + subject + "\": "
              + problems);
    }
    final int id = idByCanonical.computeIfAbsent(canonical, c -> {
      final int next = byId.size() + 1;
      byId.put(next, schema);
      return next;
    });
    versions.add(new RegisteredSchema(subject, id, versions.size() + 1, schema));
    return id;
  }

  @Override
  public synchronized Schema byId(final int id) {
    final Schema schema = byId.get(id);
    if (schema == null) {
      throw new UnknownSchemaIdException(id, "in-memory registry");
    }
    return schema;
  }

  @Override
  public synchronized RegisteredSchema latest(final String subject) {
    final List<RegisteredSchema> versions = subjects.get(subject);
    if (versions == null || versions.isEmpty()) {
      throw new SchemaRegistryException(404, SchemaRegistryException.SUBJECT_NOT_FOUND,
          "Subject '" + subject + "' not found.");
    }
    return versions.get(versions.size() - 1);
  }

  @Override
  public synchronized RegisteredSchema lookup(final String subject, final Schema schema) {
    final List<RegisteredSchema> versions = subjects.get(subject);
    if (versions == null || versions.isEmpty()) {
      throw new SchemaRegistryException(404, SchemaRegistryException.SUBJECT_NOT_FOUND,
          "Subject '" + subject + "' not found.");
    }
    final String canonical = schema.toString();
    return versions.stream().filter(v -> v.schema().toString().equals(canonical)).findFirst()
        .orElseThrow(() -> new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND,
            "Schema not found under subject '" + subject + "'."));
  }
}
