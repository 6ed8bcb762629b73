package dev.rsk.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rsk.api.internal.InternalDtos;
import dev.rsk.api.model.QueryRequest;
import dev.rsk.api.model.SimilarRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How request bodies are read: the public routes' strictly (a typo or a wrongly typed value is a 400 naming the
 * field, never a default silently kept), the instances' own leniently (a newer instance may send more fields).
 */
class JsonBodiesTest {

  private final JsonBodies strict = new JsonBodies(Json.requests());
  private final JsonBodies lenient = new JsonBodies(Json.mapper());

  private static byte[] json(final String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private void rejects(final String body, final Class<?> type, final String detail) {
    assertThatThrownBy(() -> strict.read(json(body), type))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessage(detail);
  }

  @Test
  void aWellFormedBodyIsReadWithIntegersForFloatsAndNullsForAbsentFields() {
    final SimilarRequest r = strict.read(json(
        "{\"vector\": [1, -0.5, 2e-3], \"params\": {\"d\": 3, \"seed\": 7, \"alpha\": 1, \"beta\": 0.5,"
            + " \"schemeVersion\": 1}, \"k\": 5, \"exact\": true, \"modules\": [\"cat\"]}"), SimilarRequest.class);
    assertThat(r.vector()).containsExactly(1f, -0.5f, 0.002f);
    assertThat(r.params().alpha()).isEqualTo(1.0);
    assertThat(r.k()).isEqualTo(5);
    assertThat(r.exact()).isTrue();
    assertThat(r.modules()).containsExactly("cat");
    assertThat(r.inferenceId()).isNull();
    assertThat(r.from()).isNull();
    assertThat(strict.read(json("  {\"where\": \"cat\"}\n "), QueryRequest.class).where()).isEqualTo("cat");
  }

  @Test
  void anUnknownFieldIsA400NamingItAndTheKnownOnes() {
    rejects("{\"inferenceId\": \"i\", \"kk\": 5}", SimilarRequest.class, "unknown field 'kk' in the request body;"
        + " known: exact, from, inferenceId, k, modules, params, source, to, vector");
    rejects("{\"where\": \"cat\", \"form\": \"2025-01-01\"}", QueryRequest.class,
        "unknown field 'form' in the request body; known: bucket, from, pathsFromSketches, select, to, where, zone");
    rejects("{\"vector\": [1], \"params\": {\"d\": 1, \"seed\": 7, \"alpha\": 0.5, \"beta\": 0.5, "
        + "\"schemeVersion\": 1, \"sed\": 7}}", SimilarRequest.class,
        "unknown field 'params.sed' in the request body; known: alpha, beta, d, schemeVersion, seed");
  }

  @Test
  void aValueOfTheWrongTypeIsA400NamingTheFieldAndWhatItMustBe() {
    rejects("{\"inferenceId\": \"i\", \"k\": 1.5}", SimilarRequest.class, "field 'k' must be an integer");
    rejects("{\"inferenceId\": \"i\", \"k\": \"5\"}", SimilarRequest.class, "field 'k' must be an integer");
    rejects("{\"inferenceId\": \"i\", \"exact\": \"true\"}", SimilarRequest.class,
        "field 'exact' must be true or false");
    rejects("{\"inferenceId\": 42}", SimilarRequest.class, "field 'inferenceId' must be a string");
    rejects("{\"vector\": [1, \"2\"]}", SimilarRequest.class, "field 'vector[1]' must be a number");
    rejects("{\"vector\": [1, null]}", SimilarRequest.class, "field 'vector[1]' must be a number");
    rejects("{\"vector\": [true]}", SimilarRequest.class, "field 'vector[0]' must be a number");
    rejects("{\"vector\": [\"1\"]}", SimilarRequest.class, "field 'vector[0]' must be a number");
    rejects("{\"vector\": 1}", SimilarRequest.class, "field 'vector' must be an array");
    rejects("{\"where\": \"cat\", \"select\": \"count\"}", QueryRequest.class, "field 'select' must be an array");
    rejects("{\"params\": [1]}", SimilarRequest.class, "field 'params' must be a JSON object");
    // A number the record cannot do without, missing, is named the same way.
    rejects("{\"vector\": [1], \"params\": {\"d\": 1}}", SimilarRequest.class,
        "field 'params.seed' must be an integer");
  }

  @Test
  void aBodyThatIsNotOneJsonObjectIsA400() {
    rejects("[1, 2]", SimilarRequest.class, "request body must be a JSON object");
    rejects("\"cat\"", QueryRequest.class, "request body must be a JSON object");
    rejects("   ", QueryRequest.class, "request body must be a JSON object");
    rejects("null", QueryRequest.class, "request body must be a JSON object, not null");
    rejects("{\"where\": \"cat\"} {\"where\": \"dog\"}", QueryRequest.class,
        "request body goes on after its JSON object: send one object");
    rejects("", QueryRequest.class, "request body is empty: a JSON object is expected");
    assertThatThrownBy(() -> strict.read(json("{\"where\": \"cat\"} x"), QueryRequest.class))
        .hasMessageStartingWith("malformed JSON body: Unrecognized token 'x'");
    assertThatThrownBy(() -> strict.read(json("{\"where\": \"cat\", \"where\": \"dog\"}"), QueryRequest.class))
        .hasMessage("malformed JSON body: Duplicate field 'where'");
    assertThatThrownBy(() -> strict.read(json("{\"where\": \"cat\""), QueryRequest.class))
        .hasMessageStartingWith("malformed JSON body: Unexpected end-of-input");
  }

  @Test
  void theInstancesOwnBodiesIgnoreFieldsANewerVersionAdds() {
    final InternalDtos.SimilarQuery q = lenient.read(
        json("{\"vector\": [1], \"k\": 3, \"stale\": false, \"addedLater\": true}"), InternalDtos.SimilarQuery.class);
    assertThat(q.k()).isEqualTo(3);
  }

  @Test
  void kindsInJsonWords() {
    assertThat(List.of(int.class, Long.class, double.class, Float.class, boolean.class, String.class, float[].class,
        List.class, QueryRequest.class).stream().map(JsonBodies::kind).toList()).containsExactly("an integer",
        "an integer", "a number", "a number", "true or false", "a string", "an array", "an array", "a JSON object");
    assertThat(JsonBodies.kind(null)).isEqualTo("of another type");
  }
}
