package dev.rsk.stats.query.lang;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/** The clock's hour and weekday equal java.time's, across summer-time changes and before 1970. */
class LocalClockTest {

  @Test
  void hourAndWeekdayEqualZonedDateTimeEveryQuarterHourOfTwoYears() {
    for (final String zone : new String[] {"UTC", "Europe/Paris", "America/New_York", "Australia/Lord_Howe",
        "Asia/Kolkata"}) {
      final ZoneId z = ZoneId.of(zone);
      final LocalClock clock = new LocalClock(z);
      final long from = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();
      final long to = Instant.parse("2027-01-01T00:00:00Z").toEpochMilli();
      int checked = 0;
      for (long t = from; t < to; t += 15 * 60_000L + 1) {
        final ZonedDateTime expected = Instant.ofEpochMilli(t).atZone(z);
        assertThat(clock.hour(t)).as("%s at %d", zone, t).isEqualTo(expected.getHour());
        assertThat(clock.weekday(t)).as("%s at %d", zone, t).isEqualTo(expected.getDayOfWeek().getValue());
        checked++;
      }
      assertThat(checked).isGreaterThan(70_000);
    }
  }

  @Test
  void jumpsBackAndForthAndBefore1970() {
    final ZoneId z = ZoneId.of("Europe/Paris");
    final LocalClock clock = new LocalClock(z);
    for (final String t : new String[] {"2026-07-01T12:34:56.789Z", "1969-12-31T23:59:59.999Z", "2026-03-29T00:59:59Z",
        "2026-03-29T01:00:00Z", "2026-10-25T00:59:59.999Z", "2026-10-25T01:00:00Z", "1950-06-01T10:00:00Z"}) {
      final long ms = Instant.parse(t).toEpochMilli();
      assertThat(clock.hour(ms)).as(t).isEqualTo(Instant.ofEpochMilli(ms).atZone(z).getHour());
      assertThat(clock.weekday(ms)).as(t).isEqualTo(Instant.ofEpochMilli(ms).atZone(z).getDayOfWeek().getValue());
    }
  }
}
