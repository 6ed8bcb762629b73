package dev.rsk.stats.query;

import java.util.ArrayList;
import java.util.List;

/**
 * Hourly rows of a module, [hour start ms, inferences, inferences with the module, its objects], visited in
 * ascending hour order without the hours whose three counters are all zero: what the frequency, hours and stats
 * answers add up. Held without an object per hour (a year is 8,784 hours): {@link HourlyCounts} densely, {@link
 * #flat} as read from another instance.
 */
public interface HourRows {

  /** Receives one hour's counters. */
  @FunctionalInterface
  interface RowVisitor {
    void visit(long hourStart, long inferences, long withModule, long objects);
  }

  /** Visits every row with a non-zero counter, ascending by hour start. */
  void forEach(RowVisitor f);

  /** Rough heap bytes held (for a cache's bound). */
  long heapBytes();

  /** The rows as arrays of four (an array per row: for tests and small answers). */
  default List<long[]> toList() {
    final List<long[]> out = new ArrayList<>();
    forEach((h, a, b, c) -> out.add(new long[] {h, a, b, c}));
    return out;
  }

  /** No row. */
  static HourRows empty() {
    return flat(new long[0]);
  }

  /**
   * Rows given flat, four numbers each and ascending by hour start (as the internal API sends them); rows whose
   * counters are all zero are skipped when visited.
   *
   * @throws IllegalArgumentException if the length is not a multiple of four
   */
  static HourRows flat(final long[] rows) {
    if (rows.length % 4 != 0) {
      throw new IllegalArgumentException("hour rows need 4 numbers each, got " + rows.length + " numbers");
    }
    return new HourRows() {
      @Override
      public void forEach(final RowVisitor f) {
        for (int i = 0; i < rows.length; i += 4) {
          if (HourSink.counted(rows, i + 1)) {
            f.visit(rows[i], rows[i + 1], rows[i + 2], rows[i + 3]);
          }
        }
      }

      @Override
      public long heapBytes() {
        return 32 + 8L * rows.length;
      }
    };
  }
}
