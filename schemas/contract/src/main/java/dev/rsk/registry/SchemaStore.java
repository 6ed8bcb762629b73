package dev.rsk.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.Schema;

/**
 * The registry's state, rebuilt by applying the records of the {@code _schemas} log in order.
 *
 * <p>Applying is deterministic, so every registry reading the same log holds the same state. A schema
 * record is a proposal: it is accepted only if its version is the subject's next one, its id is free or
 * already belongs to an equal schema, and an equal schema has no other id; otherwise it is ignored. A
 * registry that lost a race sees its proposal ignored and proposes again (compare-and-set on the log).
 * Schemas are equal when Avro's {@link Schema#equals} says so (docs and formatting do not matter).
 */
public final class SchemaStore {

  private final Map<Integer, Schema> byId = new HashMap<>();
  private final Map<Schema, Integer> idBySchema = new HashMap<>();
  private final Map<String, List<RegisteredSchema>> subjects = new TreeMap<>();
  private final Map<String, CompatibilityLevel> levels = new HashMap<>();
  private CompatibilityLevel globalLevel = CompatibilityLevel.BACKWARD;
  private int maxId;

  /** Applies one schema proposal; true when accepted. */
  public synchronized boolean applySchema(final String subject, final int version, final int id, final Schema schema) {
    final List<RegisteredSchema> versions = subjects.getOrDefault(subject, List.of());
    if (version != versions.size() + 1 || id <= 0) {
      return false;
    }
    final Schema existing = byId.get(id);
    if (existing != null && !existing.equals(schema)) {
      return false;
    }
    final Integer knownId = idBySchema.get(schema);
    if (knownId != null && knownId != id) {
      return false;
    }
    if (versions.stream().anyMatch(v -> v.schema().equals(schema))) {
      return false;
    }
    byId.putIfAbsent(id, schema);
    idBySchema.putIfAbsent(schema, id);
    maxId = Math.max(maxId, id);
    subjects.computeIfAbsent(subject, s -> new ArrayList<>()).add(new RegisteredSchema(subject, id, version, schema));
    return true;
  }

  /** Applies a compatibility setting; a null subject is the global level, a null level removes a subject's. */
  public synchronized void applyConfig(final String subject, final CompatibilityLevel level) {
    if (subject == null) {
      globalLevel = level == null ? CompatibilityLevel.BACKWARD : level;
    } else if (level == null) {
      levels.remove(subject);
    } else {
      levels.put(subject, level);
    }
  }

  public synchronized Optional<Schema> byId(final int id) {
    return Optional.ofNullable(byId.get(id));
  }

  public synchronized List<RegisteredSchema> versions(final String subject) {
    return List.copyOf(subjects.getOrDefault(subject, List.of()));
  }

  public synchronized List<String> subjects() {
    return List.copyOf(subjects.keySet());
  }

  /** Subjects and versions using a schema id. */
  public synchronized List<RegisteredSchema> usesOf(final int id) {
    final List<RegisteredSchema> uses = new ArrayList<>();
    subjects.values().forEach(vs -> vs.stream().filter(v -> v.id() == id).forEach(uses::add));
    return uses;
  }

  public synchronized Optional<RegisteredSchema> find(final String subject, final Schema schema) {
    return subjects.getOrDefault(subject, List.of()).stream().filter(v -> v.schema().equals(schema)).findFirst();
  }

  /** The id an equal schema already has anywhere, else the next free one. */
  public synchronized int idFor(final Schema schema) {
    final Integer known = idBySchema.get(schema);
    return known != null ? known : maxId + 1;
  }

  public synchronized CompatibilityLevel level(final String subject) {
    return levels.getOrDefault(subject, globalLevel);
  }

  public synchronized Optional<CompatibilityLevel> subjectLevel(final String subject) {
    return Optional.ofNullable(levels.get(subject));
  }

  public synchronized CompatibilityLevel globalLevel() {
    return globalLevel;
  }
}
