package dev.rsk.registry.server;

import dev.rsk.registry.CompatibilityLevel;
import dev.rsk.registry.SchemaRegistryException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;

/**
 * Reads what a registry request carries: the schema id of the path, the schema or the compatibility level of
 * the JSON body. Anything malformed throws {@link SchemaRegistryException} with the status and error code
 * Confluent's registry answers (404 for an id that is not a number, 400 for a body that is not a JSON object,
 * 422 for an unusable schema or level).
 */
final class RegistryRequests {

  private final ObjectMapper json;

  RegistryRequests(final ObjectMapper json) {
    this.json = json;
  }

  /** The {@code {id}} path parameter; a non-number is a schema that cannot exist (404, as Confluent's). */
  int schemaId(final Context ctx) {
    try {
      return Integer.parseInt(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      throw new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND,
          "Schema " + ctx.pathParam("id") + " not found");
    }
  }

  /** The AVRO schema of a {@code {"schema": "...", "schemaType": "AVRO"}} body, without references. */
  Schema schema(final Context ctx) {
    final JsonNode body = body(ctx);
    final String type = body.path("schemaType").asText("AVRO");
    if (!"AVRO".equals(type)) {
      throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_SCHEMA,
          "Schema type " + type + " is not supported; this registry stores AVRO schemas only");
    }
    if (body.path("references").isArray() && !body.path("references").isEmpty()) {
      throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_SCHEMA,
          "Schema references are not supported");
    }
    if (!body.path("schema").isTextual()) {
      throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_SCHEMA,
          "Request body must have a \"schema\" string field");
    }
    try {
      return new Schema.Parser().parse(body.path("schema").asText());
    } catch (AvroRuntimeException e) {
      throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_SCHEMA,
          "Invalid schema: " + e.getMessage());
    }
  }

  /** The level of a {@code {"compatibility": "..."}} body. */
  CompatibilityLevel level(final Context ctx) {
    final String name = body(ctx).path("compatibility").asText(null);
    try {
      return CompatibilityLevel.parse(name);
    } catch (IllegalArgumentException e) {
      throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL,
          "Invalid compatibility level. " + e.getMessage());
    }
  }

  private JsonNode body(final Context ctx) {
    try {
      final JsonNode node = json.readTree(ctx.body());
      if (node == null || !node.isObject()) {
        throw new SchemaRegistryException(400, 400, "Request body must be a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new SchemaRegistryException(400, 400, "Request body is not valid JSON: " + e.getOriginalMessage());
    }
  }
}
