package dev.rsk.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rsk.api.cluster.ClusterMetadata;
import dev.rsk.api.cluster.ScatterGather;
import dev.rsk.api.internal.InternalApi;
import dev.rsk.api.internal.InternalDtos;
import dev.rsk.api.model.StatsResponse;
import dev.rsk.api.model.StoredSketch;
import dev.rsk.sketch.DecoderCache;
import dev.rsk.stats.model.AttributeStats;
import dev.rsk.stats.query.HourRows;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The stats answer from two instances of a fixed placement, answering from hand-built hour rows and statistics
 * images; no Kafka. Counts are summed over every partition; each dimension's statistics are checked against values
 * worked out by hand. When a module's attribute length differs between partitions (the processor fixes a module's
 * length per partition, so two partitions can each have accepted another first length), the statistics are those
 * of the answer's {@code attributeLength}, and the observations of the other length are counted in
 * {@code otherLengthObservations}, never dropped silently. The estimate from sums of sketches is left to the HTTP
 * tests (it needs real sketches).
 */
class StatsServiceTest {

  private static final HostInfo A = new HostInfo("a", 1);
  private static final HostInfo B = new HostInfo("b", 2);
  private static final long T0 = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
  private static final long HOUR = 3_600_000L;

  private ScatterGather<InternalApi> cluster;

  @AfterEach
  void close() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Statistics of {@code n} observations of one object each, every dimension of observation j equal to j + 1. */
  private static String image(final int k, final int n) {
    final AttributeStats s = new AttributeStats(k, AttributeStats.DEFAULT_KLL_K);
    for (int j = 0; j < n; j++) {
      final double[] sum = new double[k];
      final double[] square = new double[k];
      java.util.Arrays.fill(sum, j + 1);
      java.util.Arrays.fill(square, (j + 1) * (j + 1));
      s.addExact(1, sum, square);
    }
    return Base64.getEncoder().encodeToString(s.toBytes());
  }

  private StatsResponse ask(final Map<HostInfo, InternalDtos.ModuleStats> answers) {
    final ClusterMetadata metadata = new ClusterMetadata() {
      @Override
      public HostInfo self() {
        return A;
      }

      @Override
      public Assignment partitionsPerInstance() {
        return new Assignment(Map.of(A, Set.of(0, 1), B, Set.of(2, 3)), Map.of(), 4);
      }

      @Override
      public KeyQueryMetadata owner(final String key) {
        throw new UnsupportedOperationException();
      }
    };
    close(); // the previous ask's, if any
    cluster = new ScatterGather<>(metadata, h -> new Answering(answers.get(h)), ApiLimits.defaults());
    final StatsService stats = new StatsService(cluster, Duration.ofDays(1), new DecoderCache(),
        new NetworkService(cluster));
    return stats.stats("dog", new Range(T0, T0 + 24 * 3_600_000L));
  }

  @Test
  void countsAreSummedOverEveryPartitionsHourRows() {
    final StatsResponse r = ask(Map.of(
        A, new InternalDtos.ModuleStats(4, HourRows.flat(new long[] {T0, 3, 1, 2, T0 + HOUR, 2, 2, 5}), List.of(),
            List.of()),
        B, new InternalDtos.ModuleStats(4, HourRows.flat(new long[] {T0 + 5 * HOUR, 4, 0, 0}), List.of(),
            List.of())));
    assertThat(new long[] {r.inferences(), r.withModule(), r.objects()}).containsExactly(9, 3, 7);
    assertThat(r.observations()).isZero();
    assertThat(r.attributes()).isEmpty();
    assertThat(r.fromSums()).as("no sums of sketches in the range").isNull();
    assertThat(r.from()).isEqualTo("2026-03-01T00:00:00Z");
    assertThat(r.statsFrom()).isEqualTo("2026-03-01T00:00:00Z");
    assertThat(r.statsTo()).isEqualTo("2026-03-02T00:00:00Z");
  }

  @Test
  void eachDimensionsStatisticsAreThoseOfItsObservations() {
    // 3 observations of one object each, values 1, 2, 3 on every dimension: mean 2, sample variance
    // ((1 + 4 + 9) - 6 * 6 / 3) / 2 = 1; per-inference means 1, 2, 3, so p25 is 1, p50 2, p75 3 (inclusive ranks)
    final StatsResponse r = ask(Map.of(
        A, new InternalDtos.ModuleStats(2, HourRows.empty(), List.of(image(2, 3)), List.of()),
        B, new InternalDtos.ModuleStats(2, HourRows.empty(), List.of(), List.of())));
    assertThat(r.exactDimensions()).isEqualTo(2);
    assertThat(r.attributeObjects()).isEqualTo(3);
    final StatsResponse.Dimension d = r.attributes().get(1);
    assertThat(d.dimension()).isEqualTo(1);
    assertThat(new double[] {d.mean(), d.variance(), d.stddev(), d.min(), d.max()})
        .containsExactly(2.0, 1.0, 1.0, 1.0, 3.0);
    assertThat(d.quantiles()).containsExactly(Map.entry("p01", 1.0), Map.entry("p05", 1.0), Map.entry("p25", 1.0),
        Map.entry("p50", 2.0), Map.entry("p75", 3.0), Map.entry("p95", 3.0), Map.entry("p99", 3.0));
  }

  @Test
  void statisticsWithNoObservationListNoDimension() {
    final StatsResponse r = ask(Map.of(
        A, new InternalDtos.ModuleStats(3, HourRows.empty(), List.of(image(3, 0)), List.of()),
        B, new InternalDtos.ModuleStats(3, HourRows.empty(), List.of(), List.of())));
    assertThat(r.observations()).isZero();
    assertThat(r.exactDimensions()).isZero();
    assertThat(r.attributes()).isEmpty();
  }

  @Test
  void aModuleNoPartitionKnowsIs404AndOneWithoutAttributesIsNot() {
    final InternalDtos.ModuleStats unknown = new InternalDtos.ModuleStats(-1, HourRows.empty(), List.of(), List.of());
    assertThatThrownBy(() -> ask(Map.of(A, unknown, B, unknown))).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.status()).isEqualTo(404);
      assertThat(e.getMessage()).isEqualTo("module 'dog' has never been seen");
    });
    final StatsResponse r = ask(Map.of(A, unknown,
        B, new InternalDtos.ModuleStats(0, HourRows.flat(new long[] {T0, 1, 1, 1}), List.of(), List.of())));
    assertThat(r.attributeLength()).isZero();
    assertThat(r.withModule()).isEqualTo(1);
  }

  @Test
  void theOtherLengthsObservationsAreCountedApartFromTheStatistics() {
    // instance a: 3 observations of k = 4 (values 1, 2, 3); instance b: 2 of k = 5 and 1 of k = 4 (value 1)
    final StatsResponse r = ask(Map.of(
        A, new InternalDtos.ModuleStats(4, HourRows.empty(), List.of(image(4, 3)), List.of()),
        B, new InternalDtos.ModuleStats(5, HourRows.empty(), List.of(image(4, 1), image(5, 2)), List.of())));
    assertThat(r.attributeLength()).isEqualTo(5);
    assertThat(r.observations()).isEqualTo(2);
    assertThat(r.otherLengthObservations()).isEqualTo(4);
    assertThat(r.attributes()).hasSize(5);
    assertThat(r.attributes().get(4).mean()).isEqualTo(1.5); // (1 + 2) / 2
  }

  @Test
  void oneLengthEverywhereMergesEveryPartAndCountsNothingApart() {
    final StatsResponse r = ask(Map.of(
        A, new InternalDtos.ModuleStats(4, HourRows.empty(), List.of(image(4, 3)), List.of()),
        B, new InternalDtos.ModuleStats(4, HourRows.empty(), List.of(image(4, 1)), List.of())));
    assertThat(r.attributeLength()).isEqualTo(4);
    assertThat(r.observations()).isEqualTo(4);
    assertThat(r.otherLengthObservations()).isZero();
    assertThat(r.attributes().get(0).mean()).isEqualTo(7.0 / 4); // (1 + 2 + 3 + 1) / 4
  }

  @Test
  void onlyOtherLengthsInTheRangeGiveNoStatisticsAndSaySo() {
    final StatsResponse r = ask(Map.of(
        A, new InternalDtos.ModuleStats(5, HourRows.empty(), List.of(image(4, 3)), List.of()),
        B, new InternalDtos.ModuleStats(5, HourRows.empty(), List.of(), List.of())));
    assertThat(r.observations()).isZero();
    assertThat(r.otherLengthObservations()).isEqualTo(3);
    assertThat(r.attributes()).isEmpty();
  }

  /** An instance whose only answer is its stats part. */
  private record Answering(InternalDtos.ModuleStats stats) implements InternalApi {
    @Override
    public InternalDtos.Catalogue catalogue(final Collection<Integer> partitions, final boolean stale) {
      throw new UnsupportedOperationException();
    }

    @Override
    public InternalDtos.Network network(final Collection<Integer> partitions, final boolean stale) {
      throw new UnsupportedOperationException();
    }

    @Override
    public InternalDtos.Hourly hourly(final String module, final long from, final long to,
        final Collection<Integer> partitions, final boolean stale) {
      throw new UnsupportedOperationException();
    }

    @Override
    public InternalDtos.ModuleStats stats(final String module, final long from, final long to,
        final long statsFrom, final long statsTo, final Collection<Integer> partitions, final boolean stale) {
      return stats;
    }

    @Override
    public StoredSketch sketch(final String inferenceId, final int partition, final boolean stale) {
      throw new UnsupportedOperationException();
    }

    @Override
    public InternalDtos.SimilarAnswer similar(final InternalDtos.SimilarQuery query) {
      throw new UnsupportedOperationException();
    }
  }
}
