package dev.rsk.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rsk.api.cluster.ScatterGather;
import dev.rsk.api.internal.InternalApi;
import dev.rsk.api.internal.InternalDtos;
import dev.rsk.api.model.FrequencyResponse;
import dev.rsk.api.model.HoursResponse;
import dev.rsk.api.model.InstanceStatus;
import dev.rsk.stats.query.HourRows;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Frequency and hours answers summed from two partitions' hourly rows, on two instances, without Kafka or HTTP:
 * every expected count below is worked out by hand from the rows.
 */
class FrequencyServiceTest {

  static final HostInfo A = FixedCluster.A;
  static final HostInfo B = FixedCluster.B;
  static final long DAY = 24 * Range.HOUR_MS;
  static final long MAR1 = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();

  /** Partition 0 (on A): [hour, inferences, with the module, objects]. */
  static final long[] P0 = {
      at("2026-03-01T05:00:00Z"), 3, 1, 2,
      at("2026-03-02T23:00:00Z"), 4, 4, 9};
  /** Partition 1 (on B). */
  static final long[] P1 = {
      at("2026-03-01T05:00:00Z"), 2, 0, 0,
      at("2026-03-02T00:00:00Z"), 1, 1, 1};

  private final List<String> asked = new ArrayList<>();
  private ScatterGather<InternalApi> cluster;

  @AfterEach
  void close() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static long at(final String instant) {
    return Instant.parse(instant).toEpochMilli();
  }

  /** The module is known on A with attribute length {@code aLength} and on B with {@code bLength}. */
  private FrequencyService over(final long[] a, final long[] b, final int aLength, final int bLength) {
    cluster = FixedCluster.gather(2, Map.of(A, Set.of(0), B, Set.of(1)),
        h -> h.equals(A) ? new Rows(aLength, a) : new Rows(bLength, b));
    return new FrequencyService(cluster);
  }

  private FrequencyService known(final long[] a, final long[] b) {
    return over(a, b, 0, 0);
  }

  @Test
  void dailyBucketsSumBothPartitionsAndTheTotalsAreExact() {
    final FrequencyResponse f = known(P0, P1).frequency("cat", new Range(MAR1, MAR1 + 2 * DAY), Duration.ofDays(1));
    assertThat(f.buckets()).containsExactly(
        new FrequencyResponse.Bucket("2026-03-01T00:00:00Z", 5, 1, 2),
        new FrequencyResponse.Bucket("2026-03-02T00:00:00Z", 5, 5, 10));
    assertThat(new long[] {f.inferences(), f.withModule(), f.objects()}).containsExactly(10, 6, 12);
    assertThat(f.fraction()).isEqualTo(0.6);
    assertThat(f.bucket()).isEqualTo("P1D");
    assertThat(f.from()).isEqualTo("2026-03-01T00:00:00Z");
    assertThat(f.to()).isEqualTo("2026-03-03T00:00:00Z");
    assertThat(f.exact()).isTrue();
    assertThat(f.stale()).isFalse();
    assertThat(f.instances()).containsExactlyInAnyOrder(new InstanceStatus("a:1", List.of(0), "ok"),
        new InstanceStatus("b:2", List.of(1), "ok"));
    assertThat(asked).containsExactlyInAnyOrder("cat " + MAR1 + ".." + (MAR1 + 2 * DAY) + " [0] false",
        "cat " + MAR1 + ".." + (MAR1 + 2 * DAY) + " [1] false");
  }

  @Test
  void everyBucketIsListedTheEmptyOnesTooAndTheLastMayBeShort() {
    final FrequencyResponse half = known(P0, P1).frequency("cat", new Range(MAR1, MAR1 + 2 * DAY),
        Duration.ofHours(12));
    assertThat(half.bucket()).isEqualTo("PT12H");
    assertThat(half.buckets()).containsExactly(
        new FrequencyResponse.Bucket("2026-03-01T00:00:00Z", 5, 1, 2),
        new FrequencyResponse.Bucket("2026-03-01T12:00:00Z", 0, 0, 0),
        new FrequencyResponse.Bucket("2026-03-02T00:00:00Z", 1, 1, 1),
        new FrequencyResponse.Bucket("2026-03-02T12:00:00Z", 4, 4, 9));

    // 25 hours in daily buckets: two, the second of one hour
    final FrequencyResponse short2 = known(P0, P1).frequency("cat", new Range(MAR1, MAR1 + DAY + Range.HOUR_MS),
        Duration.ofDays(1));
    assertThat(short2.buckets()).containsExactly(
        new FrequencyResponse.Bucket("2026-03-01T00:00:00Z", 5, 1, 2),
        new FrequencyResponse.Bucket("2026-03-02T00:00:00Z", 1, 1, 1));
    assertThat(short2.inferences()).isEqualTo(6);
  }

  @Test
  void noInferencesIsAFractionOfZeroNotNaN() {
    final FrequencyResponse none = known(new long[0], new long[0]).frequency("cat",
        new Range(MAR1, MAR1 + DAY), Duration.ofDays(1));
    assertThat(none.fraction()).isEqualTo(0.0);
    assertThat(none.buckets()).containsExactly(new FrequencyResponse.Bucket("2026-03-01T00:00:00Z", 0, 0, 0));
  }

  @Test
  void hoursOfTheDayInUtcAndInAZoneAheadOfIt() {
    final HoursResponse utc = known(P0, P1).hours("cat", new Range(MAR1, MAR1 + 2 * DAY), ZoneId.of("UTC"));
    assertThat(utc.hours()).hasSize(24);
    assertThat(utc.hours().get(5)).isEqualTo(new HoursResponse.Hour(5, 5, 1, 0.2));
    assertThat(utc.hours().get(23)).isEqualTo(new HoursResponse.Hour(23, 4, 4, 1.0));
    assertThat(utc.hours().get(0)).isEqualTo(new HoursResponse.Hour(0, 1, 1, 1.0));
    assertThat(utc.hours().get(12)).isEqualTo(new HoursResponse.Hour(12, 0, 0, 0.0));
    assertThat(utc.peakHour()).isEqualTo(23);
    assertThat(new long[] {utc.inferences(), utc.withModule()}).containsExactly(10, 6);
    assertThat(utc.zone()).isEqualTo("UTC");

    // Tokyo is UTC+9: 05:00Z is 14h, 23:00Z is 8h, 00:00Z is 9h
    final HoursResponse tokyo = known(P0, P1).hours("cat", new Range(MAR1, MAR1 + 2 * DAY),
        ZoneId.of("Asia/Tokyo"));
    assertThat(tokyo.hours().get(14).inferences()).isEqualTo(5);
    assertThat(tokyo.hours().get(8).withModule()).isEqualTo(4);
    assertThat(tokyo.hours().get(9).withModule()).isEqualTo(1);
    assertThat(tokyo.peakHour()).isEqualTo(8);
  }

  @Test
  void aHalfHourZoneCountsAnHourUnderTheLocalHourItsStartFallsIn() {
    // Kolkata is UTC+5:30: 05:00Z is 10:30 (10h), 23:00Z is 04:30 (4h), 00:00Z is 05:30 (5h)
    final HoursResponse h = known(P0, P1).hours("cat", new Range(MAR1, MAR1 + 2 * DAY), ZoneId.of("Asia/Kolkata"));
    assertThat(h.hours().get(10).inferences()).isEqualTo(5);
    assertThat(h.hours().get(4).withModule()).isEqualTo(4);
    assertThat(h.hours().get(5).withModule()).isEqualTo(1);
    assertThat(FrequencyService.localHour(at("2026-03-01T23:59:59Z"), ZoneId.of("Asia/Kolkata").getRules()))
        .isEqualTo(5);
    assertThat(FrequencyService.localHour(at("1969-12-31T23:30:00Z"), ZoneId.of("UTC").getRules()))
        .as("before the epoch").isEqualTo(23);
  }

  @Test
  void thePeakIsTheEarliestOfEqualHoursAndNoneWithoutTheModule() {
    final long[] tie = {at("2026-03-01T03:00:00Z"), 2, 2, 2, at("2026-03-01T07:00:00Z"), 5, 2, 2};
    assertThat(known(tie, new long[0]).hours("cat", new Range(MAR1, MAR1 + DAY), ZoneId.of("UTC")).peakHour())
        .isEqualTo(3);
    final long[] midnight = {at("2026-03-01T00:00:00Z"), 3, 3, 3, at("2026-03-01T05:00:00Z"), 1, 1, 1};
    assertThat(known(midnight, new long[0]).hours("cat", new Range(MAR1, MAR1 + DAY), ZoneId.of("UTC")).peakHour())
        .as("hour 0 is a peak like any other").isZero();
    final long[] without = {at("2026-03-01T03:00:00Z"), 2, 0, 0};
    assertThat(known(without, new long[0]).hours("cat", new Range(MAR1, MAR1 + DAY), ZoneId.of("UTC")).peakHour())
        .isEqualTo(-1);
  }

  @Test
  void aModuleNoPartitionKnowsIs404AndOneThatOnePartitionKnowsIsNot() {
    assertThatThrownBy(() -> over(new long[0], new long[0], -1, -1).frequency("unicorn",
        new Range(MAR1, MAR1 + DAY), Duration.ofDays(1))).isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.status()).isEqualTo(404);
          assertThat(e.getMessage()).isEqualTo("module 'unicorn' has never been seen");
        });
    assertThatThrownBy(() -> over(new long[0], new long[0], -1, -1).hours("unicorn",
        new Range(MAR1, MAR1 + DAY), ZoneId.of("UTC"))).isInstanceOf(ApiException.class);
    assertThat(over(new long[0], P1, -1, 0).frequency("cat", new Range(MAR1, MAR1 + 2 * DAY), Duration.ofDays(1))
        .inferences()).isEqualTo(3);
  }

  @Test
  void aBucketIsWrittenInDaysWhenItIsWholeDays() {
    assertThat(FrequencyService.iso(Duration.ofDays(1))).isEqualTo("P1D");
    assertThat(FrequencyService.iso(Duration.ofDays(7))).isEqualTo("P7D");
    assertThat(FrequencyService.iso(Duration.ofHours(36))).isEqualTo("PT36H");
    assertThat(FrequencyService.iso(Duration.ofHours(1))).isEqualTo("PT1H");
  }

  /** An instance with hourly rows only (those of the range asked, as a store read gives); says what it was asked. */
  private final class Rows extends FixedCluster.Silent {
    private final int attributeLength;
    private final long[] rows;

    Rows(final int attributeLength, final long[] rows) {
      this.attributeLength = attributeLength;
      this.rows = rows;
    }

    @Override
    public InternalDtos.Hourly hourly(final String module, final long from, final long to,
        final Collection<Integer> partitions, final boolean stale) {
      synchronized (asked) {
        asked.add(module + " " + from + ".." + to + " " + partitions + " " + stale);
      }
      // as a store read does: the rows of [from, to) only
      final long[] in = IntStream.range(0, rows.length / 4)
          .filter(r -> rows[4 * r] >= from && rows[4 * r] < to)
          .flatMap(r -> IntStream.range(4 * r, 4 * r + 4)).mapToLong(i -> rows[i]).toArray();
      return new InternalDtos.Hourly(attributeLength, HourRows.flat(in));
    }
  }
}
