package dev.rsk.stats.query;

import dev.rsk.sketch.DecoderCache;
import dev.rsk.stats.StatsStores;
import dev.rsk.stats.TimeIndex;
import dev.rsk.stats.query.lang.QueryAccumulator;
import dev.rsk.stats.query.lang.QueryPartial;
import dev.rsk.stats.query.lang.QueryPlan;
import java.util.Collection;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * A memory query's scan of this instance's partitions: the time index over [from, to), then each
 * inference's stored record, adapted to the query engine's {@code QueryRecord}. This is the only class
 * that knows the repository's storage form for queries; pointing queries at another form means another
 * adapter here. Every partition is scanned into its own partial (a retried read never double counts);
 * partials are merged. The scan stops at {@code deadlineNanos} (System.nanoTime), marking the partial
 * over budget. Iterators are closed.
 */
public final class RepositoryScan {

  private static final int DEADLINE_CHECK_EVERY = 256;

  private final LocalStatsQueries stores;
  private final DecoderCache decoders;

  public RepositoryScan(final LocalStatsQueries stores, final DecoderCache decoders) {
    this.stores = stores;
    this.decoders = decoders;
  }

  /** The partial answer of {@code partitions}; {@link StoreUnavailableException} when one cannot be read. */
  public QueryPartial scan(final QueryPlan plan, final Collection<Integer> partitions, final boolean stale,
      final long deadlineNanos) {
    QueryPartial out = QueryPartial.empty(plan);
    for (final int p : partitions) {
      out = out.merge(stores.withStore(StatsStores.TIME_INDEX, QueryableStoreTypes.<Bytes, byte[]>keyValueStore(),
          p, stale, index -> stores.withStore(StatsStores.REPOSITORY,
              QueryableStoreTypes.<String, byte[]>keyValueStore(), p, stale,
              repository -> partition(plan, index, repository, deadlineNanos))));
      if (out.overBudget()) {
        break;
      }
    }
    return out;
  }

  private QueryPartial partition(final QueryPlan plan, final ReadOnlyKeyValueStore<Bytes, byte[]> index,
      final ReadOnlyKeyValueStore<String, byte[]> repository, final long deadlineNanos) {
    final QueryAccumulator acc = new QueryAccumulator(plan, decoders);
    final StoredQueryRecord record = new StoredQueryRecord();
    long n = 0;
    // lowerBound(to) sorts before every key of time `to`, so the inclusive range end is exclusive in time
    try (KeyValueIterator<Bytes, byte[]> it =
        index.range(TimeIndex.lowerBound(plan.fromMs()), TimeIndex.lowerBound(plan.toMs()))) {
      while (it.hasNext()) {
        final KeyValue<Bytes, byte[]> kv = it.next();
        final String id = TimeIndex.inferenceId(kv.key);
        final byte[] stored = repository.get(id);
        if (stored != null) {
          acc.add(record.reset(id, stored));
        }
        if (++n % DEADLINE_CHECK_EVERY == 0 && System.nanoTime() > deadlineNanos) {
          acc.overBudget();
          break;
        }
      }
    }
    return acc.partial();
  }
}
