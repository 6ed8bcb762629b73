package dev.rsk.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.util.ClassUtil;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;

/**
 * JSON request and response bodies of the HTTP layer; a body that cannot be read is a 400 that names the field at
 * fault (how strict the reading is, is the mapper's: {@link Json#requests()} for the public routes).
 */
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

  /** The request body as {@code type}; see {@link #read(byte[], Class)}. */
  <T> T read(final Context ctx, final Class<T> type) {
    return read(ctx.bodyAsBytes(), type);
  }

  /**
   * One JSON object as {@code type}.
   *
   * @throws ApiException 400 if empty, {@code null}, not an object, malformed, followed by more content, or (as
   *     the mapper decides) with a field of the wrong type or one {@code type} does not have
   */
  <T> T read(final byte[] bytes, final Class<T> type) {
    if (bytes.length == 0) {
      throw ApiException.badRequest("request body is empty: a JSON object is expected");
    }
    try (JsonParser parser = mapper.createParser(bytes)) {
      final T value = mapper.readValue(parser, type);
      if (value == null) {
        throw ApiException.badRequest("request body must be a JSON object, not null");
      }
      if (parser.nextToken() != null) {
        throw ApiException.badRequest("request body goes on after its JSON object: send one object");
      }
      return value;
    } catch (UnrecognizedPropertyException e) {
      throw ApiException.badRequest("unknown field '" + path(e) + "' in the request body; known: "
          + known(e.getKnownPropertyIds()));
    } catch (MismatchedInputException e) {
      throw ApiException.badRequest(e.getPath().isEmpty() ? "request body must be a JSON object"
          : "field '" + path(e) + "' must be " + kind(target(e)));
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("malformed JSON body: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiException.badRequest("unreadable body: " + e.getMessage());
    }
  }

  /** {@code params.d}, {@code vector[3]}. */
  static String path(final JsonMappingException e) {
    final StringBuilder out = new StringBuilder();
    for (final JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        out.append(out.length() == 0 ? "" : ".").append(r.getFieldName());
      } else {
        out.append('[').append(r.getIndex()).append(']');
      }
    }
    return out.toString();
  }

  /** The type of the value at fault: an array's element when the path ends at one of its elements. */
  private static Class<?> target(final MismatchedInputException e) {
    final Class<?> t = e.getTargetType();
    final List<JsonMappingException.Reference> path = e.getPath();
    return t != null && t.isArray() && path.get(path.size() - 1).getIndex() >= 0 ? t.getComponentType() : t;
  }

  private static String known(final Collection<Object> ids) {
    return String.join(", ", ids.stream().map(String::valueOf).sorted().toList());
  }

  /** What a JSON value of Java type {@code t} is, in JSON's words. */
  static String kind(final Class<?> t) {
    if (t == null) {
      return "of another type";
    }
    final Class<?> w = t.isPrimitive() ? ClassUtil.wrapperType(t) : t;
    if (w == Integer.class || w == Long.class || w == Short.class || w == Byte.class) {
      return "an integer";
    }
    if (Number.class.isAssignableFrom(w)) {
      return "a number";
    }
    if (w == Boolean.class) {
      return "true or false";
    }
    if (w == String.class) {
      return "a string";
    }
    return t.isArray() || Collection.class.isAssignableFrom(w) ? "an array" : "a JSON object";
  }
}
