package dev.rsk.stats;

import dev.rsk.stats.model.AttributeStats;
import dev.rsk.stats.model.CatalogueEntry;
import dev.rsk.stats.model.DayCounts;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The fine attribute-statistics rows a commit writes for the stats buckets of a partition. While a bucket holds at
 * most {@code itemsMax} inferences on the partition, its rows keep counts, sums and squares and only the pinned KLL
 * items ({@link AttributeStats#repositoryItems()}): the others are the repository's, and a question reads them back,
 * one repository record per inference of the bucket, whatever its modules. Once the bucket holds more (a busy day:
 * today's, while sketches arrive), every row of it keeps its own items, so a question over it reads no repository
 * record and its cost no longer grows with the bucket's inferences. At the commit that crosses the bound, each row
 * of the bucket reads its repository items once, on the stream thread ({@link #sweep}); after it, a row costs its
 * KLL sketches' bytes at every commit that changes it (bounded by k, not by the bucket's inferences).
 *
 * <p>Exact as before: counts, sums and squares are untouched; the KLL sketches get one item per observation, the
 * same ones a query would have read. A row switches only when the items read complete it ({@link
 * RepositoryItems#whole}); otherwise it stays as it was, and is tried again at the next commit that changes it.
 *
 * <p>Not thread-safe: one per task, used at its commits.
 */
final class FineRows {

  /** The repository items of one bucket of this task's partition ({@link RepositoryItems#read}). */
  @FunctionalInterface
  interface ItemsReader {
    List<RepositoryItems.Item> read(String module, long bucket, int attributeLength, int tracked);
  }

  private final long itemsMax;
  private final long bucketMs;
  private final ItemsReader reader;

  /**
   * Rows of buckets past {@code itemsMax} inferences keep every item (0: every row does); buckets are {@code
   * bucketMs} long (whole hours); {@code reader} reads the repository's items.
   */
  FineRows(final long itemsMax, final long bucketMs, final ItemsReader reader) {
    if (itemsMax < 0) {
      throw new IllegalArgumentException("itemsMax must be >= 0: " + itemsMax);
    }
    this.itemsMax = itemsMax;
    this.bucketMs = bucketMs;
    this.reader = reader;
  }

  /** The start of the bucket of {@code t}. */
  long bucketOf(final long t) {
    return t - Math.floorMod(t, bucketMs);
  }

  /** Whether a bucket of {@code inferences} inferences on the partition keeps its rows' items itself. */
  boolean busy(final long inferences) {
    return inferences > itemsMax;
  }

  /**
   * The inferences of the partition in the bucket starting at {@code bucket}, from the hourly counts of {@code
   * days} ({@link StatsStores#INFERENCES_DAILY}, as written so far in the commit).
   */
  long inferences(final WindowStore<String, DayCounts> days, final long bucket) {
    long n = 0;
    try (WindowStoreIterator<DayCounts> it = days.fetch(StatsStores.ALL_INFERENCES, Rollups.dayStart(bucket),
        bucket + bucketMs - 1)) {
      while (it.hasNext()) {
        final KeyValue<Long, DayCounts> day = it.next();
        for (int h = 0; h < 24; h++) {
          final long hour = day.key + h * Rollups.HOUR_MS;
          if (hour >= bucket && hour < bucket + bucketMs) {
            n += day.value.get(h, 0);
          }
        }
      }
    }
    return n;
  }

  /**
   * The row to store for (module, bucket).
   *
   * @param old the stored row; null if there is none or it is replaced (another attribute length)
   * @param delta the commit interval's observations of the row's length, every item in its KLL sketches
   * @param pinned the interval's pinned items of the row (null: none); taken into a row that switches to keeping
   *     every item, else left for the caller to pin as before
   * @param busy whether the bucket is past the bound ({@link #busy})
   * @return a row with every item, or one with its items in the repository (then {@code pinned} is not in it)
   */
  AttributeStats next(final String module, final long bucket, final AttributeStats old, final AttributeStats delta,
      final AttributeStats pinned, final boolean busy) {
    if (old == null) {
      return busy ? delta : delta.countsOnly();
    }
    if (!old.repositoryItems()) {
      return old.mergedWith(delta);
    }
    final AttributeStats merged = old.mergedWith(delta.countsOnly());
    if (!busy) {
      return merged;
    }
    final AttributeStats whole = withEveryItem(module, bucket, merged, pinned);
    return whole != null ? whole : merged;
  }

  /**
   * Makes every row of the bucket starting at {@code bucket} that leaves its items in the repository keep them
   * itself (the bucket just became busy), with its pinned items of the interval ({@code pinned} by module and
   * attribute length; null: none); a row whose items do not complete it stays as it is. Rows are looked up by
   * module, one point read for each module of the partition's {@code catalogue} (every module it ever saw, written
   * before the rows): a time-range scan of the window store would read every row of each segment the bucket falls
   * in (half the retention, for every module), on the stream thread.
   */
  void sweep(final WindowStore<String, AttributeStats> fine, final KeyValueStore<String, CatalogueEntry> catalogue,
      final long bucket, final BiFunction<String, Integer, AttributeStats> pinned) {
    final List<String> modules = new ArrayList<>();
    try (KeyValueIterator<String, CatalogueEntry> it = catalogue.all()) {
      it.forEachRemaining(kv -> modules.add(kv.key));
    }
    final List<KeyValue<String, AttributeStats>> rows = new ArrayList<>();
    for (final String module : modules) {
      final AttributeStats row = fine.fetch(module, bucket);
      if (row != null && row.repositoryItems()) {
        rows.add(KeyValue.pair(module, row));
      }
    }
    for (final KeyValue<String, AttributeStats> row : rows) {
      final AttributeStats whole = withEveryItem(row.key, bucket, row.value,
          pinned.apply(row.key, row.value.attributeLength()));
      if (whole != null) {
        fine.put(row.key, whole, bucket);
      }
    }
  }

  /** A copy of {@code row} with {@code pinned} and its repository items, if they complete it; else null. */
  private AttributeStats withEveryItem(final String module, final long bucket, final AttributeStats row,
      final AttributeStats pinned) {
    final AttributeStats empty = new AttributeStats(row.attributeLength(), row.trackedDimensions(), row.kllK());
    empty.itemsInRepository();
    AttributeStats out = empty.mergedWith(row);
    if (pinned != null) {
      out = out.mergedWith(pinned);
    }
    final List<RepositoryItems.Item> items =
        reader.read(module, bucket, out.attributeLength(), out.trackedDimensions());
    if (!RepositoryItems.whole(out, items.size())) {
      return null;
    }
    RepositoryItems.addTo(out, items);
    out.completeItems();
    return out;
  }
}
