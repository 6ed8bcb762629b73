package dev.rsk.stats.query;

import dev.rsk.stats.model.DayCounts;

/**
 * The totals of a range's hourly counts, {inferences, withModule, objects}, added up as they are read, without a
 * counter per hour (the stats route's need: a year's dense {@link HourlyCounts} is 211 KB, to be summed once).
 * The same hours as {@link HourlyCounts} of the same range and reads. Not thread-safe.
 */
final class HourTotals extends HourSink {

  private final long[] totals = new long[COLUMNS];

  /** Zero totals for the hour starts of [fromMs, toMs), as {@link HourSink#HourSink} counts them. */
  HourTotals(final long fromMs, final long toMs) {
    super(fromMs, toMs);
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
  void addRows(final long[] pieceCounts, final int from, final int to, final long fromHour) {
    for (int at = from * COLUMNS; at < to * COLUMNS; at += COLUMNS) {
      totals[0] += pieceCounts[at];
      totals[1] += pieceCounts[at + 1];
      totals[2] += pieceCounts[at + 2];
    }
  }

  /** {inferences, withModule, objects} over the range (a copy). */
  long[] totals() {
    return totals.clone();
  }
}
