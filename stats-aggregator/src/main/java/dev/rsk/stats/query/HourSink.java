package dev.rsk.stats.query;

import dev.rsk.stats.Rollups;
import dev.rsk.stats.model.DayCounts;

/**
 * Where {@link CountReads} adds the day rows and kept pieces it reads for a range of hours: every hour ({@link
 * HourlyCounts}), or the range's totals alone ({@link HourTotals}). Both keep the hour starts of [fromMs, toMs):
 * from the first whole hour at or after {@code fromMs} to the last hour starting before {@code toMs}, so both add
 * up the same counts. The range is worked out here once; a subclass only adds what falls in it.
 */
abstract class HourSink {

  /** Counters per hour: inferences, inferences with the module, its objects. */
  static final int COLUMNS = 3;

  /** The first hour start in the range. */
  final long firstHour;
  /** The hours in the range. */
  final int hours;
  /** The end of the range's last hour. */
  final long end;

  /** @throws IllegalArgumentException if the range holds more hours than an array can count */
  HourSink(final long fromMs, final long toMs) {
    this.firstHour = fromMs + Math.floorMod(-fromMs, Rollups.HOUR_MS);
    final long n = toMs <= firstHour ? 0 : (toMs - firstHour + Rollups.HOUR_MS - 1) / Rollups.HOUR_MS;
    if (n > Integer.MAX_VALUE / COLUMNS) {
      throw new IllegalArgumentException("range too long: " + n + " hours");
    }
    this.hours = (int) n;
    this.end = firstHour + n * Rollups.HOUR_MS;
  }

  /**
   * Adds the day row starting at {@code dayStart} into columns [{@code column}, column + row width): counts of
   * hours outside the range are ignored.
   */
  abstract void add(long dayStart, DayCounts day, int column);

  /**
   * Adds {@code pieceCounts} ({@link #COLUMNS} counters per hour of a piece of whole hours starting at {@code
   * pieceStart}) into these counts: hours outside the range are ignored.
   */
  final void addPiece(final long pieceStart, final long[] pieceCounts) {
    // the piece's rows whose hour start is in [firstHour, end)
    final long rows = pieceCounts.length / COLUMNS;
    final int from = (int) Math.max(0, Math.min(rows, rowsBefore(firstHour - pieceStart)));
    final int to = (int) Math.min(rows, rowsBefore(end - pieceStart));
    if (from < to) {
      addRows(pieceCounts, from, to, pieceStart + from * Rollups.HOUR_MS);
    }
  }

  /** The rows of a piece whose hour start is less than {@code span} after the piece's start (negative if none). */
  private static long rowsBefore(final long span) {
    return Math.floorDiv(span + Rollups.HOUR_MS - 1, Rollups.HOUR_MS);
  }

  /** Whether the three counters at {@code a[at]} hold a count: all-zero rows are no row. */
  static boolean counted(final long[] a, final int at) {
    return a[at] != 0 || a[at + 1] != 0 || a[at + 2] != 0;
  }

  /**
   * Adds rows [{@code from}, {@code to}) of {@code pieceCounts}, all in the range, the first of them the hour
   * starting at {@code fromHour}.
   */
  abstract void addRows(long[] pieceCounts, int from, int to, long fromHour);
}
