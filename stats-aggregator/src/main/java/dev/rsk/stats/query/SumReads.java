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
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;

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

  /** The sums of the days starting in [firstDay, toMs) of partition {@code p}, read. */
  private Map<String, SketchSum> sums(final long firstDay, final long toMs, final int p, final boolean stale) {
    final Map<String, SketchSum> out = new HashMap<>();
    for (final Rollups.Piece piece : Rollups.pieces(firstDay, toMs, Rollups.DAY_MS, false)) {
      final String store = switch (piece.level()) {
        case MONTH -> StatsStores.SKETCH_SUMS_MONTHLY;
        case DAY, FINE -> StatsStores.SKETCH_SUMS_DAILY;
      };
      final List<KeyValue<String, SketchSum>> parts = stores.read(store,
          QueryableStoreTypes.<String, SketchSum>windowStore(), p, stale, s -> {
            final List<KeyValue<String, SketchSum>> list = new ArrayList<>();
            try (KeyValueIterator<Windowed<String>, SketchSum> it = s.fetchAll(
                Instant.ofEpochMilli(piece.fromMs()), Instant.ofEpochMilli(piece.toMs() - 1))) {
              it.forEachRemaining(kv -> list.add(KeyValue.pair(kv.key.key(), kv.value)));
            }
            return list;
          });
      parts.forEach(kv -> out.merge(kv.key, kv.value, SketchSum::merge));
    }
    return out;
  }
}
