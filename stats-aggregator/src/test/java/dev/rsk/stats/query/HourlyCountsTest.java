package dev.rsk.stats.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.stats.model.DayCounts;
import java.util.List;
import org.junit.jupiter.api.Test;

class HourlyCountsTest {

  private static final long H = 3_600_000L;
  private static final long DAY = 24 * H;

  @Test
  void addsDayRowsOfBothWidthsAndKeepsOnlyHoursInRange() {
    final long day0 = 20_000 * DAY;
    final DayCounts inferences = new DayCounts(1);
    inferences.add(1, 0, 5);
    inferences.add(3, 0, 7);
    inferences.add(23, 0, 2);
    final DayCounts present = new DayCounts(2);
    present.add(3, 0, 4);
    present.add(3, 1, 9);
    present.add(23, 0, 1);
    present.add(23, 1, 1);
    final DayCounts nextDay = new DayCounts(1);
    nextDay.add(0, 0, 11);
    nextDay.add(5, 0, 13);
    // [01:30 of day 0, 05:00 of day 1): hour 1 starts before the range, hour 5 of day 1 at its end
    final HourlyCounts c = new HourlyCounts(day0 + H + H / 2, day0 + DAY + 5 * H);
    c.add(day0, inferences, 0);
    c.add(day0, present, 1);
    c.add(day0 + DAY, nextDay, 0);
    c.add(day0 + DAY, nextDay, 0);
    final List<long[]> rows = c.toList();
    assertThat(rows).containsExactly(
        new long[] {day0 + 3 * H, 7, 4, 9},
        new long[] {day0 + 23 * H, 2, 1, 1},
        new long[] {day0 + DAY, 22, 0, 0});
    assertThat(c.toSortedMap().keySet()).containsExactly(day0 + 3 * H, day0 + 23 * H, day0 + DAY);
    // the stats route's totals of the same reads: the same hours summed per column, 7 + 2 + 22, 4 + 1, 9 + 1
    final HourTotals t = new HourTotals(day0 + H + H / 2, day0 + DAY + 5 * H);
    t.add(day0, inferences, 0);
    t.add(day0, present, 1);
    t.add(day0 + DAY, nextDay, 0);
    t.add(day0 + DAY, nextDay, 0);
    assertThat(t.totals()).containsExactly(31, 5, 10);
    // 3 of the range's 27 hours have a count: kept as those 3 rows alone, 12 numbers instead of 81
    final HourRows compact = c.compact();
    assertThat(compact).isNotSameAs(c);
    assertThat(compact.toList()).containsExactly(
        new long[] {day0 + 3 * H, 7, 4, 9},
        new long[] {day0 + 23 * H, 2, 1, 1},
        new long[] {day0 + DAY, 22, 0, 0});
    assertThat(c.heapBytes()).isEqualTo(64 + 8 * 81);
    assertThat(compact.heapBytes()).isEqualTo(32 + 8 * 12);
  }

  /**
   * A kept piece of 6 hours starting an hour before the range [01:30, 04:30): hours 02:00, 03:00 and 04:00 are in
   * it (the last starts before the range's end); 01:00 and 05:00 are not. Every hour and the totals alone agree.
   */
  @Test
  void aPieceAddsOnlyTheHoursOfTheRangeToEveryHourAndToTheTotals() {
    final long day0 = 20_000 * DAY;
    final long[] piece = new long[6 * HourlyCounts.COLUMNS];
    for (int i = 0; i < 6; i++) {              // hour (1 + i): (10^i, 2, 3)
      piece[3 * i] = (long) Math.pow(10, i);
      piece[3 * i + 1] = 2;
      piece[3 * i + 2] = 3;
    }
    final HourlyCounts every = new HourlyCounts(day0 + H + H / 2, day0 + 4 * H + H / 2);
    every.addPiece(day0 + H, piece);
    assertThat(every.toList()).containsExactly(
        new long[] {day0 + 2 * H, 10, 2, 3}, new long[] {day0 + 3 * H, 100, 2, 3},
        new long[] {day0 + 4 * H, 1000, 2, 3});
    final HourTotals totals = new HourTotals(day0 + H + H / 2, day0 + 4 * H + H / 2);
    totals.addPiece(day0 + H, piece);
    assertThat(totals.totals()).containsExactly(1110, 6, 9);
    // the same hours from a day row: 01:00-05:00 of the day, (1, 0, 0) each and (0, 1, 1) at 02:00 and 05:00
    final DayCounts present = new DayCounts(2);
    present.add(2, 0, 1);
    present.add(2, 1, 1);
    present.add(5, 0, 1);
    present.add(5, 1, 1);
    totals.add(day0, present, 1);
    final DayCounts inferences = new DayCounts(1);
    for (int h = 1; h <= 5; h++) {
      inferences.add(h, 0, 1);
    }
    totals.add(day0, inferences, 0);
    assertThat(totals.totals()).containsExactly(1110 + 3, 6 + 1, 9 + 1);
    final HourTotals none = new HourTotals(day0 + 2 * H, day0 + 2 * H);
    none.addPiece(day0 + H, piece);
    none.add(day0, inferences, 0);
    assertThat(none.totals()).containsExactly(0, 0, 0);
  }

  @Test
  void flatRowsSkipTheHoursWhoseCountersAreAllZero() {
    final HourRows rows = HourRows.flat(new long[] {0, 0, 0, 0, H, 0, 1, 5, 2 * H, 0, 0, 2, 3 * H, 4, 0, 0});
    assertThat(rows.toList()).containsExactly(new long[] {H, 0, 1, 5}, new long[] {2 * H, 0, 0, 2},
        new long[] {3 * H, 4, 0, 0});
    assertThat(rows.heapBytes()).isEqualTo(32 + 8 * 16);
    assertThat(HourRows.empty().toList()).isEmpty();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> HourRows.flat(new long[] {0, 1, 2}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4 numbers each");
  }

  @Test
  void rowsWithACountInThreeHoursOfFourStayDense() {
    final DayCounts d = new DayCounts(1);
    d.add(0, 0, 1);
    d.add(1, 0, 2);
    d.add(3, 0, 4);
    final HourlyCounts fourHours = new HourlyCounts(0, 4 * H);
    fourHours.add(0, d, 0);
    assertThat(fourHours.compact()).isSameAs(fourHours);
    final HourlyCounts fiveHours = new HourlyCounts(0, 5 * H);  // 3 of 5: below three in four
    fiveHours.add(0, d, 0);
    assertThat(fiveHours.compact().toList())
        .containsExactly(new long[] {0, 1, 0, 0}, new long[] {H, 2, 0, 0}, new long[] {3 * H, 4, 0, 0});
  }

  @Test
  void anEmptyOrInvertedRangeHasNoRows() {
    final DayCounts d = new DayCounts(1);
    d.add(0, 0, 1);
    final HourlyCounts empty = new HourlyCounts(5 * H, 5 * H);
    empty.add(0, d, 0);
    assertThat(empty.toList()).isEmpty();
    assertThat(new HourlyCounts(7 * H, 2 * H).toList()).isEmpty();
    final HourTotals emptyTotals = new HourTotals(5 * H, 5 * H);
    emptyTotals.add(0, d, 0);
    assertThat(emptyTotals.totals()).containsExactly(0, 0, 0);
  }
}
