package dev.rsk.api;

import dev.rsk.contract.SketchMapper;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.rsk.api.model.SketchParamsJson;
import dev.rsk.api.model.StoredSketch;
import dev.rsk.avro.InferenceSketch;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.SketchRecords;
import java.time.Instant;
import java.util.TreeMap;

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

  public static String instant(final long epochMs) {
    return Instant.ofEpochMilli(epochMs).toString();
  }

  public static SketchParamsJson params(final SketchSpec s) {
    return new SketchParamsJson(s.d(), s.seed(), s.alpha(), s.beta(), s.schemeVersion());
  }

  public static SketchSpec spec(final SketchParamsJson p) {
    return new SketchSpec(p.d(), p.seed(), p.alpha(), p.beta(), p.schemeVersion());
  }

  public static StoredSketch stored(final InferenceSketch s) {
    return new StoredSketch(s.getInferenceId(), s.getSource(), s.getEventTime().toEpochMilli(),
        params(SketchMapper.spec(s.getParams())), SketchMapper.vector(s), s.getObjectCount(), s.getComplete(),
        s.getMissingInputs(), new TreeMap<>(s.getModuleCounts()), new TreeMap<>(s.getAttributeLengths()),
        s.getSketchedAt().toEpochMilli());
  }
}
