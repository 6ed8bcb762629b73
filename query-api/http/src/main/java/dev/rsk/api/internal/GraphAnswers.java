package dev.rsk.api.internal;

import dev.rsk.api.ApiException;
import dev.rsk.api.Json;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.graph.SimilarityFilter;
import dev.rsk.stats.query.IndexedSimilarity;

/** This instance's part of the knowledge-graph answers. */
final class GraphAnswers {

  private final IndexedSimilarity similarity;

  GraphAnswers(final IndexedSimilarity similarity) {
    this.similarity = similarity;
  }

  GraphDtos.IndexedAnswer similar(final GraphDtos.IndexedQuery q) {
    if (q.vector() == null || q.params() == null || q.partitions() == null || q.k() < 1) {
      throw ApiException.badRequest("internal indexed similar query needs vector, params, partitions and k >= 1");
    }
    final SketchSpec spec;
    try {
      spec = Json.spec(q.params());
    } catch (RuntimeException e) {
      throw ApiException.badRequest("invalid sketch params: " + e.getMessage());
    }
    if (q.vector().length < 1 || q.vector().length > spec.d()) {
      throw ApiException.badRequest("vector length " + q.vector().length + " not in [1, d=" + spec.d() + "]");
    }
    final SimilarityFilter filter = new SimilarityFilter(q.fromMs() == null ? Long.MIN_VALUE : q.fromMs(),
        q.toMs() == null ? Long.MAX_VALUE : q.toMs(), q.source(), q.modules());
    final IndexedSimilarity.Result r = similarity.search(q.vector(), spec, q.k(), q.exact(), filter, q.excludeId(),
        q.partitions(), q.stale());
    return new GraphDtos.IndexedAnswer(r.matches(), r.scanned(), r.approximate());
  }
}
