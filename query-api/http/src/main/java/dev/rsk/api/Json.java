package dev.rsk.api;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.rsk.api.model.SketchParamsJson;
import dev.rsk.api.model.StoredSketch;
import dev.rsk.stats.model.RepositoryRecord;
import dev.rsk.sketch.SketchSpec;
import java.time.Instant;

/** The JSON mapper of the API and conversions between records and JSON bodies. */
public final class Json {

  private Json() {}

  /** Mapper shared by server and client: unknown fields ignored (forward compatible), NaN allowed out. */
  public static ObjectMapper mapper() {
    return JsonMapper.builder()
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
        .build();
  }

  /**
   * Mapper of the public routes' request bodies, strict where {@link #mapper()} is lenient: an unknown or repeated
   * field, a number or boolean given as a string (or a string as a number), and a fraction for an integer are
   * errors, so that a typo cannot leave a default in place and answer another question.
   */
  public static ObjectMapper requests() {
    return JsonMapper.builder()
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .withCoercionConfig(LogicalType.Textual, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
            .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
            .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
        .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
        .build();
  }

  public static String instant(final long epochMs) {
    return Instant.ofEpochMilli(epochMs).toString();
  }

  public static SketchParamsJson params(final SketchSpec s) {
    return new SketchParamsJson(s.d(), s.seed(), s.alpha(), s.beta(), s.schemeVersion());
  }

  public static SketchSpec spec(final SketchParamsJson p) {
    return new SketchSpec(p.d(), p.seed(), p.alpha(), p.beta(), p.schemeVersion());
  }

  /** A repository record as JSON; the vector is the stored int8 sketch, an aged one shorter than d. */
  public static StoredSketch stored(final String inferenceId, final RepositoryRecord s) {
    return new StoredSketch(inferenceId, s.source(), s.eventTime(), params(s.sketch().spec()), s.sketch().vector(),
        s.objectCount(), s.complete(), s.missingInputs(), s.moduleCounts(), s.attributeLengths(), s.sketchedAt());
  }
}
