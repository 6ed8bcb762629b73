package dev.rsk.stats.query;

import dev.rsk.stats.RepositoryItems;
import dev.rsk.stats.StatsStores;
import dev.rsk.stats.model.AttributeStats;
import dev.rsk.stats.serde.RepositoryView;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.utils.Bytes;
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
      final List<RepositoryItems.Item> kept = cache.get(key(partition, module, row.getKey(), stats),
          RepositoryItemsCache.Stamp.of(stats));
      if (kept != null) {
        RepositoryItems.addTo(stats, kept);
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
        RepositoryItems.addTo(stats, items);
      });
    }
    rows.values().forEach(AttributeStats::completeItems);
  }

  private static RepositoryItemsCache.Key key(final int partition, final String module, final long bucket,
      final AttributeStats row) {
    return new RepositoryItemsCache.Key(partition, module, bucket, row.attributeLength(), row.trackedDimensions());
  }

  private Map<Long, List<RepositoryItems.Item>> read(final String module,
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
   * For each bucket [start, start + bucket) of {@code rows}: {@link RepositoryItems#read} of the partition, for the
   * row's attribute length and tracked dimensions. Read-only (a retried store read never adds an item twice).
   */
  private Map<Long, List<RepositoryItems.Item>> readItems(final String module,
      final SortedMap<Long, AttributeStats> rows, final int partition, final boolean stale) {
    return stores.withStore(StatsStores.TIME_INDEX, QueryableStoreTypes.<Bytes, byte[]>keyValueStore(), partition,
        stale, index -> stores.withStore(StatsStores.REPOSITORY, QueryableStoreTypes.<String, byte[]>keyValueStore(),
            partition, stale, repository -> {
              final Map<Long, List<RepositoryItems.Item>> out = new HashMap<>();
              rows.forEach((start, row) -> out.put(start, RepositoryItems.read(index, repository, module, start,
                  start + bucketMs, row.attributeLength(), row.trackedDimensions())));
              return out;
            }));
  }
}
