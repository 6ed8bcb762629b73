package dev.rsk.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;

/** JSON request and response bodies of the HTTP layer; a body that cannot be read is a 400. */
final class JsonBodies {

  static final String JSON = "application/json";

  private final ObjectMapper mapper;

  JsonBodies(final ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** Answers {@code body} as {@code application/json}. */
  void write(final Context ctx, final Object body) {
    try {
      ctx.contentType(JSON).result(mapper.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The request body as {@code type}; 400 if empty, {@code null}, malformed or unreadable. */
  <T> T read(final Context ctx, final Class<T> type) {
    final byte[] bytes = ctx.bodyAsBytes();
    if (bytes.length == 0) {
      throw ApiException.badRequest("request body is empty: a JSON object is expected");
    }
    try {
      final T value = mapper.readValue(bytes, type);
      if (value == null) {
        throw ApiException.badRequest("request body must be a JSON object, not null");
      }
      return value;
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("malformed JSON body: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiException.badRequest("unreadable body: " + e.getMessage());
    }
  }
}
