package dev.rsk.stats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.stats.Rollups.Level;
import dev.rsk.stats.Rollups.Piece;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RollupsTest {

  private static long t(final String iso) {
    return Instant.parse(iso).toEpochMilli();
  }

  @Test
  void aRangeSplitsIntoEdgeHoursWholeDaysAndWholeMonths() {
    final List<Piece> p = Rollups.pieces(t("2026-01-30T22:00:00Z"), t("2026-04-02T03:00:00Z"), Rollups.HOUR_MS, true);
    assertThat(p).containsExactly(
        new Piece(Level.FINE, t("2026-01-30T22:00:00Z"), t("2026-01-31T00:00:00Z")),
        new Piece(Level.DAY, t("2026-01-31T00:00:00Z"), t("2026-02-01T00:00:00Z")),
        new Piece(Level.MONTH, t("2026-02-01T00:00:00Z"), t("2026-04-01T00:00:00Z")),
        new Piece(Level.DAY, t("2026-04-01T00:00:00Z"), t("2026-04-02T00:00:00Z")),
        new Piece(Level.FINE, t("2026-04-02T00:00:00Z"), t("2026-04-02T03:00:00Z")));
  }

  @Test
  void unalignedEndsCoverTheRowsStartingInTheRange() {
    // Rows start on the hour: [10:30, 12:10) holds the rows of 11:00 and 12:00.
    assertThat(Rollups.pieces(t("2026-05-03T10:30:00Z"), t("2026-05-03T12:10:00Z"), Rollups.HOUR_MS, true))
        .containsExactly(new Piece(Level.FINE, t("2026-05-03T11:00:00Z"), t("2026-05-03T13:00:00Z")));
  }

  @Test
  void withoutDaysOnlyMonthsRollUpAndBucketsThatDoNotDivideADayDoNot() {
    assertThat(Rollups.pieces(t("2026-02-27T00:00:00Z"), t("2026-03-02T00:00:00Z"), Rollups.DAY_MS, false))
        .containsExactly(new Piece(Level.FINE, t("2026-02-27T00:00:00Z"), t("2026-03-02T00:00:00Z")));
    assertThat(Rollups.rollsUp(Rollups.DAY_MS)).isTrue();
    assertThat(Rollups.rollsUp(6 * Rollups.HOUR_MS)).isTrue();
    assertThat(Rollups.rollsUp(5 * Rollups.HOUR_MS)).isFalse();
    assertThat(Rollups.monthStart(t("2026-12-31T23:59:59Z"))).isEqualTo(t("2026-12-01T00:00:00Z"));
  }

  /** The newest part: the last whole month when the range ends with one, else the last UTC day. */
  @Test
  void theNewestPartIsTheLastWholeMonthOrTheLastDay() {
    final long hour = 3_600_000L;
    final long day = 24 * hour;
    final long jan = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    final long feb = Instant.parse("2026-02-01T00:00:00Z").toEpochMilli();
    final long mar = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
    assertThat(Rollups.newestPartStart(jan, mar, day)).isEqualTo(feb);                       // two whole months
    assertThat(Rollups.newestPartStart(jan + 5 * day, mar, day)).isEqualTo(feb);             // ragged start
    assertThat(Rollups.newestPartStart(jan, mar - hour, day)).isEqualTo(feb);                // rounded up to a day
    assertThat(Rollups.newestPartStart(jan, mar - hour, hour)).isEqualTo(mar - day);         // ragged end: last day
    assertThat(Rollups.newestPartStart(jan, mar + 10 * day + 5 * hour, day)).isEqualTo(mar + 10 * day);
    assertThat(Rollups.newestPartStart(jan, mar + 5 * hour, hour)).isEqualTo(mar);           // the last day is a 1st
    assertThat(Rollups.newestPartStart(feb + 5 * day, feb + 9 * day, day)).isEqualTo(feb + 8 * day);
    assertThat(Rollups.newestPartStart(feb + 5 * day + 3 * hour, feb + 5 * day + 9 * hour, hour))
        .isEqualTo(feb + 5 * day + 3 * hour);                                                // within the first day
    assertThat(Rollups.newestPartStart(feb + 7 * hour, feb + 7 * hour, hour)).isEqualTo(feb + 7 * hour); // empty
  }
}
