package dev.rsk.stats.query;

import dev.rsk.stats.Rollups;
import dev.rsk.stats.StatsStores;
import dev.rsk.stats.model.DayCounts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The exact hourly counts of {@link LocalStatsQueries#hourlyCounts}: one row per UTC day, store and partition, except
 * whole months kept unchanged since they were read ({@link MonthPieceCache}; standby reads always read).
 */
final class CountReads {

  private final StoreReads stores;
  private final MonthPieceCache<long[]> months;

  CountReads(final StoreReads stores, final MonthPieceCache<long[]> months) {
    this.stores = stores;
    this.months = months;
  }

  HourlyCounts hourlyCounts(final String module, final long fromMs, final long toMs,
      final Collection<Integer> partitions, final boolean stale) {
    final HourlyCounts out = new HourlyCounts(fromMs, toMs);
    if (toMs <= fromMs) {
      return out;
    }
    final List<Rollups.Piece> pieces = Rollups.pieces(Rollups.dayStart(fromMs), toMs, Rollups.DAY_MS, false);
    for (final int p : partitions) {
      if (stale || !months.on()) {
        addDays(out, module, Rollups.dayStart(fromMs), toMs, p, stale);
        continue;
      }
      for (final Rollups.Piece piece : pieces) {
        if (piece.level() == Rollups.Level.MONTH) {
          for (long m = piece.fromMs(); m < piece.toMs(); m = Rollups.nextMonth(m)) {
            out.addMonth(m, monthCounts(module, m, p));
          }
        } else {
          addDays(out, module, piece.fromMs(), piece.toMs(), p, stale);
        }
      }
    }
    return out;
  }

  /** The hourly counts of the month starting at {@code month} in partition {@code p}: kept, or read (then kept). */
  private long[] monthCounts(final String module, final long month, final int p) {
    final MonthPieceCache.Key key = new MonthPieceCache.Key(p, module, month, Rollups.nextMonth(month));
    final long[] kept = months.get(key);
    if (kept != null) {
      return kept;
    }
    final long[] stamp = months.stamp(key);
    final HourlyCounts read = new HourlyCounts(month, key.toMonth());
    addDays(read, module, month, key.toMonth(), p, false);
    final long[] counts = read.counts();
    months.put(key, stamp, counts);
    return counts;
  }

  /** Adds the day rows of both count stores starting in [fromMs, toMs) of partition {@code p}. */
  private void addDays(final HourlyCounts out, final String module, final long fromMs, final long toMs, final int p,
      final boolean stale) {
    // Each read lists its rows first and adds them after, so that a retried read never double counts.
    final List<KeyValue<Long, DayCounts>> counts =
        days(StatsStores.INFERENCES_DAILY, StatsStores.ALL_INFERENCES, fromMs, toMs, p, stale);
    final List<KeyValue<Long, DayCounts>> present = days(StatsStores.PRESENCE_DAILY, module, fromMs, toMs, p, stale);
    counts.forEach(kv -> out.add(kv.key, kv.value, 0));
    present.forEach(kv -> out.add(kv.key, kv.value, 1));
  }

  private List<KeyValue<Long, DayCounts>> days(final String store, final String key, final long fromMs,
      final long toMs, final int partition, final boolean stale) {
    return stores.read(store, QueryableStoreTypes.<String, DayCounts>windowStore(), partition, stale, s -> {
      final List<KeyValue<Long, DayCounts>> list = new ArrayList<>();
      try (WindowStoreIterator<DayCounts> it = s.fetch(key, Instant.ofEpochMilli(Rollups.dayStart(fromMs)),
          Instant.ofEpochMilli(toMs - 1))) {
        it.forEachRemaining(list::add);
      }
      return list;
    });
  }
}
