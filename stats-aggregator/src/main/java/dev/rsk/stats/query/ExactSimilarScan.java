package dev.rsk.stats.query;

import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.sketch.Sketches;
import dev.rsk.stats.StatsStores;
import dev.rsk.stats.model.RepositoryRecord;
import dev.rsk.stats.serde.RepositoryCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;

/** The exact similarity scan of {@link LocalStatsQueries#similar}: every stored sketch of the partitions, read once. */
final class ExactSimilarScan {

  private ExactSimilarScan() {}

  static LocalStatsQueries.SimilarResult similar(final StoreReads stores, final Sketch query, final int k,
      final String excludeId, final Collection<Integer> partitions, final boolean stale) {
    final SketchSpec spec = query.spec();
    final float[] q = query.vector();
    final List<SimilarMatch> all = new ArrayList<>();
    long scanned = 0;
    for (final int p : partitions) {
      final LocalStatsQueries.SimilarResult part = stores.read(StatsStores.REPOSITORY,
          QueryableStoreTypes.<String, byte[]>keyValueStore(), p, stale, store -> {
            final PriorityQueue<SimilarMatch> top =
                new PriorityQueue<>(Comparator.comparingDouble(SimilarMatch::cosine));
            long n = 0;
            try (KeyValueIterator<String, byte[]> it = store.all()) {
              while (it.hasNext()) {
                final KeyValue<String, byte[]> kv = it.next();
                if (kv.key.equals(excludeId)) {
                  continue;
                }
                final Sketch s = RepositoryCodec.sketch(kv.value);
                if (!s.spec().equals(spec) || s.length() > q.length) {
                  continue;
                }
                n++;
                final double cos = Sketches.cosine(
                    s.length() == q.length ? q : Arrays.copyOf(q, s.length()), s.vector());
                if (top.size() < k || cos > top.peek().cosine()) {
                  final RepositoryRecord r = RepositoryCodec.decode(kv.value);
                  top.add(new SimilarMatch(kv.key, cos, r.eventTime(), r.source()));
                  if (top.size() > k) {
                    top.poll();
                  }
                }
              }
            }
            return new LocalStatsQueries.SimilarResult(new ArrayList<>(top), n);
          });
      all.addAll(part.matches());
      scanned += part.scanned();
    }
    return new LocalStatsQueries.SimilarResult(LocalStatsQueries.topK(all, k), scanned);
  }
}
