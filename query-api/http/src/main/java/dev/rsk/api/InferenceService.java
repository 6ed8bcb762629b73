package dev.rsk.api;

import dev.rsk.api.cluster.ScatterGather;
import dev.rsk.api.internal.InternalApi;
import dev.rsk.api.model.InferenceResponse;
import dev.rsk.api.model.StoredSketch;
import dev.rsk.sketch.Sketch;

/**
 * One stored inference, from the instance owning its key (or a standby, marked stale), decoded by
 * {@link SketchReader} (modules, counts, mean attributes and structure, each estimate with its standard error).
 */
final class InferenceService {

  private final ScatterGather<InternalApi> cluster;
  private final SketchReader reader;

  InferenceService(final ScatterGather<InternalApi> cluster, final SketchReader reader) {
    this.cluster = cluster;
    this.reader = reader;
  }

  /** The stored sketch of {@code inferenceId} and the instance it came from; 404 if unknown. */
  ScatterGather.Located<StoredSketch> fetchSketch(final String inferenceId) {
    final ScatterGather.Located<StoredSketch> found =
        cluster.lookup(inferenceId, (instance, partition, stale) -> instance.sketch(inferenceId, partition, stale));
    if (found.value() == null) {
      throw ApiException.notFound("no stored inference with id '" + inferenceId + "'");
    }
    return found;
  }

  InferenceResponse inference(final String inferenceId) {
    final ScatterGather.Located<StoredSketch> f = fetchSketch(inferenceId);
    final StoredSketch s = f.value();
    final SketchReader.Reading r = reader.read(new Sketch(Json.spec(s.params()), s.vector()));
    return new InferenceResponse(s.inferenceId(), s.source(), Json.instant(s.eventTime()), s.complete(), s.params(),
        s.vector(), r.modules(), r.threshold(), r.presenceStdError(), r.structure(), r.structureFrom(), r.decoded(),
        new InferenceResponse.Recorded(s.objectCount(), s.moduleCounts(), s.missingInputs()), f.instance(),
        f.stale() || r.stale());
  }
}
