package dev.rsk.registry.server;

import dev.rsk.registry.CompatibilityLevel;
import dev.rsk.registry.HttpSchemaRegistryClient;
import dev.rsk.registry.RegisteredSchema;
import dev.rsk.registry.SchemaRegistryException;
import dev.rsk.registry.SchemaStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process schema registry speaking the subset of the Confluent Schema Registry REST API that
 * clients use, storing its schemas in a compacted Kafka topic ({@code _schemas} by default) so that ids
 * survive restarts and several registries over one Kafka cluster agree.
 *
 * <p>Routes: {@code GET /schemas/ids/{id}} (+ {@code /versions}, {@code /subjects}), {@code GET /schemas/types},
 * {@code GET /subjects}, {@code GET /subjects/{s}/versions}, {@code GET /subjects/{s}/versions/{v|latest}}
 * (+ {@code /schema}), {@code POST /subjects/{s}/versions} (register), {@code POST /subjects/{s}} (look up),
 * {@code POST /compatibility/subjects/{s}/versions/{v|latest}}, {@code GET|PUT /config},
 * {@code GET|PUT|DELETE /config/{s}}. Only AVRO schemas without references. Compatibility is checked with
 * Avro's {@link org.apache.avro.SchemaCompatibility}; the default level is BACKWARD. Errors are Confluent
 * bodies {@code {"error_code": n, "message": "..."}}. Deleting schemas is not supported.
 */
public final class SchemaRegistryServer implements AutoCloseable {

  /** Default name of the schema topic, as Confluent's. */
  public static final String DEFAULT_TOPIC = "_schemas";
  /** Bound on every Kafka operation behind a request. */
  public static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);
  /** Registrations that lose a race with another registry are retried at most this many times. */
  static final int MAX_PROPOSALS = 10;
  private static final String CONTENT_TYPE = HttpSchemaRegistryClient.CONTENT_TYPE;
  private static final String ERROR_SENT = "rsk.registry.error";
  private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryServer.class);

  private final SchemaStore store = new SchemaStore();
  private final ObjectMapper json = new ObjectMapper();
  private final Object writeLock = new Object();
  private final SchemaLog log;
  private final Javalin http;
  private final String url;

  private SchemaRegistryServer(final String bootstrapServers, final String host, final int port, final String topic) {
    this.log = new SchemaLog(bootstrapServers, topic, store, KAFKA_TIMEOUT);
    try {
      log.syncToEnd();
      this.http = Javalin.create(config -> {
        config.showJavalinBanner = false;
        config.startupWatcherEnabled = false;
        config.jetty.threadPool = new QueuedThreadPool(32, 2, 60_000);
      });
      routes(http);
      http.start(host, port);
    } catch (RuntimeException e) {
      log.close();
      throw e;
    }
    this.url = "http://" + ("0.0.0.0".equals(host) ? "127.0.0.1" : host) + ":" + http.port();
    LOG.info("Schema registry serving {} from topic {} on {}", url, topic, bootstrapServers);
  }

  /** Starts a registry on {@code 127.0.0.1:port} (0 = ephemeral) over topic {@code _schemas}. */
  public static SchemaRegistryServer start(final String bootstrapServers, final int port) {
    return start(bootstrapServers, "127.0.0.1", port, DEFAULT_TOPIC);
  }

  /** Starts a registry on {@code host:port} over the given schema topic (created compacted if missing). */
  public static SchemaRegistryServer start(final String bootstrapServers, final String host, final int port,
      final String topic) {
    return new SchemaRegistryServer(bootstrapServers, host, port, topic);
  }

  /** The base URL, for {@code schema.registry.url}. */
  public String url() {
    return url;
  }

  /** The bound port. */
  public int port() {
    return http.port();
  }

  @Override
  public void close() {
    http.stop();
    log.close();
  }

  private void routes(final Javalin app) {
    app.get("/", ctx -> send(ctx, json.createObjectNode()));
    app.get("/schemas/types", ctx -> send(ctx, json.createArrayNode().add("AVRO")));
    app.get("/schemas/ids/{id}", ctx -> {
      final int id = schemaId(ctx);
      final ObjectNode body = json.createObjectNode().put("schema", schemaById(id).toString());
      send(ctx, body);
    });
    app.get("/schemas/ids/{id}/versions", ctx -> {
      final int id = schemaId(ctx);
      schemaById(id);
      final ArrayNode out = json.createArrayNode();
      store.usesOf(id).forEach(v -> out.addObject().put("subject", v.subject()).put("version", v.version()));
      send(ctx, out);
    });
    app.get("/schemas/ids/{id}/subjects", ctx -> {
      final int id = schemaId(ctx);
      schemaById(id);
      final ArrayNode out = json.createArrayNode();
      store.usesOf(id).stream().map(RegisteredSchema::subject).distinct().forEach(out::add);
      send(ctx, out);
    });
    app.get("/subjects", ctx -> {
      log.syncToEnd();
      final ArrayNode out = json.createArrayNode();
      store.subjects().forEach(out::add);
      send(ctx, out);
    });
    app.get("/subjects/{subject}/versions", ctx -> {
      final ArrayNode out = json.createArrayNode();
      versions(ctx.pathParam("subject")).forEach(v -> out.add(v.version()));
      send(ctx, out);
    });
    app.get("/subjects/{subject}/versions/{version}", ctx ->
        send(ctx, describe(version(ctx.pathParam("subject"), ctx.pathParam("version")))));
    app.get("/subjects/{subject}/versions/{version}/schema", ctx -> {
      ctx.contentType(CONTENT_TYPE).result(version(ctx.pathParam("subject"), ctx.pathParam("version")).schema().toString());
    });
    app.post("/subjects/{subject}/versions", ctx -> {
      final int id = register(ctx.pathParam("subject"), requestSchema(ctx));
      send(ctx, json.createObjectNode().put("id", id));
    });
    app.post("/subjects/{subject}", ctx -> {
      final String subject = ctx.pathParam("subject");
      final Schema schema = requestSchema(ctx);
      versions(subject);
      final RegisteredSchema found = store.find(subject, schema).orElseThrow(() ->
          new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema not found"));
      send(ctx, describe(found));
    });
    app.post("/compatibility/subjects/{subject}/versions/{version}", ctx -> {
      final String subject = ctx.pathParam("subject");
      final Schema schema = requestSchema(ctx);
      log.syncToEnd();
      final List<RegisteredSchema> versions = store.versions(subject);
      final List<Schema> against;
      if (versions.isEmpty()) {
        against = List.of();
      } else if (isLatest(ctx.pathParam("version"))) {
        against = versions.stream().map(RegisteredSchema::schema).toList();
      } else {
        against = List.of(version(subject, ctx.pathParam("version")).schema());
      }
      final List<String> problems = store.level(subject).incompatibilities(schema, against);
      final ObjectNode body = json.createObjectNode().put("is_compatible", problems.isEmpty());
      if ("true".equalsIgnoreCase(ctx.queryParam("verbose"))) {
        final ArrayNode messages = body.putArray("messages");
        problems.forEach(messages::add);
      }
      send(ctx, body);
    });
    app.get("/config", ctx -> send(ctx, json.createObjectNode().put("compatibilityLevel", store.globalLevel().name())));
    app.put("/config", ctx -> {
      final CompatibilityLevel level = requestLevel(ctx);
      synchronized (writeLock) {
        log.putConfig(null, level);
      }
      send(ctx, json.createObjectNode().put("compatibility", level.name()));
    });
    app.get("/config/{subject}", ctx -> {
      final String subject = ctx.pathParam("subject");
      final Optional<CompatibilityLevel> own = store.subjectLevel(subject);
      if (own.isEmpty() && !"true".equalsIgnoreCase(ctx.queryParam("defaultToGlobal"))) {
        throw new SchemaRegistryException(404, SchemaRegistryException.SUBJECT_COMPATIBILITY_NOT_CONFIGURED,
            "Subject '" + subject + "' does not have subject-level compatibility configured");
      }
      send(ctx, json.createObjectNode().put("compatibilityLevel", own.orElse(store.globalLevel()).name()));
    });
    app.put("/config/{subject}", ctx -> {
      final CompatibilityLevel level = requestLevel(ctx);
      synchronized (writeLock) {
        log.putConfig(ctx.pathParam("subject"), level);
      }
      send(ctx, json.createObjectNode().put("compatibility", level.name()));
    });
    app.delete("/config/{subject}", ctx -> {
      final String subject = ctx.pathParam("subject");
      final CompatibilityLevel previous = store.subjectLevel(subject).orElseThrow(() ->
          new SchemaRegistryException(404, SchemaRegistryException.SUBJECT_COMPATIBILITY_NOT_CONFIGURED,
              "Subject '" + subject + "' does not have subject-level compatibility configured"));
      synchronized (writeLock) {
        log.putConfig(subject, null);
      }
      send(ctx, json.createObjectNode().put("compatibilityLevel", previous.name()));
    });

    app.exception(SchemaRegistryException.class, (e, ctx) -> error(ctx, e.status(), e.errorCode(), e.detail()));
    app.exception(Exception.class, (e, ctx) -> {
      LOG.warn("Schema registry request {} {} failed", ctx.method(), ctx.path(), e);
      error(ctx, 500, 50001, "Internal error: " + e);
    });
    app.error(404, ctx -> {
      if (ctx.attribute(ERROR_SENT) == null) {
        error(ctx, 404, 404, "HTTP 404 Not Found");
      }
    });
    app.error(405, ctx -> {
      if (ctx.attribute(ERROR_SENT) == null) {
        error(ctx, 405, 405, "HTTP 405 Method Not Allowed");
      }
    });
  }

  /** Registers with compare-and-set on the log: a proposal that lost a race is re-checked and re-proposed. */
  private int register(final String subject, final Schema schema) {
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

  private Schema schemaById(final int id) {
    Optional<Schema> schema = store.byId(id);
    if (schema.isEmpty()) {
      log.syncToEnd(); // Another registry may have just registered it.
      schema = store.byId(id);
    }
    return schema.orElseThrow(() ->
        new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found"));
  }

  private List<RegisteredSchema> versions(final String subject) {
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

  private RegisteredSchema version(final String subject, final String version) {
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

  private static boolean isLatest(final String version) {
    return "latest".equals(version) || "-1".equals(version);
  }

  private static SchemaRegistryException invalidVersion(final String version) {
    return new SchemaRegistryException(422, SchemaRegistryException.INVALID_VERSION, "The specified version '"
        + version + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
  }

  private static int schemaId(final Context ctx) {
    try {
      return Integer.parseInt(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      throw new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND,
          "Schema " + ctx.pathParam("id") + " not found");
    }
  }

  private ObjectNode describe(final RegisteredSchema r) {
    return json.createObjectNode().put("subject", r.subject()).put("version", r.version()).put("id", r.id())
        .put("schema", r.schema().toString());
  }

  private JsonNode body(final Context ctx) {
    try {
      final JsonNode node = json.readTree(ctx.body());
      if (node == null || !node.isObject()) {
        throw new SchemaRegistryException(400, 400, "Request body must be a JSON object");
      }
      return node;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new SchemaRegistryException(400, 400, "Request body is not valid JSON: " + e.getOriginalMessage());
    }
  }

  private Schema requestSchema(final Context ctx) {
    final JsonNode body = body(ctx);
    final String type = body.path("schemaType").asText("AVRO");
    if (!"AVRO".equals(type)) {
      throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_SCHEMA,
          "Schema type " + type + " is not supported; this registry stores AVRO schemas only");
    }
    if (body.path("references").isArray() && !body.path("references").isEmpty()) {
      throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_SCHEMA, "Schema references are not supported");
    }
    if (!body.path("schema").isTextual()) {
      throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_SCHEMA,
          "Request body must have a \"schema\" string field");
    }
    try {
      return new Schema.Parser().parse(body.path("schema").asText());
    } catch (org.apache.avro.AvroRuntimeException e) {
      throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_SCHEMA, "Invalid schema: " + e.getMessage());
    }
  }

  private CompatibilityLevel requestLevel(final Context ctx) {
    final String name = body(ctx).path("compatibility").asText(null);
    try {
      return CompatibilityLevel.parse(name);
    } catch (IllegalArgumentException e) {
      throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL,
          "Invalid compatibility level. " + e.getMessage());
    }
  }

  private void send(final Context ctx, final JsonNode body) {
    ctx.contentType(CONTENT_TYPE).result(body.toString());
  }

  private void error(final Context ctx, final int status, final int code, final String message) {
    ctx.attribute(ERROR_SENT, Boolean.TRUE);
    ctx.status(status).contentType(CONTENT_TYPE)
        .result(json.createObjectNode().put("error_code", code).put("message", message).toString());
  }
}
