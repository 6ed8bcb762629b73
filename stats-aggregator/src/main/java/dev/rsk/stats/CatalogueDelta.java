package dev.rsk.stats;

import dev.rsk.stats.model.CatalogueEntry;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One module's catalogue change in a commit interval ({@link PendingAggregates}): min/max of added times, count
 * deltas, the attribute length of the latest add. Not thread-safe.
 */
final class CatalogueDelta {

  private long first = Long.MAX_VALUE;
  private long last = Long.MIN_VALUE;
  private long inferences;
  private long objects;
  private int k = -1;
  private long kAt = Long.MIN_VALUE;

  /**
   * One inference at {@code t} with {@code objects} objects of attribute length {@code k} added (sign +1) or retracted.
   */
  void add(final long t, final int sign, final long objects, final int k) {
    inferences += sign;
    this.objects += sign * objects;
    if (sign > 0) {
      first = Math.min(first, t);
      last = Math.max(last, t);
      if (t >= kAt) {
        this.k = k;
        kAt = t;
      }
    }
  }

  /** Adds this change to {@code module}'s entry in {@code store} (a retraction alone creates none). */
  void writeTo(final KeyValueStore<String, CatalogueEntry> store, final String module) {
    final CatalogueEntry c = store.get(module);
    final boolean added = k >= 0;
    if (c == null) {
      if (added) {
        store.put(module, new CatalogueEntry(module, first, last, inferences, objects, k));
      }
      return;
    }
    store.put(module, new CatalogueEntry(module, added ? Math.min(c.firstSeen(), first) : c.firstSeen(),
        added ? Math.max(c.lastSeen(), last) : c.lastSeen(), c.inferences() + inferences,
        c.objects() + objects, added && kAt >= c.lastSeen() ? k : c.attributeLength()));
  }
}
