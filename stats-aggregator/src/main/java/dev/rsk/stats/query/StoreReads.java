package dev.rsk.stats.query;

import dev.rsk.stats.StoreChanges;
import java.time.Duration;
import java.util.function.Function;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreType;

/**
 * Opens one partition's store of this instance for one read, waiting at most the store wait for a partition that is
 * migrating or restoring (retried every 50 ms), then throwing {@link StoreUnavailableException}. With {@code stale}
 * true, standby and restoring copies are read too. The read itself must close what it opens. Each read is noted
 * before and after ({@link dev.rsk.stats.PartitionReads#noteRead}), so that a read open on the calling thread knows
 * whether its partitions were written meanwhile; a read of a partition whose commit is writing its aggregates waits
 * for the write's end first (at most {@link #WRITE_WAIT}), rather than read half a commit and be read again.
 */
final class StoreReads {

  private static final long RETRY_SLEEP_MS = 50;
  /** The longest a read waits for a commit's write of its partition to end before it reads anyway. */
  static final Duration WRITE_WAIT = Duration.ofMillis(100);

  private final StoreProvider stores;
  private final Duration storeWait;
  private final StoreChanges changes;

  StoreReads(final StoreProvider stores, final Duration storeWait, final StoreChanges changes) {
    this.stores = stores;
    this.storeWait = storeWait;
    this.changes = changes;
  }

  /**
   * {@code query} applied to store {@code name} of {@code partition}.
   *
   * @throws StoreUnavailableException when the store stays unavailable for the store wait, or the wait is interrupted
   */
  <T, R> R read(final String name, final QueryableStoreType<T> type, final int partition, final boolean stale,
      final Function<T, R> query) {
    final long deadline = System.nanoTime() + storeWait.toNanos();
    StoreQueryParameters<T> params = StoreQueryParameters.fromNameAndType(name, type).withPartition(partition);
    if (stale) {
      params = params.enableStaleStores();
    }
    while (true) {
      try {
        changes.reads().awaitWrite(partition, WRITE_WAIT);
        changes.reads().noteRead(partition);
        final R result = query.apply(stores.store(params));
        changes.reads().noteRead(partition);
        return result;
      } catch (InvalidStateStoreException e) {
        if (System.nanoTime() >= deadline) {
          throw new StoreUnavailableException(name, partition, e);
        }
        try {
          Thread.sleep(RETRY_SLEEP_MS);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new StoreUnavailableException(name, partition, ie);
        }
      }
    }
  }
}
