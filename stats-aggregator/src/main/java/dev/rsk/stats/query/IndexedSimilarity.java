package dev.rsk.stats.query;

import dev.rsk.sketch.SketchSpec;
import dev.rsk.sketch.Sketches;
import dev.rsk.stats.graph.GraphStores;
import dev.rsk.stats.graph.IndexEntry;
import dev.rsk.stats.graph.SimilarityFilter;
import dev.rsk.stats.graph.SimilarityIndex;
import dev.rsk.stats.graph.SimilarityIndexType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Top-k by cosine over this instance's partitions, from the knowledge-graph stores: approximate through
 * each partition's HNSW index ({@link SimilarityIndex}), or exact by scanning the index's entries store
 * (float vectors, no Avro decoding). Only sketches with the query's parameter key are compared. A
 * partition whose index is not rebuilt yet, and every stale (standby) read, is answered by the exact
 * scan, so an answer is never partial; {@link Result#approximate()} is true when any partition used the
 * index. Store iterators are closed.
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
    final String key = IndexEntry.specKey(spec, query.length);
    final List<SimilarMatch> all = new ArrayList<>();
    long scanned = 0;
    boolean approximate = false;
    for (final int p : partitions) {
      Result part = exact || stale ? null : indexed(key, query, k, filter, excludeId, p);
      if (part == null) {
        part = scan(key, query, k, filter, excludeId, p, stale);
      }
      all.addAll(part.matches());
      scanned += part.scanned();
      approximate |= part.approximate();
    }
    return new Result(LocalStatsQueries.topK(all, k), scanned, approximate);
  }

  /** Through the partition's index; null when it is not rebuilt yet. */
  private Result indexed(final String key, final float[] query, final int k, final SimilarityFilter filter,
      final String excludeId, final int p) {
    final Result r = stores.withStore(GraphStores.INDEX, new SimilarityIndexType(), p, false, index -> {
      if (!index.ready()) {
        return null;
      }
      return new Result(index.search(key, query, k, filter, excludeId), index.size(key), true);
    });
    if (r == null || excludeId == null) {
      return r;
    }
    final byte[] own = stores.withStore(GraphStores.ENTRIES,
        QueryableStoreTypes.<String, byte[]>keyValueStore(), p, false, store -> store.get(excludeId));
    final boolean counted = own != null && IndexEntry.decode(own).specKey().equals(key);
    return counted ? new Result(r.matches(), r.scanned() - 1, true) : r;
  }

  private Result scan(final String key, final float[] query, final int k, final SimilarityFilter filter,
      final String excludeId, final int p, final boolean stale) {
    return stores.withStore(GraphStores.ENTRIES, QueryableStoreTypes.<String, byte[]>keyValueStore(), p, stale,
        store -> scanPartition(store, key, query, k, filter, excludeId));
  }

  private static Result scanPartition(final ReadOnlyKeyValueStore<String, byte[]> store, final String key,
      final float[] query, final int k, final SimilarityFilter filter, final String excludeId) {
    final PriorityQueue<SimilarMatch> top = new PriorityQueue<>(Comparator.comparingDouble(SimilarMatch::cosine));
    long n = 0;
    try (KeyValueIterator<String, byte[]> it = store.all()) {
      while (it.hasNext()) {
        final KeyValue<String, byte[]> kv = it.next();
        final IndexEntry e = IndexEntry.decode(kv.value);
        if (kv.key.equals(excludeId) || !e.specKey().equals(key) || (filter != null && !filter.accepts(e))) {
          continue;
        }
        n++;
        final double cos = Sketches.cosine(query, e.vector());
        if (top.size() < k || cos > top.peek().cosine()) {
          top.add(new SimilarMatch(kv.key, cos, e.eventTime(), e.source()));
          if (top.size() > k) {
            top.poll();
          }
        }
      }
    }
    return new Result(new ArrayList<>(top), n, false);
  }

  /**
   * Top matches; {@code scanned}: comparable sketches compared (exact) or held by the searched indexes
   * (approximate), the query's own left out.
   */
  public record Result(List<SimilarMatch> matches, long scanned, boolean approximate) {}
}
