package dev.rsk.stats.query;

import dev.rsk.stats.Rollups;
import dev.rsk.stats.StatsStores;
import dev.rsk.stats.model.AttributeStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The attribute statistics of {@link LocalStatsQueries#attributeStatsByLength}: whole months from their rows (or
 * merged from {@link MonthPieceCache#stats}), the fine rows of the ragged edges completed with their repository items
 * ({@link FineRowItems}). When the bucket divides a day, everything before the range's newest part (its last UTC
 * day, or its last month when that is whole: {@link Rollups#newestPartStart}) is kept merged per partition too
 * ({@link MonthPieceCache#statsPrefix}), so that while sketches arrive (they change the newest part) a question reads
 * and merges only that part's rows and one kept piece per partition. The cost and error
 * behaviour are stated there.
 */
final class AttributeStatsReads {

  private final StoreReads stores;
  private final long bucketMs;
  private final FineRowItems fineItems;
  private final MonthPieceCache<SortedMap<Integer, AttributeStats>> months;
  private final MonthPieceCache<SortedMap<Integer, AttributeStats>> prefixes;

  AttributeStatsReads(final StoreReads stores, final long bucketMs, final FineRowItems fineItems,
      final MonthPieceCache<SortedMap<Integer, AttributeStats>> months,
      final MonthPieceCache<SortedMap<Integer, AttributeStats>> prefixes) {
    this.stores = stores;
    this.bucketMs = bucketMs;
    this.fineItems = fineItems;
    this.months = months;
    this.prefixes = prefixes;
  }

  SortedMap<Integer, AttributeStats> byLength(final String module, final long fromMs, final long toMs,
      final Collection<Integer> partitions, final boolean stale) {
    final SortedMap<Integer, AttributeStats> byLength = new TreeMap<>();
    if (toMs <= fromMs) {
      return byLength;
    }
    // while sketches arrive only the newest part (day, or whole month) changes: what comes before it is kept merged
    final long newest = Rollups.rollsUp(bucketMs) ? prefixes.prefixEnd(fromMs, toMs, bucketMs, stale) : fromMs;
    for (final int p : partitions) {
      if (fromMs < newest) {
        // the newest part first (small sketches merge cheaply into a small one), then the kept rest
        partition(module, newest, toMs, p, false).values().forEach(part -> addTo(byLength, part));
        prefix(module, fromMs, newest, p).values().forEach(part -> addTo(byLength, part));
      } else {
        partition(module, fromMs, toMs, p, stale).values().forEach(part -> addTo(byLength, part));
      }
    }
    return byLength;
  }

  /**
   * The statistics of partition {@code p} over [fromMs, newest) merged per attribute length: from {@link
   * MonthPieceCache#statsPrefix} while none of its days' rows changed, else read (and kept). Shared: not to be
   * mutated.
   */
  private SortedMap<Integer, AttributeStats> prefix(final String module, final long fromMs, final long newest,
      final int p) {
    return prefixes.getOrRead(new MonthPieceCache.Key(p, module, fromMs, newest),
        () -> Collections.unmodifiableSortedMap(partition(module, fromMs, newest, p, false)));
  }

  /** The statistics of partition {@code p} over [fromMs, toMs): its fine rows and month pieces, merged per length. */
  private SortedMap<Integer, AttributeStats> partition(final String module, final long fromMs, final long toMs,
      final int p, final boolean stale) {
    final List<Rollups.Piece> pieces = Rollups.rollsUp(bucketMs)
        ? Rollups.pieces(fromMs, toMs, bucketMs, false)
        : List.of(new Rollups.Piece(Rollups.Level.FINE, fromMs, toMs));
    final List<AttributeStats> fineParts = new ArrayList<>();
    final List<AttributeStats> monthParts = new ArrayList<>();
    for (final Rollups.Piece piece : pieces) {
      if (piece.level() == Rollups.Level.MONTH) {
        monthParts.addAll(monthPiece(module, piece, p, stale).values());
      } else {
        fineParts.addAll(fineRows(module, piece.fromMs(), piece.toMs(), p, stale));
      }
    }
    // the partition's fine rows first (small sketches merge cheaply into a small one), then its months
    final SortedMap<Integer, AttributeStats> merged = new TreeMap<>();
    fineParts.forEach(part -> addTo(merged, part));
    monthParts.forEach(part -> addTo(merged, part));
    return merged;
  }

  /**
   * The fine rows of {@code module} starting in [fromMs, toMs) of partition {@code p}, each completed with its
   * repository items (a row that keeps them all is as read).
   */
  private List<AttributeStats> fineRows(final String module, final long fromMs, final long toMs, final int p,
      final boolean stale) {
    final long epoch = fineItems.epoch();
    final List<AttributeStats> out = new ArrayList<>();
    // bucket start -> the fine row of that bucket whose items are partly in the repository
    final SortedMap<Long, AttributeStats> needItems = new TreeMap<>();
    for (final KeyValue<Long, AttributeStats> row : rows(StatsStores.ATTRIBUTE_STATS, module,
        new Rollups.Piece(Rollups.Level.FINE, fromMs, toMs), p, stale)) {
      if (row.value.repositoryItems()) {
        needItems.put(row.key, row.value);
      }
      out.add(row.value);
    }
    if (!needItems.isEmpty()) {
      fineItems.complete(module, needItems, p, stale, epoch);
    }
    return out;
  }

  /**
   * The month rows of {@code piece} in partition {@code p}, merged per attribute length: from {@link
   * MonthPieceCache} when it holds them unchanged, else read (and kept, unless {@code stale}). Shared: not to be
   * mutated.
   */
  private SortedMap<Integer, AttributeStats> monthPiece(final String module, final Rollups.Piece piece, final int p,
      final boolean stale) {
    final Supplier<SortedMap<Integer, AttributeStats>> read = () -> {
      final SortedMap<Integer, AttributeStats> merged = new TreeMap<>();
      rows(StatsStores.ATTRIBUTE_STATS_MONTHLY, module, piece, p, stale).forEach(row -> addTo(merged, row.value));
      return Collections.unmodifiableSortedMap(merged);
    };
    return stale || !months.on() ? read.get()
        : months.getOrRead(new MonthPieceCache.Key(p, module, piece.fromMs(), piece.toMs()), read);
  }

  /** Merges {@code part} into {@code acc}'s statistics of its length (new ones: {@code part} itself is not kept). */
  private static void addTo(final SortedMap<Integer, AttributeStats> acc, final AttributeStats part) {
    final AttributeStats old = acc.get(part.attributeLength());
    acc.put(part.attributeLength(), (old != null ? old
        : new AttributeStats(part.attributeLength(), part.trackedDimensions(), part.kllK())).mergedWith(part));
  }

  /** The rows of {@code module} in {@code store} starting in {@code piece}, by start. */
  private List<KeyValue<Long, AttributeStats>> rows(final String store, final String module,
      final Rollups.Piece piece, final int p, final boolean stale) {
    return stores.read(store, QueryableStoreTypes.<String, AttributeStats>windowStore(), p, stale, s -> {
      final List<KeyValue<Long, AttributeStats>> list = new ArrayList<>();
      try (WindowStoreIterator<AttributeStats> it = s.fetch(module, Instant.ofEpochMilli(piece.fromMs()),
          Instant.ofEpochMilli(piece.toMs() - 1))) {
        it.forEachRemaining(list::add);
      }
      return list;
    });
  }
}
