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
    final List<long[]> rows = c.rows();
    assertThat(rows).containsExactly(
        new long[] {day0 + 3 * H, 7, 4, 9},
        new long[] {day0 + 23 * H, 2, 1, 1},
        new long[] {day0 + DAY, 22, 0, 0});
    assertThat(c.toSortedMap().keySet()).containsExactly(day0 + 3 * H, day0 + 23 * H, day0 + DAY);
    // the stats route's totals: the same hours summed per column, 7 + 2 + 22, 4 + 1, 9 + 1
    assertThat(c.totals()).containsExactly(31, 5, 10);
  }

  @Test
  void anEmptyOrInvertedRangeHasNoRows() {
    final DayCounts d = new DayCounts(1);
    d.add(0, 0, 1);
    final HourlyCounts empty = new HourlyCounts(5 * H, 5 * H);
    empty.add(0, d, 0);
    assertThat(empty.rows()).isEmpty();
    assertThat(new HourlyCounts(7 * H, 2 * H).rows()).isEmpty();
    assertThat(empty.totals()).containsExactly(0, 0, 0);
  }
}
