package dev.rsk.stats.query;

import dev.rsk.stats.StoreChanges;
import dev.rsk.stats.model.AttributeStats;
import java.util.Arrays;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The attribute statistics of whole-month pieces ({@link LocalStatsQueries#attributeStatsByLength}: the month rows
 * of one partition and module in [fromMonth, toMonth), merged per attribute length), kept across commits. A
 * year's question merges about 12 month rows per partition, each a compacted KLL sketch per dimension decoded
 * from its image; past months seldom change, so the merged result is kept instead of being rebuilt at every
 * question the answer cache (which forgets at every commit) misses.
 *
 * <p><b>Validity.</b> An entry is served only while {@link StoreChanges#monthStamp} of its partition and months is
 * the one taken before its rows were read. The stamp is kept by the writer, not read from the rows: the commit
 * hook ({@code StatsProcessor}) tells {@link StoreChanges#beginMonthWrite} which month rows it is about to write,
 * before the first put, so
 * <ul>
 *   <li>a late sketch (an old event time) that adds to a month row moves that month's sequence (a re-sketch or a
 *       tombstone does not change month rows: they keep the first version, whose items the fine rows pin);</li>
 *   <li>a month newer than any written in the partition moves its horizon: the only event that moves the monthly
 *       store's stream time and so hides expired months from its reads (retention);</li>
 *   <li>a restore, a discarded transaction (exactly-once: the stores are wiped and restored, so a read of an
 *       uncommitted write that is later aborted is dropped) and a rebalance (the partition moved away, or came
 *       back) move the epoch, which is part of the stamp;</li>
 *   <li>a read that overlaps a write is not kept: the stamp is null while the partition's month rows are being
 *       written, and differs after a write began; {@link #put} keeps a value only if the stamp taken before the
 *       read is non-null and still current;</li>
 *   <li>standby (stale) reads neither use nor fill the cache (the caller's duty): a standby's stores change without
 *       this instance's commit hook.</li>
 * </ul>
 * A stamp read from the stored rows themselves (their counters, without the KLL images) would also see writes,
 * but it costs a store read and a row copy per month and question, and sees nothing of retention; a write sequence
 * costs a map lookup per month. Over-signalling (another module's late sketch in the month, a horizon move)
 * only costs a miss.
 *
 * <p><b>Values</b> are shared: a caller must not mutate them (merge them into statistics of its own). <b>Budget.</b>
 * Estimated heap bytes ({@link #bytesOf}); least recently used dropped first; an entry larger than the budget is not
 * kept; 0: off. Thread-safe (one lock; {@link StoreChanges}' lock is taken inside it, never the other way).
 */
final class MonthStatsCache {

  /** One piece: partition, module, first month start and the end of the last month. */
  record Key(int partition, String module, long fromMonth, long toMonth) {}

  private record Entry(long[] stamp, SortedMap<Integer, AttributeStats> byLength) {}

  private final StoreChanges changes;
  private final BudgetedLru<Key, Entry> entries;

  /** A cache of at most about {@code budgetBytes} (0: off); IllegalArgumentException if negative. */
  MonthStatsCache(final StoreChanges changes, final long budgetBytes) {
    this.changes = changes;
    this.entries = new BudgetedLru<>(budgetBytes);
  }

  /** Whether the cache may keep anything (a budget above 0). */
  boolean on() {
    return entries.budget() > 0;
  }

  /** The stamp to pass to {@link #put}: take it before reading the rows; null while they are being written. */
  long[] stamp(final Key key) {
    return changes.monthStamp(key.partition(), key.fromMonth(), key.toMonth());
  }

  /** The statistics kept for {@code key}, if its month rows are unchanged since they were read; else null. */
  synchronized SortedMap<Integer, AttributeStats> get(final Key key) {
    final Entry e = entries.get(key);
    if (e == null) {
      return null;
    }
    final long[] now = stamp(key);
    if (now == null) {
      return null; // being written: ask the stores
    }
    if (!Arrays.equals(now, e.stamp())) {
      entries.remove(key);
      return null;
    }
    return e.byLength();
  }

  /**
   * Keeps {@code byLength}, read after {@code stamp} was taken, if the stamp is still current; replaces what was
   * kept for the key (or drops it, if over the budget). The caller gives up the values (they are shared).
   */
  synchronized void put(final Key key, final long[] stamp, final SortedMap<Integer, AttributeStats> byLength) {
    if (stamp == null || !Arrays.equals(stamp, stamp(key))) {
      return;
    }
    entries.put(key, new Entry(stamp, Collections.unmodifiableSortedMap(new TreeMap<>(byLength))),
        bytesOf(key, byLength));
  }

  /** Estimated heap bytes kept. */
  synchronized long bytes() {
    return entries.bytes();
  }

  /** Entries kept. */
  synchronized int size() {
    return entries.size();
  }

  /**
   * Heap estimate: the map entry, key and stamp (about 300 bytes), and per statistics about 200 bytes plus, per
   * tracked dimension, its sum and square and its KLL sketch (about 100 bytes and 4 per retained item).
   */
  static long bytesOf(final Key key, final SortedMap<Integer, AttributeStats> byLength) {
    long size = 300L + 2L * key.module().length();
    for (final AttributeStats s : byLength.values()) {
      size += 200;
      for (int i = 0; i < s.trackedDimensions(); i++) {
        size += 116L + 4L * s.quantiles(i).getNumRetained();
      }
    }
    return size;
  }
}
