package dev.rsk.stats.query.lang;

import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

/**
 * Hour of day and ISO weekday of epoch milliseconds in one zone, without a {@code ZonedDateTime} per
 * record: the zone's offset is looked up once per span between two of its transitions (twice a year for a
 * zone with summer time, once for UTC) and the local time is then integer arithmetic. Exactly what {@code
 * Instant.atZone(zone)} gives. Not thread-safe: one per scan.
 */
final class LocalClock {

  private static final long DAY_S = 86_400;

  private final ZoneRules rules;
  private long validFrom = Long.MAX_VALUE;
  private long validTo = Long.MIN_VALUE;
  private int offset;

  LocalClock(final ZoneId zone) {
    this.rules = zone.getRules();
  }

  /** Hour of the day, 0..23. */
  int hour(final long epochMs) {
    return (int) (Math.floorMod(local(epochMs), DAY_S) / 3600);
  }

  /** ISO day of the week, 1 (Monday) .. 7 (Sunday). */
  int weekday(final long epochMs) {
    // 1970-01-01, epoch day 0, was a Thursday (4)
    return (int) Math.floorMod(Math.floorDiv(local(epochMs), DAY_S) + 3, 7) + 1;
  }

  private long local(final long epochMs) {
    final long s = Math.floorDiv(epochMs, 1000);
    if (s < validFrom || s >= validTo) {
      span(s);
    }
    return s + offset;
  }

  /** The offset at {@code s} and the span [validFrom, validTo) of seconds around it that share it. */
  private void span(final long s) {
    final Instant t = Instant.ofEpochSecond(s);
    offset = rules.getOffset(t).getTotalSeconds();
    if (rules.isFixedOffset()) {
      validFrom = Long.MIN_VALUE;
      validTo = Long.MAX_VALUE;
      return;
    }
    // transitions are on whole seconds: the last one at or before s, the first one after it
    final ZoneOffsetTransition previous = rules.previousTransition(t.plusSeconds(1));
    final ZoneOffsetTransition next = rules.nextTransition(t);
    validFrom = previous == null ? Long.MIN_VALUE : previous.toEpochSecond();
    validTo = next == null ? Long.MAX_VALUE : next.toEpochSecond();
  }
}
