package dev.rsk.stats.query;

import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.StatsStores;
import dev.rsk.stats.graph.GraphStores;
import dev.rsk.stats.graph.SimilarityFilter;
import dev.rsk.stats.graph.SimilarityIndex;
import dev.rsk.stats.graph.SimilarityIndexType;
import dev.rsk.stats.graph.SimilarityRanking;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.streams.state.QueryableStoreTypes;

/**
 * Top-k by cosine over this instance's partitions, from {@code sketch-repository}: approximate, where each
 * partition's {@link SimilarityIndex} proposes candidates that are re-ranked exactly against the stored
 * vectors, or exact, by scanning the repository ({@link SimilarityRanking} holds both rules). A partition whose index
 * is not ready (rebuilding, disabled) and every stale (standby) read is answered by the scan, so an answer is never
 * partial; {@link Result#approximate()} is true when any partition used the index. Store iterators are closed.
 */
public final class IndexedSimilarity {

  private final LocalStatsQueries stores;

  public IndexedSimilarity(final LocalStatsQueries stores) {
    this.stores = stores;
  }

  /**
   * The top {@code k} (best first) over {@code partitions}.
   *
   * @param exact scan every comparable sketch instead of searching the index
   * @param excludeId an inference left out of the results (the query's own), or null
   */
  public Result search(final float[] query, final SketchSpec spec, final int k, final boolean exact,
      final SimilarityFilter filter, final String excludeId, final Collection<Integer> partitions,
      final boolean stale) {
    final SimilarityRanking ranking = new SimilarityRanking(query, spec, k, filter, excludeId);
    final List<SimilarMatch> all = new ArrayList<>();
    long scanned = 0;
    boolean approximate = false;
    for (final int p : partitions) {
      Result part = exact || stale ? null : indexed(ranking, p);
      if (part == null) {
        part = stores.withStore(StatsStores.REPOSITORY, QueryableStoreTypes.<String, byte[]>keyValueStore(), p,
            stale, repository -> result(ranking.scan(repository)));
      }
      all.addAll(part.matches());
      scanned += part.scanned();
      approximate |= part.approximate();
    }
    return new Result(LocalStatsQueries.topK(all, k), scanned, approximate);
  }

  /** Through the partition's index; null when it is not ready. */
  private Result indexed(final SimilarityRanking ranking, final int p) {
    final SimilarityIndex.Candidates c = stores.withStore(GraphStores.INDEX, new SimilarityIndexType(), p, false,
        ranking::candidates);
    if (c == null) {
      return null;
    }
    return stores.withStore(StatsStores.REPOSITORY, QueryableStoreTypes.<String, byte[]>keyValueStore(), p, false,
        repository -> result(ranking.rerank(repository, c)));
  }

  private static Result result(final SimilarityRanking.Ranked r) {
    return new Result(r.matches(), r.scanned(), r.approximate());
  }

  /**
   * Top matches; {@code scanned}: comparable sketches compared (exact) or held by the searched indexes
   * (approximate, about: a sketch re-indexed meanwhile may count twice), the query's own left out.
   */
  public record Result(List<SimilarMatch> matches, long scanned, boolean approximate) {}
}
