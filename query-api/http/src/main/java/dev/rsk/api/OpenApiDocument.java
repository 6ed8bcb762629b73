package dev.rsk.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The API's OpenAPI document (the resource {@code openapi.json}): served as it is, and the one place where each
 * operation's query parameters are declared, so that a route cannot accept a parameter its document does not list.
 */
final class OpenApiDocument {

  private final byte[] bytes;
  /** "GET /v1/modules/{module}/hours" to its query parameters, in the document's order. */
  private final Map<String, List<String>> queryParameters;

  private OpenApiDocument(final byte[] bytes, final Map<String, List<String>> queryParameters) {
    this.bytes = bytes;
    this.queryParameters = queryParameters;
  }

  /** Reads the resource; an unreadable document is a build error, so it fails the server's start. */
  static OpenApiDocument load(final ObjectMapper mapper) {
    try (InputStream in = Objects.requireNonNull(OpenApiDocument.class.getResourceAsStream("openapi.json"),
        "openapi.json resource")) {
      return parse(in.readAllBytes(), mapper);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static OpenApiDocument parse(final byte[] bytes, final ObjectMapper mapper) throws IOException {
    final Map<String, List<String>> params = new HashMap<>();
    mapper.readTree(bytes).path("paths").fields().forEachRemaining(path ->
        path.getValue().fields().forEachRemaining(op -> {
          final List<String> names = new ArrayList<>();
          for (final JsonNode p : op.getValue().path("parameters")) {
            if ("query".equals(p.path("in").asText())) {
              names.add(p.path("name").asText());
            }
          }
          params.put(operation(op.getKey(), path.getKey()), List.copyOf(names));
        }));
    return new OpenApiDocument(bytes, Map.copyOf(params));
  }

  /** The document as served by {@code GET /openapi.json}. */
  byte[] bytes() {
    return bytes;
  }

  /**
   * The query parameters the document declares for an operation.
   *
   * @throws IllegalStateException if the document has no such operation: a route registered without its
   *     documentation fails the server's start, not a user's request
   */
  List<String> queryParameters(final String method, final String path) {
    final List<String> names = queryParameters.get(operation(method, path));
    if (names == null) {
      throw new IllegalStateException(operation(method, path) + " is not in openapi.json");
    }
    return names;
  }

  /** How messages name an operation: {@code GET /v1/modules/{module}/hours}. */
  static String operation(final String method, final String path) {
    return method.toUpperCase(Locale.ROOT) + " " + path;
  }
}
