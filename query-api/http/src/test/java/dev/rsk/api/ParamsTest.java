package dev.rsk.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The query parameters' rules at their boundaries, as docs/api.md states them: every expected value is worked out
 * by hand from the documented limits (defaults: 800-day maximum range, 365-day default range, 10,000 buckets).
 */
class ParamsTest {

  private static final long HOUR = 3_600_000L;
  private static final long DAY = 24 * HOUR;
  /** 2026-12-07T11:30:00Z. */
  private static final long NOW = 1_796_643_000_000L;

  private final Params params = new Params(ApiLimits.defaults(), () -> NOW);

  @Test
  void withNeitherEndTheRangeIsTheLast365DaysWidenedToWholeHours() {
    final Range r = params.range(null, " ");
    // to = 12:00 (11:30 ceiled); from = 11:30 - 365 days, floored to 11:00
    assertThat(r).isEqualTo(new Range(NOW - 365 * DAY - HOUR / 2, NOW + HOUR / 2));
  }

  @Test
  void instantsWithAnOffsetAndDatesAreAccepted() {
    assertThat(params.range("2026-01-01", "2026-01-02T01:00:00+01:00"))
        .isEqualTo(new Range(1_767_225_600_000L, 1_767_225_600_000L + DAY));
    assertThat(Params.instant("from", "1970-01-01T00:00:00Z")).isZero();
    assertThat(Params.instant("to", "9999-12-31T23:59:59Z")).isEqualTo(253_402_300_799_000L);
  }

  @Test
  void instantsOutsideTheAcceptedYearsAreRefusedNamingTheParameter() {
    assertThatThrownBy(() -> Params.instant("from", "1969-12-31T23:59:59.999Z"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessageContaining("'from' must be between 1970-01-01 and 9999-12-31");
    assertThatThrownBy(() -> Params.instant("to", "+10000-01-01T00:00:00Z"))
        .isInstanceOf(ApiException.class).hasMessageContaining("'to'");
    assertThatThrownBy(() -> Params.instant("to", "yesterday"))
        .isInstanceOf(ApiException.class).hasMessageContaining("'to' is not an ISO-8601 instant");
  }

  @Test
  void fromMustBeBeforeTo() {
    assertThatThrownBy(() -> params.range("2026-01-02", "2026-01-02"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessageContaining("'from' (2026-01-02T00:00:00Z) must be before 'to' (2026-01-02T00:00:00Z)");
    assertThat(params.range("2026-01-02T00:00:00Z", "2026-01-02T00:00:00.001Z"))
        .isEqualTo(new Range(1_767_312_000_000L, 1_767_312_000_000L + HOUR));
  }

  @Test
  void aRangeOfExactly800DaysIsAcceptedAndOneMillisecondMoreIsNot() {
    final long to = 1_767_225_600_000L; // 2026-01-01
    final long from = to - 800 * DAY;
    assertThat(params.range(Instant.ofEpochMilli(from).toString(), "2026-01-01"))
        .isEqualTo(new Range(from, to));
    assertThatThrownBy(() -> params.range(Instant.ofEpochMilli(from - 1).toString(), "2026-01-01"))
        .isInstanceOf(ApiException.class).hasMessageContaining("longer than the maximum 800 days");
  }

  @Test
  void theDefaultBucketIsADayAndABucketMustBeWholePositiveHours() {
    final Range day = new Range(0, DAY);
    assertThat(params.bucket(null, day)).isEqualTo(Duration.ofDays(1));
    assertThat(params.bucket("", day)).isEqualTo(Duration.ofDays(1));
    assertThat(params.bucket("PT6H", day)).isEqualTo(Duration.ofHours(6));
    for (final String bad : new String[] {"PT0S", "-PT1H", "PT90M", "PT1H0.001S"}) {
      assertThatThrownBy(() -> params.bucket(bad, day)).as(bad)
          .isInstanceOf(ApiException.class).hasMessageContaining("positive whole number of hours");
    }
    assertThatThrownBy(() -> params.bucket("P1M", day))
        .isInstanceOf(ApiException.class).hasMessageContaining("unknown bucket 'P1M'");
  }

  @Test
  void tenThousandBucketsAreAcceptedAndOneMoreIsNot() {
    final long from = 1_767_225_600_000L; // 2026-01-01: the count is of the range's length, not of its end
    final Range exact = new Range(from, from + 10_000 * HOUR);
    assertThat(params.bucket("PT1H", exact)).isEqualTo(Duration.ofHours(1));
    // a partial last bucket counts: 10,000 hours and one more hour's start is 10,001 buckets
    final Range over = new Range(from, from + 10_000 * HOUR + 1);
    assertThatThrownBy(() -> params.bucket("PT1H", over))
        .isInstanceOf(ApiException.class).hasMessageContaining("10001 buckets of PT1H exceed the maximum of 10000");
    assertThat(params.bucket("PT2H", over)).isEqualTo(Duration.ofHours(2));
  }

  @Test
  void zonesDefaultToUtcAndUnknownOnesAreA400() {
    assertThat(Params.zone(null)).isEqualTo(ZoneOffset.UTC);
    assertThat(Params.zone("Europe/Paris")).isEqualTo(ZoneId.of("Europe/Paris"));
    assertThat(Params.zone("+02:00")).isEqualTo(ZoneOffset.ofHours(2));
    assertThatThrownBy(() -> Params.zone("Mars/Olympus"))
        .isInstanceOf(ApiException.class).hasMessageContaining("unknown time zone 'Mars/Olympus'");
  }

  @Test
  void partitionListsAndLongParameters() {
    assertThat(Params.partitions(null)).isEmpty();
    assertThat(Params.partitions("3, 1,3")).containsExactly(1, 3);
    assertThat(Params.partitions("2")).isEqualTo(Set.of(2));
    assertThatThrownBy(() -> Params.partitions("1,x"))
        .isInstanceOf(ApiException.class).hasMessageContaining("comma-separated list of integers: '1,x'");
    assertThat(Params.longParam("since", "-5")).isEqualTo(-5L);
    assertThatThrownBy(() -> Params.longParam("since", "5.0"))
        .isInstanceOf(ApiException.class).hasMessageContaining("parameter 'since' must be an integer");
  }

  @Test
  void aQueryParameterTheOperationDoesNotDeclareIsA400NamingWhatItTakes() {
    final List<String> declared = List.of("from", "to", "zone");
    final String op = "GET /v1/modules/{module}/hours";
    Params.onlyDeclared(op, Map.of("from", List.of("2026-01-01"), "zone", List.of("")), declared);
    Params.onlyDeclared(op, Map.of(), declared);
    assertThatThrownBy(() -> Params.onlyDeclared(op, Map.of("zoen", List.of("Europe/Paris")), declared))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessage("unknown query parameter 'zoen': GET /v1/modules/{module}/hours takes from, to, zone");
    assertThatThrownBy(() -> Params.onlyDeclared("GET /v1/network", Map.of("limit", List.of("2")), List.of()))
        .hasMessage("unknown query parameter 'limit': GET /v1/network takes none");
    // Names are case-sensitive, as the routes read them.
    assertThatThrownBy(() -> Params.onlyDeclared(op, Map.of("From", List.of("2026-01-01")), declared))
        .hasMessageStartingWith("unknown query parameter 'From'");
  }

  @Test
  void aQueryParameterGivenTwiceIsA400EvenWithTheSameValue() {
    final Map<String, List<String>> given = new LinkedHashMap<>();
    given.put("from", List.of("2026-01-01"));
    given.put("bucket", List.of("P1D", "P1D"));
    assertThatThrownBy(() -> Params.onlyDeclared("GET f", given, List.of("from", "to", "bucket")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessage("query parameter 'bucket' is given 2 times: give it once");
  }

  @Test
  void aHugeUnknownNameIsRepeatedOnlyInPart() {
    final String hundred = "y".repeat(100);
    assertThatThrownBy(() -> Params.onlyDeclared("GET f", Map.of(hundred, List.of("1")), List.of("k")))
        .hasMessage("unknown query parameter '" + hundred + "': GET f takes k");
    final String name = "x".repeat(5_000);
    assertThatThrownBy(() -> Params.onlyDeclared("GET f", Map.of(name, List.of("1")), List.of("k")))
        .hasMessage("unknown query parameter '" + "x".repeat(100) + "...': GET f takes k");
  }
}
