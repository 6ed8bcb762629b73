package dev.rsk.stats.query;

import dev.rsk.stats.Rollups;
import dev.rsk.stats.model.DayCounts;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Exact counts per hour over a range, held densely: {inferences, withModule, objects} for every hour start in
 * [fromMs, toMs), in one array. A year is 8,784 hours, 211 KB; filling it is additions into the array, where
 * a sorted map of the same hours cost most of a year-long query. Mutable while filled, not thread-safe; read
 * concurrently once filled (an answer kept for several requests: {@link HourRows}).
 */
public final class HourlyCounts extends HourSink implements HourRows {

  /** Counters per hour: inferences, inferences with the module, its objects. */
  public static final int COLUMNS = HourSink.COLUMNS;

  private final long[] counts;

  /**
   * Zero counts for the hour starts in [fromMs, toMs): from the first whole hour at or after {@code fromMs} to the
   * last hour starting before {@code toMs}.
   *
   * @throws IllegalArgumentException if the range holds more hours than an array can count
   */
  public HourlyCounts(final long fromMs, final long toMs) {
    super(fromMs, toMs);
    this.counts = new long[hours * COLUMNS];
  }

  @Override
  void add(final long dayStart, final DayCounts day, final int column) {
    final int width = day.width();
    day.forEachHour(dayStart, firstHour, end, (hour, d, h) -> {
      final int at = (int) ((hour - firstHour) / Rollups.HOUR_MS) * COLUMNS + column;
      for (int c = 0; c < width; c++) {
        counts[at + c] += d.get(h, c);
      }
    });
  }

  /** The counters, {@link #COLUMNS} per hour from the first (the array itself: a month piece to keep). */
  long[] counts() {
    return counts;
  }

  @Override
  void addRows(final long[] pieceCounts, final int from, final int to, final long fromHour) {
    // row r of the piece is row r + shift here
    final int shift = ((int) ((fromHour - firstHour) / Rollups.HOUR_MS) - from) * COLUMNS;
    for (int i = from * COLUMNS; i < to * COLUMNS; i++) {
      counts[i + shift] += pieceCounts[i];
    }
  }

  @Override
  public void forEach(final RowVisitor f) {
    for (int i = 0; i < hours; i++) {
      final int at = i * COLUMNS;
      if (counted(counts, at)) {
        f.visit(firstHour + i * Rollups.HOUR_MS, counts[at], counts[at + 1], counts[at + 2]);
      }
    }
  }

  @Override
  public long heapBytes() {
    return 64 + 8L * counts.length;
  }

  /**
   * These rows in the smaller of two forms: this dense array (24 bytes per hour of the range), or the non-zero
   * hours alone, copied ({@link HourRows#flat}, 32 bytes per hour with a count) when fewer than three hours in four
   * have one: a year-long range over a few weeks of data is kept in a cache at a fraction of the dense size.
   */
  public HourRows compact() {
    int nonZero = 0;
    for (int at = 0; at < counts.length; at += COLUMNS) {
      if (counted(counts, at)) {
        nonZero++;
      }
    }
    if (4L * nonZero >= 3L * hours) {
      return this;
    }
    final long[] flat = new long[4 * nonZero];
    final int[] at = {0};
    forEach((h, a, b, c) -> {
      flat[at[0]++] = h;
      flat[at[0]++] = a;
      flat[at[0]++] = b;
      flat[at[0]++] = c;
    });
    return HourRows.flat(flat);
  }

  /** The non-zero hours by hour start: {inferences, withModule, objects}. */
  public SortedMap<Long, long[]> toSortedMap() {
    final SortedMap<Long, long[]> out = new TreeMap<>();
    forEach((h, a, b, c) -> out.put(h, new long[] {a, b, c}));
    return out;
  }
}
