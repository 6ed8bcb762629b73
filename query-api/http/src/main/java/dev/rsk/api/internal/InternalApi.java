package dev.rsk.api.internal;

import dev.rsk.api.model.StoredSketch;
import dev.rsk.stats.query.lang.QueryPartial;
import java.util.Collection;

/**
 * What one instance answers about some of its partitions (the {@code /internal/v1} questions), either
 * locally ({@link LocalAnswers}) or over HTTP ({@link InternalClient#at}). {@code stale} means the
 * partitions are standby copies.
 */
public interface InternalApi {

  /** The catalogue entries of these partitions. */
  InternalDtos.Catalogue catalogue(Collection<Integer> partitions, boolean stale);

  /** The network store's entries of these partitions, merged per module. */
  InternalDtos.Network network(Collection<Integer> partitions, boolean stale);

  /** Hourly counts of {@code module} over [from, to) ms. */
  InternalDtos.Hourly hourly(String module, long from, long to, Collection<Integer> partitions, boolean stale);

  /** Counts and sums over [from, to) ms, attribute statistics over [statsFrom, statsTo) ms. */
  InternalDtos.ModuleStats stats(String module, long from, long to, long statsFrom, long statsTo,
      Collection<Integer> partitions, boolean stale);

  /**
   * The stored sketch of {@code inferenceId} in {@code partition}: null if there is none here; another
   * instance that has none answers 404, thrown as {@code ClusterException} of kind NOT_FOUND.
   */
  StoredSketch sketch(String inferenceId, int partition, boolean stale);

  /** The k nearest stored sketches in the query's partitions. */
  InternalDtos.SimilarAnswer similar(InternalDtos.SimilarQuery query);

  /** The k nearest stored sketches through the partitions' HNSW indexes (or exact), filtered. */
  default GraphDtos.IndexedAnswer similarIndexed(GraphDtos.IndexedQuery query) {
    throw new UnsupportedOperationException("indexed similarity is not answered by " + getClass().getSimpleName());
  }

  /** A memory query's partial answer over the query's partitions. */
  default QueryPartial query(InternalDtos.QueryAsk ask) {
    throw new UnsupportedOperationException("memory queries are not answered by " + getClass().getSimpleName());
  }
}
