package dev.rsk.stats.query;

import dev.rsk.stats.model.DayCounts;

/**
 * Where {@link CountReads} adds the day rows and kept pieces it reads for a range of hours: every hour ({@link
 * HourlyCounts}), or the range's totals alone ({@link HourTotals}). Both keep the hours whose start is in the same
 * range ({@link HourlyCounts#HourlyCounts}), so both add up the same counts.
 */
abstract class HourSink {

  /**
   * Adds the day row starting at {@code dayStart} into columns [{@code column}, column + row width): counts of
   * hours outside the range are ignored.
   */
  abstract void add(long dayStart, DayCounts day, int column);

  /**
   * Adds {@code pieceCounts} ({@link HourlyCounts#counts()} of a piece of whole hours starting at {@code pieceStart})
   * into these counts: hours outside the range are ignored.
   */
  abstract void addPiece(long pieceStart, long[] pieceCounts);
}
