package dev.rsk.api;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/** Parsing and validation of query parameters; every failure is a 400 naming the parameter. */
public final class Params {

  private final ApiLimits limits;
  private final LongSupplier clock;

  public Params(final ApiLimits limits, final LongSupplier clock) {
    this.limits = limits;
    this.clock = clock;
  }

  /**
   * The [from, to) range: ISO-8601 instants ({@code 2026-01-01T00:00:00Z}, with an offset, or a date
   * meaning its UTC midnight); {@code to} defaults to now, {@code from} to {@code to - defaultRange};
   * from is floored and to ceiled to whole hours. 400 if unparseable, from not before to, or longer than
   * the maximum range.
   */
  public Range range(final String fromText, final String toText) {
    final long now = clock.getAsLong();
    final long to = toText == null || toText.isBlank() ? now : instant("to", toText);
    final long from = fromText == null || fromText.isBlank()
        ? Math.max(0, to - limits.defaultRange().toMillis()) : instant("from", fromText);
    if (from >= to) {
      throw ApiException.badRequest("'from' (" + Instant.ofEpochMilli(from) + ") must be before 'to' ("
          + Instant.ofEpochMilli(to) + ")");
    }
    if (to - from > limits.maxRange().toMillis()) {
      throw ApiException.badRequest("range from " + Instant.ofEpochMilli(from) + " to " + Instant.ofEpochMilli(to)
          + " is longer than the maximum " + limits.maxRange().toDays() + " days");
    }
    return new Range(from, to).widenTo(Range.HOUR_MS);
  }

  /** Latest accepted instant: 9999-12-31T23:59:59Z. */
  static final long MAX_INSTANT_MS = 253_402_300_799_000L;

  static long instant(final String name, final String text) {
    final long ms;
    try {
      ms = parse(text);
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest("parameter '" + name + "' is not an ISO-8601 instant (e.g. "
          + "2026-01-01T00:00:00Z) or date: '" + text + "'");
    } catch (ArithmeticException | DateTimeException e) {
      throw ApiException.badRequest("parameter '" + name + "' is out of range: '" + text + "'");
    }
    if (ms < 0 || ms > MAX_INSTANT_MS) {
      throw ApiException.badRequest("parameter '" + name + "' must be between 1970-01-01 and 9999-12-31: '"
          + text + "'");
    }
    return ms;
  }

  private static long parse(final String text) {
    try {
      return Instant.parse(text).toEpochMilli(); // with Z or an offset (ISO_INSTANT parses offsets since Java 12)
    } catch (DateTimeParseException e) {
      return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }
  }

  /**
   * The bucket: an ISO-8601 duration (PT1H, PT6H, P1D, P7D...) that is a positive whole number of hours,
   * with at most maxBuckets buckets over the range. Months and years are not fixed durations: 400.
   */
  public Duration bucket(final String text, final Range range) {
    final Duration bucket;
    try {
      bucket = text == null || text.isBlank() ? Duration.ofDays(1) : Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest("unknown bucket '" + text + "': give an ISO-8601 duration of whole hours "
          + "such as PT1H, PT6H, P1D or P7D (months and years are not fixed durations)");
    }
    if (bucket.isNegative() || bucket.isZero() || bucket.toMillis() % Range.HOUR_MS != 0) {
      throw ApiException.badRequest("bucket must be a positive whole number of hours: '" + text + "'");
    }
    final long n = (range.toMs() - range.fromMs() + bucket.toMillis() - 1) / bucket.toMillis();
    if (n > limits.maxBuckets()) {
      throw ApiException.badRequest(n + " buckets of " + bucket + " exceed the maximum of " + limits.maxBuckets()
          + "; use a larger bucket or a shorter range");
    }
    return bucket;
  }

  /** A time-zone id (Europe/Paris, UTC, +02:00); default UTC. */
  public static ZoneId zone(final String text) {
    if (text == null || text.isBlank()) {
      return ZoneOffset.UTC;
    }
    try {
      return ZoneId.of(text);
    } catch (DateTimeException e) {
      throw ApiException.badRequest("unknown time zone '" + text + "': give an IANA id such as Europe/Paris, "
          + "or an offset such as +02:00");
    }
  }

  /** Longest parameter name an error message repeats. */
  static final int MAX_ECHOED_NAME = 100;

  /**
   * Rejects a query parameter that {@code operation} does not declare, or one given more than once: a typo such as
   * {@code zoen=Europe/Paris} would otherwise leave the default in place and answer another question with a 200.
   *
   * @param given every query parameter of the request, with its values in order
   * @param declared the parameters of {@code operation} in openapi.json (their order is the message's)
   * @throws ApiException 400 naming the parameter and what the operation takes
   */
  public static void onlyDeclared(final String operation, final Map<String, List<String>> given,
      final Collection<String> declared) {
    for (final Map.Entry<String, List<String>> p : given.entrySet()) {
      final String name = p.getKey().length() > MAX_ECHOED_NAME
          ? p.getKey().substring(0, MAX_ECHOED_NAME) + "..." : p.getKey();
      if (!declared.contains(p.getKey())) {
        throw ApiException.badRequest("unknown query parameter '" + name + "': " + operation
            + (declared.isEmpty() ? " takes none" : " takes " + String.join(", ", declared)));
      }
      if (p.getValue().size() > 1) {
        throw ApiException.badRequest("query parameter '" + name + "' is given " + p.getValue().size()
            + " times: give it once");
      }
    }
  }

  /** Internal routes: a comma-separated partition list. */
  public static Set<Integer> partitions(final String text) {
    final Set<Integer> out = new TreeSet<>();
    if (text == null || text.isBlank()) {
      return out;
    }
    try {
      for (final String p : text.split(",")) {
        out.add(Integer.parseInt(p.trim()));
      }
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("partitions must be a comma-separated list of integers: '" + text + "'");
    }
    return out;
  }

  /** Internal routes: a long parameter (epoch ms). */
  public static long longParam(final String name, final String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("parameter '" + name + "' must be an integer: '" + text + "'");
    }
  }
}
