package dev.rsk.stats.query;

import dev.rsk.sketch.DecoderCache;
import dev.rsk.stats.StatsStores;
import dev.rsk.stats.TimeIndex;
import dev.rsk.stats.model.NetworkEntry;
import dev.rsk.stats.query.lang.QueryAccumulator;
import dev.rsk.stats.query.lang.QueryPartial;
import dev.rsk.stats.query.lang.QueryPlan;
import dev.rsk.stats.query.lang.Slots;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * A memory query's scan of this instance's partitions: the time index over [from, to), then each
 * inference's stored record (read by id, or, when the range holds a good part of the partition, by one
 * sequential pass over the repository that keeps the records in range), adapted to the query engine's
 * {@code QueryRecord}. This is the only class that knows the repository's storage form for queries; pointing queries at
 * another form means another adapter here. Every partition is scanned into its own partial (a retried read never double
 * counts); partials are merged. Partitions are scanned in parallel on the executor given (a year of 43,800 inferences
 * in 4 partitions is a few hundred ms of CPU; on 2 cores two partitions at a time halve the wait). The scan
 * stops at {@code deadlineNanos} (System.nanoTime), marking the partial over budget. Iterators are closed.
 */
public final class RepositoryScan {

  private static final int DEADLINE_CHECK_EVERY = 256;
  /**
   * A range holding at least 1/{@value} of the partition's stored inferences is read by one pass over the
   * repository instead of a point read per id of the time index.
   */
  private static final int WIDE_FRACTION = 4;

  private final LocalStatsQueries stores;
  private final DecoderCache decoders;
  private final Executor executor;

  /** A scan of one partition after the other, on the caller's thread. */
  public RepositoryScan(final LocalStatsQueries stores, final DecoderCache decoders) {
    this(stores, decoders, Runnable::run);
  }

  /** A scan whose partitions run as tasks of {@code executor} (the caller waits for all of them). */
  public RepositoryScan(final LocalStatsQueries stores, final DecoderCache decoders, final Executor executor) {
    this.stores = stores;
    this.decoders = decoders;
    this.executor = executor;
  }

  /** The partial answer of {@code partitions}; {@link StoreUnavailableException} when one cannot be read. */
  public QueryPartial scan(final QueryPlan plan, final Collection<Integer> partitions, final boolean stale,
      final long deadlineNanos) {
    final Slots slots = slots(stores.network(partitions, stale).values());
    final List<CompletableFuture<QueryPartial>> parts = new ArrayList<>(partitions.size());
    for (final int p : partitions) {
      parts.add(CompletableFuture.supplyAsync(() -> stores.withStore(StatsStores.TIME_INDEX,
          QueryableStoreTypes.<Bytes, byte[]>keyValueStore(), p, stale, index -> stores.withStore(
              StatsStores.REPOSITORY, QueryableStoreTypes.<String, byte[]>keyValueStore(), p, stale,
              repository -> partition(plan, slots, index, repository, deadlineNanos))), executor));
    }
    QueryPartial out = QueryPartial.empty(plan);
    for (final CompletableFuture<QueryPartial> part : parts) {
      out = out.merge(join(part));
    }
    return out;
  }

  /** The partition's partial; a failure of its task is rethrown as it was thrown (e.g. store unavailable). */
  private static QueryPartial join(final CompletableFuture<QueryPartial> part) {
    try {
      return part.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }

  /**
   * The slots decoded paths try, and the depths of each module: those of the network learned on these
   * partitions, which holds every edge of every record scanned here that reported its structure.
   */
  public static Slots slots(final Collection<NetworkEntry> network) {
    final Slots.Builder b = new Slots.Builder();
    for (final NetworkEntry e : network) {
      e.inputs().forEach((slot, inputs) -> inputs.keySet().forEach(input -> b.add(e.module(), slot, input)));
      e.depths().forEach((depth, objects) -> b.depth(e.module(), depth, objects));
    }
    return b.build();
  }

  private QueryPartial partition(final QueryPlan plan, final Slots slots,
      final ReadOnlyKeyValueStore<Bytes, byte[]> index, final ReadOnlyKeyValueStore<String, byte[]> repository,
      final long deadlineNanos) {
    final QueryAccumulator acc = new QueryAccumulator(plan, decoders, slots);
    final StoredQueryRecord record = new StoredQueryRecord();
    final long stored = repository.approximateNumEntries();
    final List<String> ids = new ArrayList<>();
    boolean wide = false;
    // lowerBound(to) sorts before every key of time `to`, so the inclusive range end is exclusive in time
    try (KeyValueIterator<Bytes, byte[]> it =
        index.range(TimeIndex.lowerBound(plan.fromMs()), TimeIndex.lowerBound(plan.toMs()))) {
      while (it.hasNext()) {
        ids.add(TimeIndex.inferenceId(it.next().key));
        if (stored > 0 && ids.size() * WIDE_FRACTION >= stored) {
          wide = true;
          break;
        }
      }
    }
    long n = 0;
    if (wide) {
      // a wide range: one sequential pass over the repository, keeping the records in range, costs less
      // than a point read per indexed id (RocksDB reads a block per get, an iterator streams them)
      try (KeyValueIterator<String, byte[]> it = repository.all()) {
        while (it.hasNext()) {
          final KeyValue<String, byte[]> kv = it.next();
          final long t = record.reset(kv.key, kv.value).eventTime();
          if (t >= plan.fromMs() && t < plan.toMs()) {
            acc.add(record);
          }
          if (++n % DEADLINE_CHECK_EVERY == 0 && System.nanoTime() > deadlineNanos) {
            acc.overBudget();
            break;
          }
        }
      }
      return acc.partial();
    }
    for (final String id : ids) {
      final byte[] bytes = repository.get(id);
      if (bytes != null) {
        acc.add(record.reset(id, bytes));
      }
      if (++n % DEADLINE_CHECK_EVERY == 0 && System.nanoTime() > deadlineNanos) {
        acc.overBudget();
        break;
      }
    }
    return acc.partial();
  }
}
