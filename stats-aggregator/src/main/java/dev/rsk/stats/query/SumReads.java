package dev.rsk.stats.query;

import dev.rsk.stats.Rollups;
import dev.rsk.stats.StatsStores;
import dev.rsk.stats.model.SketchSum;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The sums of sketch vectors of {@link LocalStatsQueries#sums}: whole months from their rows, the other days from
 * daily rows, and what comes before a range's newest part kept per partition ({@link MonthPieceCache#sumsPrefix};
 * standby reads always read).
 */
final class SumReads {

  private final StoreReads stores;
  private final MonthPieceCache<Map<String, SketchSum>> prefixes;

  SumReads(final StoreReads stores, final MonthPieceCache<Map<String, SketchSum>> prefixes) {
    this.stores = stores;
    this.prefixes = prefixes;
  }

  Map<String, SketchSum> sums(final long fromMs, final long toMs, final Collection<Integer> partitions,
      final boolean stale) {
    final Map<String, SketchSum> out = new HashMap<>();
    if (toMs <= fromMs) {
      return out;
    }
    final long firstDay = Rollups.dayStart(fromMs);
    final long newest = prefixes.prefixEnd(firstDay, toMs, Rollups.DAY_MS, stale);
    for (final int p : partitions) {
      if (firstDay < newest) {
        sums(newest, toMs, p, false).forEach((k, v) -> out.merge(k, v, SketchSum::merge));
        sumsPrefix(firstDay, newest, p).forEach((k, v) -> out.merge(k, v, SketchSum::merge));
      } else {
        sums(firstDay, toMs, p, stale).forEach((k, v) -> out.merge(k, v, SketchSum::merge));
      }
    }
    return out;
  }

  /** The sums of the whole days [firstDay, newest) of partition {@code p}: kept, or read (then kept). Shared. */
  private Map<String, SketchSum> sumsPrefix(final long firstDay, final long newest, final int p) {
    return prefixes.getOrRead(new MonthPieceCache.Key(p, "", firstDay, newest),
        () -> Collections.unmodifiableMap(sums(firstDay, newest, p, false)));
  }

  /**
   * The sums of the days starting in [firstDay, toMs) of partition {@code p}, read key by key: a window store's
   * {@code fetchAll} over a time range reads every row of each segment it touches (Kafka Streams filters them by
   * time after reading; a segment spans half the retention, about 200 days of 4 KB rows), while a fetch by key
   * seeks to the range. The keys are the sketch-parameter keys of the month rows of the range: the commit that
   * writes a daily row writes its month's row too, and month rows are kept 30 days longer than daily ones.
   */
  private Map<String, SketchSum> sums(final long firstDay, final long toMs, final int p, final boolean stale) {
    final Map<String, SketchSum> out = new HashMap<>();
    final List<Rollups.Piece> pieces = Rollups.pieces(firstDay, toMs, Rollups.DAY_MS, false);
    if (pieces.isEmpty()) {
      return out;
    }
    final Set<String> keys = keys(Rollups.monthStart(firstDay), toMs, p, stale);
    for (final Rollups.Piece piece : pieces) {
      final String store = switch (piece.level()) {
        case MONTH -> StatsStores.SKETCH_SUMS_MONTHLY;
        case DAY, FINE -> StatsStores.SKETCH_SUMS_DAILY;
      };
      final List<KeyValue<String, SketchSum>> parts = stores.read(store,
          QueryableStoreTypes.<String, SketchSum>windowStore(), p, stale, s -> {
            final List<KeyValue<String, SketchSum>> list = new ArrayList<>();
            for (final String key : keys) {
              try (WindowStoreIterator<SketchSum> it = s.fetch(key, Instant.ofEpochMilli(piece.fromMs()),
                  Instant.ofEpochMilli(piece.toMs() - 1))) {
                it.forEachRemaining(kv -> list.add(KeyValue.pair(key, kv.value)));
              }
            }
            return list;
          });
      parts.forEach(kv -> out.merge(kv.key, kv.value, SketchSum::merge));
    }
    return out;
  }

  /** The keys of partition {@code p}'s month rows of sums starting in [fromMonth, toMs). */
  private Set<String> keys(final long fromMonth, final long toMs, final int p, final boolean stale) {
    return stores.read(StatsStores.SKETCH_SUMS_MONTHLY, QueryableStoreTypes.<String, SketchSum>windowStore(), p,
        stale, s -> {
          final Set<String> keys = new TreeSet<>();
          try (KeyValueIterator<Windowed<String>, SketchSum> it = s.fetchAll(Instant.ofEpochMilli(fromMonth),
              Instant.ofEpochMilli(toMs - 1))) {
            it.forEachRemaining(kv -> keys.add(kv.key.key()));
          }
          return keys;
        });
  }
}
