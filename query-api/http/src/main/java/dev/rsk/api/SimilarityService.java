package dev.rsk.api;

import dev.rsk.api.cluster.ScatterGather;
import dev.rsk.api.internal.GraphDtos;
import dev.rsk.api.internal.InternalApi;
import dev.rsk.api.model.SimilarRequest;
import dev.rsk.api.model.SimilarResponse;
import dev.rsk.api.model.SketchParamsJson;
import dev.rsk.api.model.StoredSketch;
import dev.rsk.sketch.SketchException;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.query.LocalStatsQueries;
import dev.rsk.stats.query.SimilarMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The stored sketches nearest (by cosine) to a stored inference or to a given vector: every instance's
 * top k over its partitions, through each partition's HNSW index (approximate, the default) or by an
 * exact scan, merged into the global top k. Filters: event-time range, source, modules present. Bad
 * requests are 400.
 */
final class SimilarityService {

  /** Most modules a filter may require. */
  static final int MAX_FILTER_MODULES = 16;

  private final ScatterGather<InternalApi> cluster;
  private final InferenceService inferences;
  private final CatalogueService catalogue;
  private final ApiLimits limits;

  /** @param catalogue the modules seen, which a {@code modules} filter may name */
  SimilarityService(final ScatterGather<InternalApi> cluster, final InferenceService inferences,
      final CatalogueService catalogue, final ApiLimits limits) {
    this.cluster = cluster;
    this.inferences = inferences;
    this.catalogue = catalogue;
    this.limits = limits;
  }

  SimilarResponse similar(final SimilarRequest request) {
    final int k = k(request.k());
    final Filter f = filter(request);
    final boolean exact = Boolean.TRUE.equals(request.exact());
    if (request.inferenceId() != null) {
      if (request.vector() != null) {
        throw ApiException.badRequest("give either inferenceId or vector with params, not both");
      }
      final StoredSketch s = inferences.fetchSketch(request.inferenceId()).value();
      seen(f.modules());
      return search(s.vector(), Json.params(Json.spec(s.params())), k, request.inferenceId(), exact, f);
    }
    final float[] vector = vector(request);
    seen(f.modules());
    return search(vector, Json.params(spec(request.params())), k, null, exact, f);
  }

  /**
   * 400 for a {@code modules} filter naming a module no partition has seen, as {@code POST /v1/query} does: a typo
   * would otherwise find nothing, with a 200. Asks every instance's catalogue, only when the filter is given.
   */
  private void seen(final List<String> modules) {
    if (modules.isEmpty()) {
      return;
    }
    final Set<String> seen = catalogue.attributeLengths().keySet();
    for (final String m : modules) {
      if (!seen.contains(m)) {
        throw ApiException.badRequest("unknown module '" + m + "' in modules (never seen; GET /v1/modules lists "
            + "them)");
      }
    }
  }

  int k(final Integer requested) {
    final int k = requested == null ? limits.defaultK() : requested;
    if (k < 1 || k > limits.maxK()) {
      throw ApiException.badRequest("k must be in [1, " + limits.maxK() + "]: " + k);
    }
    return k;
  }

  /** The gathered top k near {@code vector}. */
  SimilarResponse search(final float[] vector, final SketchParamsJson params, final int k, final String excludeId,
      final boolean exact, final Filter f) {
    final ScatterGather.Gathered<GraphDtos.IndexedAnswer> g =
        cluster.gather((instance, partitions, stale) -> instance.similarIndexed(new GraphDtos.IndexedQuery(
            vector, params, k, excludeId, exact, f.fromMs(), f.toMs(), f.source(), f.modules(),
            List.copyOf(partitions), stale)));
    final List<SimilarMatch> all = new ArrayList<>();
    long scanned = 0;
    boolean approximate = false;
    for (final GraphDtos.IndexedAnswer a : g.parts()) {
      all.addAll(a.matches());
      scanned += a.scanned();
      approximate |= a.approximate();
    }
    final List<SimilarResponse.Match> results = LocalStatsQueries.topK(all, k).stream()
        .map(m -> new SimilarResponse.Match(m.inferenceId(), m.cosine(), Json.instant(m.eventTime()), m.source()))
        .toList();
    return new SimilarResponse(excludeId, k, results, scanned, g.instances(), g.stale(), approximate);
  }

  /** Filters of a similarity search; null bounds and source mean none. */
  record Filter(Long fromMs, Long toMs, String source, List<String> modules) {
    static final Filter NONE = new Filter(null, null, null, List.of());
  }

  private static Filter filter(final SimilarRequest r) {
    final Long from = r.from() == null ? null : Params.instant("from", r.from());
    final Long to = r.to() == null ? null : Params.instant("to", r.to());
    if (from != null && to != null && from >= to) {
      throw ApiException.badRequest("'from' must be before 'to'");
    }
    final List<String> modules = r.modules() == null ? List.of() : r.modules();
    if (modules.size() > MAX_FILTER_MODULES || modules.stream().anyMatch(m -> m == null || m.isBlank())) {
      throw ApiException.badRequest("modules must be at most " + MAX_FILTER_MODULES + " non-blank names");
    }
    return new Filter(from, to, r.source(), List.copyOf(modules));
  }

  private static SketchSpec spec(final SketchParamsJson params) {
    if (params == null) {
      throw ApiException.badRequest("body needs inferenceId, or vector and params");
    }
    try {
      return Json.spec(params);
    } catch (SketchException | IllegalArgumentException e) {
      throw ApiException.badRequest("invalid params: " + e.getMessage());
    }
  }

  /** The request's vector, validated against its params. */
  private static float[] vector(final SimilarRequest request) {
    if (request.vector() == null || request.params() == null) {
      throw ApiException.badRequest("body needs inferenceId, or vector and params");
    }
    final SketchSpec spec = spec(request.params());
    final float[] vector = request.vector();
    if (vector.length < 1 || vector.length > spec.d()) {
      throw ApiException.badRequest("vector length " + vector.length + " not in [1, d=" + spec.d() + "]");
    }
    for (final float f : vector) {
      if (!Float.isFinite(f)) {
        throw ApiException.badRequest("vector has a non-finite value");
      }
    }
    return vector;
  }
}
