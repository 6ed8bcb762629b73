package dev.rsk.stats.query;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map whose values carry an estimated size in bytes, dropping the least recently used (read or written) first
 * whenever their sum exceeds the budget: the bookkeeping of the query caches ({@link RepositoryItemsCache}, the
 * API's answer cache). What a value may be, and when it is stale, is the caller's. Not thread-safe: callers lock.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class BudgetedLru<K, V> {

  private record Slot<V>(V value, long bytes) {}

  private final long budget;
  private final LinkedHashMap<K, Slot<V>> slots = new LinkedHashMap<>(64, 0.75f, true);
  private long bytes;

  /**
   * An empty map of at most {@code budgetBytes} estimated bytes (0: keeps nothing but entries of 0 bytes).
   *
   * @throws IllegalArgumentException if the budget is negative
   */
  public BudgetedLru(final long budgetBytes) {
    if (budgetBytes < 0) {
      throw new IllegalArgumentException("budget must be >= 0: " + budgetBytes);
    }
    this.budget = budgetBytes;
  }

  /** The budget in bytes. */
  public long budget() {
    return budget;
  }

  /** The value of {@code key} (now the most recently used), or null. */
  public V get(final K key) {
    final Slot<V> s = slots.get(key);
    return s == null ? null : s.value();
  }

  /**
   * Puts {@code value} of {@code size} bytes for {@code key} (replacing its value), then drops the least recently
   * used entries while the sum exceeds the budget. A value larger than the whole budget is not kept (and its key's
   * earlier value is dropped).
   */
  public void put(final K key, final V value, final long size) {
    remove(key);
    if (size > budget) {
      return;
    }
    slots.put(key, new Slot<>(value, size));
    bytes += size;
    final Iterator<Map.Entry<K, Slot<V>>> eldest = slots.entrySet().iterator();
    while (bytes > budget && eldest.hasNext()) {
      bytes -= eldest.next().getValue().bytes();
      eldest.remove();
    }
  }

  /** Drops the value of {@code key}, if any. */
  public void remove(final K key) {
    final Slot<V> s = slots.remove(key);
    if (s != null) {
      bytes -= s.bytes();
    }
  }

  /** Estimated bytes kept. */
  public long bytes() {
    return bytes;
  }

  /** Entries kept. */
  public int size() {
    return slots.size();
  }
}
