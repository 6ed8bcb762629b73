package dev.rsk.stats.query;

import dev.rsk.stats.StatsStores;
import dev.rsk.stats.TimeIndex;
import dev.rsk.stats.model.AttributeStats;
import dev.rsk.stats.serde.RepositoryView;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;

/**
 * Completes fine attribute-statistics rows that keep their KLL items in the repository ({@link
 * AttributeStats#repositoryItems()}): each row gets the items of the repository records of its bucket, from
 * {@link RepositoryItemsCache} when it holds them for the row as it is now, else read from the partition's time
 * index and repository (then kept, unless the read was of a standby).
 *
 * <p>Cost of a read: per row, one time-index range scan and one repository point read (a record of about 1 KB at
 * d = 1024) per inference indexed in the bucket, whatever its modules; the sums are read in place ({@link
 * RepositoryView}), the int8 vector never. At most one thread per core reads at once; another waits at most the
 * store wait, then gets {@link StoreUnavailableException} (a 503).
 */
final class FineRowItems {

  private final LocalStatsQueries stores;
  private final Duration storeWait;
  private final long bucketMs;
  private final RepositoryItemsCache cache;
  /**
   * Bounds the threads reading repository items at once: each of their thousands of point reads goes through
   * Kafka Streams' store lookup, which takes a lock the stream threads' state updater also takes; 200 concurrent
   * scans convoyed on it and stalled for minutes (./rsk bench-api, cache off, before the items were cached).
   */
  private final Semaphore readers;

  FineRowItems(final LocalStatsQueries stores, final Duration storeWait, final long bucketMs,
      final RepositoryItemsCache cache, final int readers) {
    this.stores = stores;
    this.storeWait = storeWait;
    this.bucketMs = bucketMs;
    this.cache = cache;
    this.readers = new Semaphore(readers, true);
  }

  /** The epoch to pass to {@link #complete}: read it before reading the rows. */
  long epoch() {
    return cache.epoch();
  }

  /**
   * Adds to each row of {@code rows} (by bucket start, read from partition {@code partition} of {@code module} after
   * {@code epoch} was read) its repository items and marks it complete.
   *
   * @throws StoreUnavailableException when the stores or a reader slot stay unavailable for the store wait
   * @throws org.apache.kafka.common.errors.SerializationException on a corrupt repository record
   */
  void complete(final String module, final SortedMap<Long, AttributeStats> rows, final int partition,
      final boolean stale, final long epoch) {
    final SortedMap<Long, AttributeStats> toRead = new TreeMap<>();
    for (final Map.Entry<Long, AttributeStats> row : rows.entrySet()) {
      final AttributeStats stats = row.getValue();
      if (stats.trackedDimensions() == 0) {
        continue; // no KLL sketch to fill
      }
      final List<RepositoryItemsCache.Item> kept = cache.get(key(partition, module, row.getKey(), stats),
          RepositoryItemsCache.Stamp.of(stats));
      if (kept != null) {
        add(stats, kept);
      } else {
        toRead.put(row.getKey(), stats);
      }
    }
    if (!toRead.isEmpty()) {
      read(module, toRead, partition, stale).forEach((bucket, items) -> {
        final AttributeStats stats = toRead.get(bucket);
        if (!stale) { // the stamp before the items are added: the row as read
          cache.put(key(partition, module, bucket, stats), epoch, RepositoryItemsCache.Stamp.of(stats), items);
        }
        add(stats, items);
      });
    }
    rows.values().forEach(AttributeStats::completeItems);
  }

  private static RepositoryItemsCache.Key key(final int partition, final String module, final long bucket,
      final AttributeStats row) {
    return new RepositoryItemsCache.Key(partition, module, bucket, row.attributeLength(), row.trackedDimensions());
  }

  private static void add(final AttributeStats row, final List<RepositoryItemsCache.Item> items) {
    for (final RepositoryItemsCache.Item item : items) {
      row.addRepositoryObservation(item.count(), item.sums());
    }
  }

  private Map<Long, List<RepositoryItemsCache.Item>> read(final String module,
      final SortedMap<Long, AttributeStats> rows, final int partition, final boolean stale) {
    try {
      if (!readers.tryAcquire(storeWait.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new StoreUnavailableException(StatsStores.REPOSITORY, partition,
            new IllegalStateException("every repository reader stayed busy for " + storeWait));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException(StatsStores.REPOSITORY, partition, e);
    }
    try {
      return readItems(module, rows, partition, stale);
    } finally {
      readers.release();
    }
  }

  /**
   * For each bucket [start, start + bucket) of {@code rows}: the records of the partition indexed in it that are not
   * {@link RepositoryView#statsPinned()}, have objects of the module with the row's attribute length and exact sums,
   * as their object count and the sums of the row's tracked dimensions. Read-only (a retried store read never adds
   * an item twice); iterators closed. A time-index entry whose record is gone or has another event time (a record
   * re-sketched or deleted meanwhile) is skipped.
   */
  private Map<Long, List<RepositoryItemsCache.Item>> readItems(final String module,
      final SortedMap<Long, AttributeStats> rows, final int partition, final boolean stale) {
    final byte[] name = module.getBytes(StandardCharsets.UTF_8);
    return stores.withStore(StatsStores.TIME_INDEX, QueryableStoreTypes.<Bytes, byte[]>keyValueStore(), partition,
        stale, index -> stores.withStore(StatsStores.REPOSITORY, QueryableStoreTypes.<String, byte[]>keyValueStore(),
            partition, stale, repository -> {
              final Map<Long, List<RepositoryItemsCache.Item>> out = new HashMap<>();
              final RepositoryView view = new RepositoryView();
              for (final Map.Entry<Long, AttributeStats> row : rows.entrySet()) {
                final long start = row.getKey();
                final int length = row.getValue().attributeLength();
                final int tracked = row.getValue().trackedDimensions();
                final List<RepositoryItemsCache.Item> items = new ArrayList<>();
                // lowerBound(end) sorts before every key of time end: the inclusive range end is exclusive in time
                try (KeyValueIterator<Bytes, byte[]> it =
                    index.range(TimeIndex.lowerBound(start), TimeIndex.lowerBound(start + bucketMs))) {
                  while (it.hasNext()) {
                    final Bytes key = it.next().key;
                    final byte[] bytes = repository.get(TimeIndex.inferenceId(key));
                    if (bytes == null) {
                      continue;
                    }
                    view.reset(bytes);
                    final int count = view.count(name);
                    if (view.eventTime() != TimeIndex.eventTime(key) || view.statsPinned() || count <= 0
                        || view.attributeLength(name) != length || Double.isNaN(view.attributeSum(name, 0))) {
                      continue;
                    }
                    final double[] sums = new double[tracked];
                    for (int i = 0; i < tracked; i++) {
                      sums[i] = view.attributeSum(name, i);
                    }
                    items.add(new RepositoryItemsCache.Item(count, sums));
                  }
                }
                out.put(start, items);
              }
              return out;
            }));
  }
}
