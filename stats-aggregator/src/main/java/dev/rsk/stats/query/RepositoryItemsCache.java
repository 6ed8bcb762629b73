package dev.rsk.stats.query;

import dev.rsk.stats.RepositoryItems;
import dev.rsk.stats.StoreChanges;
import dev.rsk.stats.model.AttributeStats;
import java.util.List;

/**
 * The repository items of fine attribute-statistics rows ({@link LocalStatsQueries#attributeStatsByLength}), kept
 * across commits. A past day's row seldom changes, so its items need not be read back from every repository record
 * of the day at each question (about 7,000 point reads for a year's ragged edge days at the demo's rate, per
 * module): the answer cache forgets at every commit, this cache does not.
 *
 * <p><b>Freshness.</b> An entry is served only for a row whose {@link Stamp} equals the one it was read for, and
 * while {@link StoreChanges#epoch()} has not moved. Every change of a row's repository items changes its stamp: a
 * new observation adds to its counts, and an item leaving the repository (a re-sketch, a tombstone, a retention
 * delete) is pinned into the row, adding to the items it holds. Discarded uncommitted state (an aborted
 * transaction), restores and rebalances move the epoch. An entry is stored only when it is whole, its items and
 * the row's held items adding up to the row's observations, so a read that raced a commit (repository records
 * written before their row) or found records without exact sums is never kept; standby reads are never kept
 * ({@link #put} is not called for them).
 *
 * <p><b>Budget.</b> Estimated heap bytes ({@link #bytesOf}); least recently used dropped first; an entry larger
 * than the whole budget is not kept; 0: off. Thread-safe (one lock; a get or put costs a map operation).
 */
final class RepositoryItemsCache {

  /** One row: partition, module, bucket start, attribute length and tracked dimensions. */
  record Key(int partition, String module, long bucketStart, int attributeLength, int tracked) {}

  /**
   * What identifies a row's item set: its counters, and the items it holds itself (its KLL sketches' length; a
   * row with no tracked dimension holds none and needs no items).
   */
  record Stamp(long observations, long estimated, long objects, long held) {

    static Stamp of(final AttributeStats row) {
      return new Stamp(row.observations(), row.estimated(), row.objects(), RepositoryItems.held(row));
    }

    /** Whether {@code items} repository items complete the row: each observation has exactly one item. */
    boolean wholeWith(final int items) {
      return held + items == observations;
    }
  }

  private record Entry(long epoch, Stamp stamp, List<RepositoryItems.Item> items) {}

  private final StoreChanges changes;
  private final BudgetedLru<Key, Entry> entries;

  /** A cache of at most about {@code budgetBytes} (0: off); IllegalArgumentException if negative. */
  RepositoryItemsCache(final StoreChanges changes, final long budgetBytes) {
    this.changes = changes;
    this.entries = new BudgetedLru<>(budgetBytes);
  }

  /** The epoch to pass to {@link #put}: read it before reading the rows the items complete. */
  long epoch() {
    return changes.epoch();
  }

  /** The items kept for {@code key} at {@code stamp} in the current epoch, or null. */
  synchronized List<RepositoryItems.Item> get(final Key key, final Stamp stamp) {
    final Entry e = entries.get(key);
    if (e == null) {
      return null;
    }
    if (e.epoch() != changes.epoch()) {
      entries.remove(key);
      return null;
    }
    return e.stamp().equals(stamp) ? e.items() : null;
  }

  /**
   * Keeps {@code items} for {@code key} at {@code stamp}, if they complete the row and {@code epoch} (read before
   * the row) is still current; replaces what was kept for the key (or drops it, if they exceed the budget).
   */
  synchronized void put(final Key key, final long epoch, final Stamp stamp, final List<RepositoryItems.Item> items) {
    if (!stamp.wholeWith(items.size()) || epoch != changes.epoch()) {
      return;
    }
    entries.put(key, new Entry(epoch, stamp, List.copyOf(items)), bytesOf(key, items));
  }

  /** Estimated heap bytes kept. */
  synchronized long bytes() {
    return entries.bytes();
  }

  /** Entries kept. */
  synchronized int size() {
    return entries.size();
  }

  /** Heap estimate: the map entry, key and stamp (about 200 bytes), and per item its record and sums array. */
  static long bytesOf(final Key key, final List<RepositoryItems.Item> items) {
    long size = 200L + 2L * key.module().length();
    for (final RepositoryItems.Item item : items) {
      size += 40L + 8L * item.sums().length;
    }
    return size;
  }
}
