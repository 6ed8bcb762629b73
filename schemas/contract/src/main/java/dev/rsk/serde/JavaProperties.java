package dev.rsk.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;

/**
 * Removes the Java-only schema properties ({@code avro.java.string}) that the code generator adds to
 * generated classes' schemas. Registering the cleaned schema gives Java and non-Java producers of the
 * same {@code .avsc} one schema id (like Confluent's {@code avro.remove.java.properties}).
 */
public final class JavaProperties {
  private static final String JAVA_STRING = "avro.java.string";
  private static final ObjectMapper JSON = new ObjectMapper();

  private JavaProperties() {}

  /** The schema without Java-only properties (the same instance if it has none). */
  public static Schema strip(final Schema schema) {
    final String text = schema.toString();
    if (!text.contains(JAVA_STRING)) {
      return schema;
    }
    try {
      final JsonNode node = JSON.readTree(text);
      return new Schema.Parser().parse(clean(node).toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode clean(final JsonNode node) {
    if (node.isObject()) {
      final ObjectNode obj = (ObjectNode) node;
      obj.remove(JAVA_STRING);
      obj.fields().forEachRemaining(e -> e.setValue(clean(e.getValue())));
      // {"type": "string"} alone is just "string".
      if (obj.size() == 1 && obj.has("type") && obj.get("type").isTextual()) {
        return obj.get("type");
      }
      return obj;
    }
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        ((com.fasterxml.jackson.databind.node.ArrayNode) node).set(i, clean(node.get(i)));
      }
    }
    return node;
  }
}
