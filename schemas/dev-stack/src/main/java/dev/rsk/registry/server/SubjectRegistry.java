package dev.rsk.registry.server;

import dev.rsk.registry.CompatibilityLevel;
import dev.rsk.registry.RegisteredSchema;
import dev.rsk.registry.SchemaRegistryException;
import dev.rsk.registry.SchemaStore;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's schemas and compatibility levels as requests see them: reads of the {@link SchemaStore} that
 * re-read the {@link SchemaLog} on a miss (another registry may have just written), and writes to the log
 * serialised by one lock. Misses throw {@link SchemaRegistryException} with Confluent's status and error code.
 */
final class SubjectRegistry {

  /** Registrations that lose a race with another registry are retried at most this many times. */
  static final int MAX_PROPOSALS = 10;
  private static final Logger LOG = LoggerFactory.getLogger(SubjectRegistry.class);

  private final SchemaStore store;
  private final SchemaLog log;
  private final Object writeLock = new Object();

  SubjectRegistry(final SchemaStore store, final SchemaLog log) {
    this.store = store;
    this.log = log;
  }

  /** Registers with compare-and-set on the log: a proposal that lost a race is re-checked and re-proposed. */
  int register(final String subject, final Schema schema) {
    synchronized (writeLock) {
      for (int attempt = 1; attempt <= MAX_PROPOSALS; attempt++) {
        log.syncToEnd();
        final Optional<RegisteredSchema> existing = store.find(subject, schema);
        if (existing.isPresent()) {
          return existing.get().id();
        }
        final List<RegisteredSchema> versions = store.versions(subject);
        final CompatibilityLevel level = store.level(subject);
        final List<String> problems = level.incompatibilities(schema,
            versions.stream().map(RegisteredSchema::schema).toList());
        if (!problems.isEmpty()) {
          throw new SchemaRegistryException(409, SchemaRegistryException.INCOMPATIBLE_SCHEMA,
              "Schema being registered is incompatible with an earlier schema for subject \"" + subject
                  + "\" (compatibility " + level + "), details: " + problems);
        }
        log.proposeSchema(subject, versions.size() + 1, store.idFor(schema), schema);
        final Optional<RegisteredSchema> mine = store.find(subject, schema);
        if (mine.isPresent()) {
          LOG.info("Registered {} version {} as schema id {}", subject, mine.get().version(), mine.get().id());
          return mine.get().id();
        }
        LOG.info("Registration of {} lost a race with another registry (attempt {}/{}); retrying", subject,
            attempt, MAX_PROPOSALS);
      }
      throw new SchemaRegistryException(500, SchemaRegistryException.STORE_ERROR, "Could not register under subject \""
          + subject + "\" after " + MAX_PROPOSALS + " attempts: concurrent registrations kept winning");
    }
  }

  /** Sets the level of a subject, or the global level for a null subject; a null level removes a subject's. */
  void putConfig(final String subject, final CompatibilityLevel level) {
    synchronized (writeLock) {
      log.putConfig(subject, level);
    }
  }

  /**
   * Why {@code schema} may not follow the given version of {@code subject} ({@code latest}: every version, as
   * registration checks); empty if it may, or if the subject has no version yet.
   */
  List<String> incompatibilities(final String subject, final String version, final Schema schema) {
    log.syncToEnd();
    final List<RegisteredSchema> versions = store.versions(subject);
    final List<Schema> against;
    if (versions.isEmpty()) {
      against = List.of();
    } else if (isLatest(version)) {
      against = versions.stream().map(RegisteredSchema::schema).toList();
    } else {
      against = List.of(version(subject, version).schema());
    }
    return store.level(subject).incompatibilities(schema, against);
  }

  /** Every subject, after catching up with the log. */
  List<String> subjects() {
    log.syncToEnd();
    return store.subjects();
  }

  Schema schemaById(final int id) {
    Optional<Schema> schema = store.byId(id);
    if (schema.isEmpty()) {
      log.syncToEnd(); // Another registry may have just registered it.
      schema = store.byId(id);
    }
    return schema.orElseThrow(() ->
        new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found"));
  }

  List<RegisteredSchema> versions(final String subject) {
    List<RegisteredSchema> versions = store.versions(subject);
    if (versions.isEmpty()) {
      log.syncToEnd();
      versions = store.versions(subject);
    }
    if (versions.isEmpty()) {
      throw new SchemaRegistryException(404, SchemaRegistryException.SUBJECT_NOT_FOUND,
          "Subject '" + subject + "' not found.");
    }
    return versions;
  }

  RegisteredSchema version(final String subject, final String version) {
    final List<RegisteredSchema> versions = versions(subject);
    if (isLatest(version)) {
      return versions.get(versions.size() - 1);
    }
    final int v;
    try {
      v = Integer.parseInt(version);
    } catch (NumberFormatException e) {
      throw invalidVersion(version);
    }
    if (v < 1) {
      throw invalidVersion(version);
    }
    return versions.stream().filter(r -> r.version() == v).findFirst().orElseThrow(() ->
        new SchemaRegistryException(404, SchemaRegistryException.VERSION_NOT_FOUND, "Version " + v + " not found."));
  }

  /** The subject's version holding {@code schema}; 404 if the subject or the schema under it is unknown. */
  RegisteredSchema find(final String subject, final Schema schema) {
    versions(subject);
    return store.find(subject, schema).orElseThrow(() ->
        new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema not found"));
  }

  /** The subject's own level; 404 (unless {@code defaultToGlobal}, which answers the global level) if it has none. */
  CompatibilityLevel subjectLevel(final String subject, final boolean defaultToGlobal) {
    final Optional<CompatibilityLevel> own = store.subjectLevel(subject);
    if (own.isEmpty() && !defaultToGlobal) {
      throw notConfigured(subject);
    }
    return own.orElse(store.globalLevel());
  }

  /** Removes the subject's own level and answers the one it had; 404 if it had none. */
  CompatibilityLevel deleteSubjectLevel(final String subject) {
    final CompatibilityLevel previous = store.subjectLevel(subject).orElseThrow(() -> notConfigured(subject));
    putConfig(subject, null);
    return previous;
  }

  CompatibilityLevel globalLevel() {
    return store.globalLevel();
  }

  /** Where a schema id is used, after checking the id exists. */
  List<RegisteredSchema> usesOf(final int id) {
    schemaById(id);
    return store.usesOf(id);
  }

  private static boolean isLatest(final String version) {
    return "latest".equals(version) || "-1".equals(version);
  }

  private static SchemaRegistryException invalidVersion(final String version) {
    return new SchemaRegistryException(422, SchemaRegistryException.INVALID_VERSION, "The specified version '"
        + version + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
  }

  private static SchemaRegistryException notConfigured(final String subject) {
    return new SchemaRegistryException(404, SchemaRegistryException.SUBJECT_COMPATIBILITY_NOT_CONFIGURED,
        "Subject '" + subject + "' does not have subject-level compatibility configured");
  }
}
