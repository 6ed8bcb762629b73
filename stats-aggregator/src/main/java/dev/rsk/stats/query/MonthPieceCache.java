package dev.rsk.stats.query;

import dev.rsk.stats.Rollups;
import dev.rsk.stats.StatsStores;
import dev.rsk.stats.StoreChanges;
import dev.rsk.stats.model.AttributeStats;
import dev.rsk.stats.model.SketchSum;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * What whole-month pieces of one partition and module answer, kept across commits: the attribute statistics of
 * the month rows in [fromMonth, toMonth) merged per attribute length ({@link #stats}, for {@link
 * LocalStatsQueries#attributeStatsByLength}: a year's question otherwise decodes and merges about 12 compacted KLL
 * sketches per dimension and partition), or a month's hourly counts ({@link #counts}, for {@link
 * LocalStatsQueries#hourlyCounts}: otherwise about 31 daily rows per store, decoded and spread over the hours). Past
 * months seldom change, so they are not rebuilt at every question the answer cache (which forgets at every commit)
 * misses. The prefix caches ({@link #statsPrefix}, {@link #countsPrefix}, {@link #sumsPrefix}) keep, the same way,
 * what a question's range holds before its newest part ({@link Rollups#newestPartStart}: its last UTC day, or its
 * last month when that is whole), per partition, stamped per day ({@link StoreChanges#dayStamp}): while sketches
 * arrive (in the newest part) a question then reads only that part's rows and merges one kept piece per partition;
 * a new day moves the stores' horizons and so rebuilds them once.
 *
 * <p><b>Validity.</b> An entry is served only while {@link StoreChanges#monthStamp} of its stores, partition and
 * months is the one taken before its rows were read. The stamp is kept by the writer, not read from the rows: the
 * commit hook ({@code StatsProcessor}) tells {@link StoreChanges#beginMonthWrite} which rows of each store it is
 * about to write, before the first put, so
 * <ul>
 *   <li>a late sketch (an old event time) moves the sequence of its month (a re-sketch or a tombstone retracts
 *       counts from the first version's hour, which moves that month too; it does not change month statistics
 *       rows, which keep the first version, whose items the fine rows pin);</li>
 *   <li>a window newer than any written in the store partition moves its horizon: the only event that moves the
 *       store's stream time and so hides expired rows from its reads (retention);</li>
 *   <li>a restore, a discarded transaction (exactly-once: the stores are wiped and restored, so a read of an
 *       uncommitted write that is later aborted is dropped) and a rebalance (the partition moved away, or came
 *       back) move the epoch, which is part of the stamp;</li>
 *   <li>a read that overlaps a write is not kept: the stamp is null while one of its store partitions is being
 *       written, and differs after a write began; {@link #put} keeps a value only if the stamp taken before the
 *       read is non-null and still current;</li>
 *   <li>standby (stale) reads neither use nor fill the cache (the caller's duty): a standby's stores change without
 *       this instance's commit hook.</li>
 * </ul>
 * A stamp read from the stored rows themselves (their counters, without the KLL images) would also see writes,
 * but it costs a store read and a row copy per month and question, and sees nothing of retention; a write sequence
 * costs a map lookup per month and store. Over-signalling (another module's sketch in the month, a horizon move)
 * only costs a miss. Limit: the stamps see only writes made through the commit hook of this instance's topology
 * (every write of these stores is); a store changed otherwise (a restore) must move the epoch.
 *
 * <p><b>Values</b> are shared: a caller must not mutate them (merge them into statistics of its own). <b>Budget.</b>
 * Estimated heap bytes ({@link #statsBytes}; counts: 8 bytes per counter); least recently used dropped first; an
 * entry larger than the budget is not kept; 0: off. Errors: none of its own. Thread-safe (one lock;
 * {@link StoreChanges}' lock is taken inside it, never the other way).
 */
final class MonthPieceCache<V> {

  /**
   * One piece: partition, module, first month start and the end of the last month (for the prefix caches: the
   * range's start and the start of its newest part).
   */
  record Key(int partition, String module, long fromMonth, long toMonth) {}

  private record Entry<V>(long[] stamp, V value) {}

  /** The stores of month rows (window start: the month's first day). */
  private static final Set<String> MONTH_ROWS = Set.of(StatsStores.ATTRIBUTE_STATS_MONTHLY,
      StatsStores.SKETCH_SUMS_MONTHLY);

  private final StoreChanges changes;
  private final List<String> stores;
  private final boolean days;
  private final ToLongFunction<V> bytes;
  private final BudgetedLru<Key, Entry<V>> entries;

  /**
   * A cache of values read from {@code stores}, stamped per month ({@code days}: per day), of at most about {@code
   * budgetBytes} (0: off; {@code bytes} estimates a value's heap bytes); IllegalArgumentException if negative.
   */
  MonthPieceCache(final StoreChanges changes, final List<String> stores, final boolean days, final long budgetBytes,
      final ToLongFunction<V> bytes) {
    this.changes = changes;
    this.stores = List.copyOf(stores);
    this.days = days;
    this.bytes = bytes;
    this.entries = new BudgetedLru<>(budgetBytes);
  }

  /** Merged month statistics per attribute length (values not to be mutated). */
  static MonthPieceCache<SortedMap<Integer, AttributeStats>> stats(final StoreChanges changes,
      final long budgetBytes) {
    return new MonthPieceCache<>(changes, List.of(StatsStores.ATTRIBUTE_STATS_MONTHLY), false, budgetBytes,
        MonthPieceCache::statsBytes);
  }

  /**
   * Everything before a range's newest part ({@link AttributeStatsReads}): fine and month statistics rows merged per
   * attribute length (values not to be mutated); stamped per day over both stores (a month row by its month's first
   * day, whole months only), keys are [range start, newest part's start).
   */
  static MonthPieceCache<SortedMap<Integer, AttributeStats>> statsPrefix(final StoreChanges changes,
      final long budgetBytes) {
    return new MonthPieceCache<>(changes, List.of(StatsStores.ATTRIBUTE_STATS, StatsStores.ATTRIBUTE_STATS_MONTHLY),
        true, budgetBytes, MonthPieceCache::statsBytes);
  }

  /**
   * The sums of sketch vectors of the whole days before a range's newest part ({@link LocalStatsQueries#sums}), per
   * sketch-parameter key (values not to be mutated); stamped per day over the daily and monthly sum stores (month
   * rows: whole months only); keys have module "" and are [first day start, newest part's start).
   */
  static MonthPieceCache<Map<String, SketchSum>> sumsPrefix(final StoreChanges changes, final long budgetBytes) {
    return new MonthPieceCache<>(changes, List.of(StatsStores.SKETCH_SUMS_DAILY, StatsStores.SKETCH_SUMS_MONTHLY),
        true, budgetBytes, sums -> 300L + sums.values().stream().mapToLong(v -> 200L + 4L * v.sum().length).sum());
  }

  /** A month's hourly counts, {@link HourlyCounts#COLUMNS} per hour (arrays not to be mutated). */
  static MonthPieceCache<long[]> counts(final StoreChanges changes, final long budgetBytes) {
    return new MonthPieceCache<>(changes, List.of(StatsStores.INFERENCES_DAILY, StatsStores.PRESENCE_DAILY),
        false, budgetBytes, c -> 300L + 16 + 8L * c.length);
  }

  /**
   * The hourly counts of the whole days before a range's newest part ({@link CountReads}), {@link
   * HourlyCounts#COLUMNS} per hour (arrays not to be mutated); stamped per day; keys are [first day start, newest
   * part's start).
   */
  static MonthPieceCache<long[]> countsPrefix(final StoreChanges changes, final long budgetBytes) {
    return new MonthPieceCache<>(changes, List.of(StatsStores.INFERENCES_DAILY, StatsStores.PRESENCE_DAILY),
        true, budgetBytes, c -> 300L + 16 + 8L * c.length);
  }

  /**
   * Where a prefix of [fromMs, toMs) in pieces of {@code unitMs} ends: the start of the range's newest part ({@link
   * Rollups#newestPartStart}) when this cache may keep the part before it, else {@code fromMs} (keep nothing: a
   * standby read, the cache off, or a range that is all newest part).
   */
  long prefixEnd(final long fromMs, final long toMs, final long unitMs, final boolean stale) {
    return stale || !on() || toMs <= fromMs ? fromMs : Rollups.newestPartStart(fromMs, toMs, unitMs);
  }

  /** Whether the cache may keep anything (a budget above 0). */
  boolean on() {
    return entries.budget() > 0;
  }

  /** The stamp to pass to {@link #put}: take it before reading the rows; null while they are being written. */
  long[] stamp(final Key key) {
    long[] out = new long[0];
    for (final String store : stores) {
      final long[] one = days ? dayStamp(store, key)
          : changes.monthStamp(store, key.partition(), key.fromMonth(), key.toMonth());
      if (one == null) {
        return null;
      }
      final int at = out.length;
      out = Arrays.copyOf(out, at + one.length);
      System.arraycopy(one, 0, out, at, one.length);
    }
    return out;
  }

  /**
   * The day stamp of {@code store} over the key's range; for a store of month rows, over the months whole in the
   * range only: a prefix reads its last, ragged month from finer rows, so the writes of that month's row (at every
   * commit of the current month) must not void it.
   */
  private long[] dayStamp(final String store, final Key key) {
    final long to = MONTH_ROWS.contains(store) ? Rollups.monthStart(key.toMonth()) : key.toMonth();
    return changes.dayStamp(store, key.partition(), key.fromMonth(), Math.max(key.fromMonth(), to));
  }

  /** The value kept for {@code key}, if its rows are unchanged since they were read; else null. */
  synchronized V get(final Key key) {
    final Entry<V> e = entries.get(key);
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
    return e.value();
  }

  /**
   * The value kept for {@code key}, or else {@code read}'s (kept if its rows did not change while it read; the read
   * runs outside the cache's lock). Its errors are not kept.
   */
  V getOrRead(final Key key, final Supplier<V> read) {
    final V kept = get(key);
    if (kept != null) {
      return kept;
    }
    final long[] stamp = stamp(key);
    final V value = read.get();
    put(key, stamp, value);
    return value;
  }

  /**
   * Keeps {@code value}, read after {@code stamp} was taken, if the stamp is still current; replaces what was kept
   * for the key (or drops it, if over the budget). The caller gives the value up (it is shared from now on).
   */
  synchronized void put(final Key key, final long[] stamp, final V value) {
    if (stamp == null || !Arrays.equals(stamp, stamp(key))) {
      return;
    }
    entries.put(key, new Entry<>(stamp, value), 2L * key.module().length() + bytes.applyAsLong(value));
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
  static long statsBytes(final SortedMap<Integer, AttributeStats> byLength) {
    long size = 300L;
    for (final AttributeStats s : byLength.values()) {
      size += 200;
      for (int i = 0; i < s.trackedDimensions(); i++) {
        size += 116L + 4L * s.quantiles(i).getNumRetained();
      }
    }
    return size;
  }
}
