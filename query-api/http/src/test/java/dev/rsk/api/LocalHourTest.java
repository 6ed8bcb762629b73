package dev.rsk.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LocalHourTest {

  @Test
  void equalsJavaTimeInEveryHourOfTwoYearsAcrossZonesAndTransitions() {
    final long start = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();
    for (final ZoneId zone : new ZoneId[] {ZoneOffset.UTC, ZoneId.of("UTC"), ZoneId.of("Asia/Tokyo"),
        ZoneId.of("America/New_York"), ZoneId.of("Europe/London"), ZoneId.of("Australia/Lord_Howe"),
        ZoneOffset.ofHours(-11)}) {
      for (long t = start - 3 * 24 * Range.HOUR_MS; t < start + 2 * 366 * 24 * Range.HOUR_MS; t += Range.HOUR_MS) {
        assertThat(FrequencyService.localHour(t, zone.getRules()))
            .as("%s at %s", zone, Instant.ofEpochMilli(t))
            .isEqualTo(Instant.ofEpochMilli(t).atZone(zone).getHour());
      }
    }
    // before 1970 (negative epoch)
    final long old = Instant.parse("1969-12-31T22:00:00Z").toEpochMilli();
    assertThat(FrequencyService.localHour(old, ZoneOffset.UTC.getRules())).isEqualTo(22);
  }
}
