package dev.rsk.api;

import dev.rsk.api.cluster.ScatterGather;
import dev.rsk.api.internal.InternalApi;
import dev.rsk.api.internal.InternalDtos;
import dev.rsk.api.model.SimilarRequest;
import dev.rsk.api.model.SimilarResponse;
import dev.rsk.api.model.StoredSketch;
import dev.rsk.sketch.SketchException;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.query.LocalStatsQueries;
import dev.rsk.stats.query.SimilarMatch;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored sketches nearest (by cosine) to a stored inference or to a given vector: every instance's
 * top k over its partitions, merged into the global top k (an exact scan). Bad requests are 400.
 */
final class SimilarityService {

  private final ScatterGather<InternalApi> cluster;
  private final InferenceService inferences;
  private final ApiLimits limits;

  SimilarityService(final ScatterGather<InternalApi> cluster, final InferenceService inferences,
      final ApiLimits limits) {
    this.cluster = cluster;
    this.inferences = inferences;
    this.limits = limits;
  }

  SimilarResponse similar(final SimilarRequest request) {
    final int k = request.k() == null ? limits.defaultK() : request.k();
    if (k < 1 || k > limits.maxK()) {
      throw ApiException.badRequest("k must be in [1, " + limits.maxK() + "]: " + k);
    }
    final InternalDtos.SimilarQuery base = request.inferenceId() != null ? byId(request, k) : byVector(request, k);
    final ScatterGather.Gathered<InternalDtos.SimilarAnswer> g =
        cluster.gather((instance, partitions, stale) -> instance.similar(new InternalDtos.SimilarQuery(
            base.vector(), base.params(), base.k(), base.excludeId(), List.copyOf(partitions), stale)));
    final List<SimilarMatch> all = new ArrayList<>();
    long scanned = 0;
    for (final InternalDtos.SimilarAnswer a : g.parts()) {
      all.addAll(a.matches());
      scanned += a.scanned();
    }
    final List<SimilarResponse.Match> results = LocalStatsQueries.topK(all, k).stream()
        .map(m -> new SimilarResponse.Match(m.inferenceId(), m.cosine(), Json.instant(m.eventTime()), m.source()))
        .toList();
    return new SimilarResponse(base.excludeId(), k, results, scanned, g.instances(), g.stale());
  }

  /** Near a stored inference, itself excluded. */
  private InternalDtos.SimilarQuery byId(final SimilarRequest request, final int k) {
    if (request.vector() != null) {
      throw ApiException.badRequest("give either inferenceId or vector with params, not both");
    }
    final StoredSketch s = inferences.fetchSketch(request.inferenceId()).value();
    return new InternalDtos.SimilarQuery(s.vector(), Json.params(Json.spec(s.params())), k, request.inferenceId(),
        List.of(), false);
  }

  /** Near a given vector, validated against its params. */
  private static InternalDtos.SimilarQuery byVector(final SimilarRequest request, final int k) {
    if (request.vector() == null || request.params() == null) {
      throw ApiException.badRequest("body needs inferenceId, or vector and params");
    }
    final SketchSpec spec;
    try {
      spec = Json.spec(request.params());
    } catch (SketchException | IllegalArgumentException e) {
      throw ApiException.badRequest("invalid params: " + e.getMessage());
    }
    final float[] vector = request.vector();
    if (vector.length < 1 || vector.length > spec.d()) {
      throw ApiException.badRequest("vector length " + vector.length + " not in [1, d=" + spec.d() + "]");
    }
    for (final float f : vector) {
      if (!Float.isFinite(f)) {
        throw ApiException.badRequest("vector has a non-finite value");
      }
    }
    return new InternalDtos.SimilarQuery(vector, Json.params(spec), k, null, List.of(), false);
  }
}
