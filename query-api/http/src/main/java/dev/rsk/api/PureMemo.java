package dev.rsk.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The last {@code capacity} results of a pure function (the same key always gives the same value), least
 * recently used dropped first. Exact by construction: a key's value never goes out of date. Keys must have
 * value equality; values are shared and must not be mutated. Thread-safe; the function runs outside the lock.
 */
final class PureMemo<K, V> {

  private final int capacity;
  private final Function<K, V> function;
  private final Map<K, V> values;

  PureMemo(final int capacity, final Function<K, V> function) {
    this.capacity = capacity;
    this.function = function;
    this.values = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(final Map.Entry<K, V> eldest) {
        return size() > PureMemo.this.capacity;
      }
    };
  }

  V get(final K key) {
    synchronized (values) {
      final V v = values.get(key);
      if (v != null) {
        return v;
      }
    }
    final V v = function.apply(key);
    if (v != null) {
      synchronized (values) {
        values.put(key, v);
      }
    }
    return v;
  }
}
