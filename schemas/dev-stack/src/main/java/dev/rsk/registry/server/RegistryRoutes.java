package dev.rsk.registry.server;

import dev.rsk.registry.CompatibilityLevel;
import dev.rsk.registry.HttpSchemaRegistryClient;
import dev.rsk.registry.RegisteredSchema;
import dev.rsk.registry.SchemaRegistryException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP routes of {@link SchemaRegistryServer} (listed there) and its error bodies: every failure, a
 * {@link SchemaRegistryException} or anything else (500, logged), and every unknown route or method (404, 405)
 * answers Confluent's {@code {"error_code": n, "message": "..."}}.
 */
final class RegistryRoutes {

  private static final String CONTENT_TYPE = HttpSchemaRegistryClient.CONTENT_TYPE;
  private static final String ERROR_SENT = "rsk.registry.error";
  private static final Logger LOG = LoggerFactory.getLogger(RegistryRoutes.class);

  private final ObjectMapper json = new ObjectMapper();
  private final RegistryRequests requests = new RegistryRequests(json);
  private final SubjectRegistry registry;

  RegistryRoutes(final SubjectRegistry registry) {
    this.registry = registry;
  }

  /** Adds the routes and the error handlers to {@code app}. */
  void install(final Javalin app) {
    schemaRoutes(app);
    subjectRoutes(app);
    configRoutes(app);
    errorHandlers(app);
  }

  private void schemaRoutes(final Javalin app) {
    app.get("/", ctx -> send(ctx, json.createObjectNode()));
    app.get("/schemas/types", ctx -> send(ctx, json.createArrayNode().add("AVRO")));
    app.get("/schemas/ids/{id}", ctx -> {
      final int id = requests.schemaId(ctx);
      final ObjectNode body = json.createObjectNode().put("schema", registry.schemaById(id).toString());
      send(ctx, body);
    });
    app.get("/schemas/ids/{id}/versions", ctx -> {
      final ArrayNode out = json.createArrayNode();
      registry.usesOf(requests.schemaId(ctx))
          .forEach(v -> out.addObject().put("subject", v.subject()).put("version", v.version()));
      send(ctx, out);
    });
    app.get("/schemas/ids/{id}/subjects", ctx -> {
      final ArrayNode out = json.createArrayNode();
      registry.usesOf(requests.schemaId(ctx)).stream().map(RegisteredSchema::subject).distinct().forEach(out::add);
      send(ctx, out);
    });
  }

  private void subjectRoutes(final Javalin app) {
    app.get("/subjects", ctx -> {
      final ArrayNode out = json.createArrayNode();
      registry.subjects().forEach(out::add);
      send(ctx, out);
    });
    app.get("/subjects/{subject}/versions", ctx -> {
      final ArrayNode out = json.createArrayNode();
      registry.versions(ctx.pathParam("subject")).forEach(v -> out.add(v.version()));
      send(ctx, out);
    });
    app.get("/subjects/{subject}/versions/{version}", ctx ->
        send(ctx, describe(registry.version(ctx.pathParam("subject"), ctx.pathParam("version")))));
    app.get("/subjects/{subject}/versions/{version}/schema", ctx -> {
      ctx.contentType(CONTENT_TYPE)
          .result(registry.version(ctx.pathParam("subject"), ctx.pathParam("version")).schema().toString());
    });
    app.post("/subjects/{subject}/versions", ctx -> {
      final int id = registry.register(ctx.pathParam("subject"), requests.schema(ctx));
      send(ctx, json.createObjectNode().put("id", id));
    });
    app.post("/subjects/{subject}", ctx ->
        send(ctx, describe(registry.find(ctx.pathParam("subject"), requests.schema(ctx)))));
    app.post("/compatibility/subjects/{subject}/versions/{version}", ctx -> {
      final List<String> problems = registry.incompatibilities(ctx.pathParam("subject"), ctx.pathParam("version"),
          requests.schema(ctx));
      final ObjectNode body = json.createObjectNode().put("is_compatible", problems.isEmpty());
      if ("true".equalsIgnoreCase(ctx.queryParam("verbose"))) {
        final ArrayNode messages = body.putArray("messages");
        problems.forEach(messages::add);
      }
      send(ctx, body);
    });
  }

  private void configRoutes(final Javalin app) {
    app.get("/config", ctx ->
        send(ctx, json.createObjectNode().put("compatibilityLevel", registry.globalLevel().name())));
    app.put("/config", ctx -> {
      final CompatibilityLevel level = requests.level(ctx);
      registry.putConfig(null, level);
      send(ctx, json.createObjectNode().put("compatibility", level.name()));
    });
    app.get("/config/{subject}", ctx -> {
      final CompatibilityLevel level = registry.subjectLevel(ctx.pathParam("subject"),
          "true".equalsIgnoreCase(ctx.queryParam("defaultToGlobal")));
      send(ctx, json.createObjectNode().put("compatibilityLevel", level.name()));
    });
    app.put("/config/{subject}", ctx -> {
      final CompatibilityLevel level = requests.level(ctx);
      registry.putConfig(ctx.pathParam("subject"), level);
      send(ctx, json.createObjectNode().put("compatibility", level.name()));
    });
    app.delete("/config/{subject}", ctx -> {
      final CompatibilityLevel previous = registry.deleteSubjectLevel(ctx.pathParam("subject"));
      send(ctx, json.createObjectNode().put("compatibilityLevel", previous.name()));
    });
  }

  private void errorHandlers(final Javalin app) {
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

  private ObjectNode describe(final RegisteredSchema r) {
    return json.createObjectNode().put("subject", r.subject()).put("version", r.version()).put("id", r.id())
        .put("schema", r.schema().toString());
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
