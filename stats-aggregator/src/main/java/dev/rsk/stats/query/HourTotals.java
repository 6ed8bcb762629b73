package dev.rsk.stats.query;

import dev.rsk.stats.Rollups;
import dev.rsk.stats.model.DayCounts;

/**
 * The totals of a range's hourly counts, {inferences, withModule, objects}, added up as they are read, without a
 * counter per hour (the stats route's need: a year's dense {@link HourlyCounts} is 211 KB, to be summed once).
 * The same hours as {@link HourlyCounts} of the same range and reads. Not thread-safe.
 */
final class HourTotals extends HourSink {

  private final long firstHour;
  private final long end;
  private final long[] totals = new long[HourlyCounts.COLUMNS];

  /** Zero totals for the hour starts of [fromMs, toMs), as {@link HourlyCounts#HourlyCounts} counts them. */
  HourTotals(final long fromMs, final long toMs) {
    this.firstHour = HourlyCounts.firstHour(fromMs);
    this.end = firstHour + HourlyCounts.hours(firstHour, toMs) * Rollups.HOUR_MS;
  }

  @Override
  void add(final long dayStart, final DayCounts day, final int column) {
    final int width = day.width();
    day.forEachHour(dayStart, firstHour, end, (hour, d, h) -> {
      for (int c = 0; c < width; c++) {
        totals[column + c] += d.get(h, c);
      }
    });
  }

  @Override
  void addPiece(final long pieceStart, final long[] pieceCounts) {
    final int columns = HourlyCounts.COLUMNS;
    for (int i = 0; i < pieceCounts.length / columns; i++) {
      final long hour = pieceStart + i * Rollups.HOUR_MS;
      if (hour >= firstHour && hour < end) {
        for (int c = 0; c < columns; c++) {
          totals[c] += pieceCounts[i * columns + c];
        }
      }
    }
  }

  /** {inferences, withModule, objects} over the range (a copy). */
  long[] totals() {
    return totals.clone();
  }
}
