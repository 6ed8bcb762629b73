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
 * whole months, and a range's days before its newest part ({@link Rollups#newestPartStart}), kept unchanged since
 * they were read ({@link MonthPieceCache#counts}, {@link MonthPieceCache#countsPrefix}; standby reads always read):
 * while sketches arrive, a question reads again only the rows of the newest day (or its newest month's counts).
 */
final class CountReads {

  private final StoreReads stores;
  private final MonthPieceCache<long[]> months;
  private final MonthPieceCache<long[]> prefixes;

  CountReads(final StoreReads stores, final MonthPieceCache<long[]> months, final MonthPieceCache<long[]> prefixes) {
    this.stores = stores;
    this.months = months;
    this.prefixes = prefixes;
  }

  HourlyCounts hourlyCounts(final String module, final long fromMs, final long toMs,
      final Collection<Integer> partitions, final boolean stale) {
    return read(new HourlyCounts(fromMs, toMs), module, fromMs, toMs, partitions, stale);
  }

  /** The sums over every hour of {@link #hourlyCounts}, read the same way without a counter per hour. */
  long[] totals(final String module, final long fromMs, final long toMs, final Collection<Integer> partitions,
      final boolean stale) {
    return read(new HourTotals(fromMs, toMs), module, fromMs, toMs, partitions, stale).totals();
  }

  private <S extends HourSink> S read(final S out, final String module, final long fromMs, final long toMs,
      final Collection<Integer> partitions, final boolean stale) {
    if (toMs <= fromMs) {
      return out;
    }
    final long firstDay = Rollups.dayStart(fromMs);
    // while sketches arrive only the newest part (day, or whole month) changes: the days before it are kept
    final long newest = prefixes.prefixEnd(firstDay, toMs, Rollups.DAY_MS, stale);
    for (final int p : partitions) {
      if (firstDay < newest) {
        out.addPiece(firstDay, prefix(module, firstDay, newest, p));
        addPartition(out, module, newest, toMs, p, false);
      } else {
        addPartition(out, module, firstDay, toMs, p, stale);
      }
    }
    return out;
  }

  /** The hourly counts of the whole days [firstDay, newest) in partition {@code p}: kept, or read (then kept). */
  private long[] prefix(final String module, final long firstDay, final long newest, final int p) {
    return prefixes.getOrRead(new MonthPieceCache.Key(p, module, firstDay, newest), () -> {
      final HourlyCounts read = new HourlyCounts(firstDay, newest);
      addPartition(read, module, firstDay, newest, p, false);
      return read.counts();
    });
  }

  /** Adds the counts of the days starting in [firstDay, toMs) of partition {@code p}: whole months kept or read. */
  private void addPartition(final HourSink out, final String module, final long firstDay, final long toMs,
      final int p, final boolean stale) {
    if (stale || !months.on()) {
      addDays(out, module, firstDay, toMs, p, stale);
      return;
    }
    for (final Rollups.Piece piece : Rollups.pieces(firstDay, toMs, Rollups.DAY_MS, false)) {
      if (piece.level() == Rollups.Level.MONTH) {
        for (long m = piece.fromMs(); m < piece.toMs(); m = Rollups.nextMonth(m)) {
          out.addPiece(m, monthCounts(module, m, p));
        }
      } else {
        addDays(out, module, piece.fromMs(), piece.toMs(), p, false);
      }
    }
  }

  /** The hourly counts of the month starting at {@code month} in partition {@code p}: kept, or read (then kept). */
  private long[] monthCounts(final String module, final long month, final int p) {
    final long next = Rollups.nextMonth(month);
    return months.getOrRead(new MonthPieceCache.Key(p, module, month, next), () -> {
      final HourlyCounts read = new HourlyCounts(month, next);
      addDays(read, module, month, next, p, false);
      return read.counts();
    });
  }

  /** Adds the day rows of both count stores starting in [fromMs, toMs) of partition {@code p}. */
  private void addDays(final HourSink out, final String module, final long fromMs, final long toMs, final int p,
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
