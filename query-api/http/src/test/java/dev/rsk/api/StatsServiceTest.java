package dev.rsk.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.rsk.api.cluster.ScatterGather;
import dev.rsk.api.internal.InternalApi;
import dev.rsk.api.internal.InternalDtos;
import dev.rsk.api.model.StatsResponse;
import dev.rsk.contract.SketchMapper;
import dev.rsk.sketch.DecoderCache;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.model.AttributeStats;
import dev.rsk.stats.model.NetworkEntry;
import dev.rsk.stats.query.HourRows;
import dev.rsk.stats.testing.Scenes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

  private static final HostInfo A = FixedCluster.A;
  private static final HostInfo B = FixedCluster.B;
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
    return service(answers, List.of()).stats("dog", new Range(T0, T0 + 24 * HOUR));
  }

  /** A stats service over A (partitions 0, 1) and B (2, 3), each answering any question with its part; A alone
   * knows the network {@code learned}. */
  private StatsService service(final Map<HostInfo, InternalDtos.ModuleStats> answers,
      final List<NetworkEntry> learned) {
    close(); // the previous service's, if any
    cluster = FixedCluster.gather(4, Map.of(A, Set.of(0, 1), B, Set.of(2, 3)),
        h -> new Answering(answers.get(h), h.equals(A) ? learned : List.of()));
    return new StatsService(cluster, Duration.ofDays(1), new DecoderCache(), new NetworkService(cluster));
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

  /** {@code n} scenes of one cat and one person each, sketched with {@code spec}: their vectors summed, as a part. */
  private static InternalDtos.Sum sum(final SketchSpec spec, final long seed, final int n, final List<float[]> cats) {
    final Scenes scenes = new Scenes(spec, seed);
    final float[] sum = new float[spec.d()];
    for (int i = 0; i < n; i++) {
      final float[] v = SketchMapper.vector(scenes.scene("s" + i, T0 + i, 1, 0, 1));
      for (int j = 0; j < sum.length; j++) {
        sum[j] += v[j];
      }
    }
    cats.addAll(scenes.cats());
    return new InternalDtos.Sum(Json.params(spec), n, sum);
  }

  private static InternalDtos.ModuleStats withSums(final int k, final InternalDtos.Sum... sums) {
    return new InternalDtos.ModuleStats(k, HourRows.empty(), List.of(), List.of(sums));
  }

  @Test
  void theSumsOfSketchesEstimateMassAndMeanWithinTheirStatedErrors() {
    final SketchSpec spec = SketchSpec.of(256, 11L, 0.5, 0.5);
    final List<float[]> cats = new ArrayList<>();
    final InternalDtos.Sum a = sum(spec, 1, 150, cats);
    final InternalDtos.Sum b = sum(spec, 2, 150, cats);
    // another parameter set, fewer sketches: not combinable, and not the one reported
    final InternalDtos.Sum other = sum(SketchSpec.of(256, 12L, 0.5, 0.5), 3, 10, new ArrayList<>());
    final StatsResponse.SumEstimate e = service(Map.of(A, withSums(4, a), B, withSums(4, b, other)), List.of())
        .stats("cat", new Range(T0, T0 + 24 * HOUR)).fromSums();
    assertThat(e.sketches()).as("both parts of the larger parameter set").isEqualTo(300);
    // docs: massStdError = sqrt(2) ||sum|| / sqrt(d); meanAttributesStdError = ||sum|| / (sqrt(d) r0);
    // mass = sqrt(2) r0
    double squares = 0;
    for (int j = 0; j < 256; j++) {
      final double x = (double) a.sum()[j] + b.sum()[j];
      squares += x * x;
    }
    final double massError = Math.sqrt(2) * Math.sqrt(squares) / Math.sqrt(256);
    assertThat(e.massStdError()).isCloseTo(massError, within(1e-5 * massError));
    // each cat sits one level under the root: alpha = 0.5 of mass
    assertThat(e.mass()).isCloseTo(0.5 * 300, within(4 * e.massStdError()));
    assertThat(e.meanAttributesStdError()).isCloseTo(e.massStdError() / e.mass(), within(1e-6));
    assertThat(e.meanAttributes()).hasSize(4);
    for (int i = 0; i < 4; i++) {
      final int dim = i;
      final double truth = cats.stream().mapToDouble(x -> x[dim]).average().orElseThrow();
      assertThat(e.meanAttributes()[i]).as("dimension %d", i).isCloseTo(truth, within(4 * e.meanAttributesStdError()));
    }
    assertThat(e.count()).as("no learned network: no joint count").isNull();
    assertThat(e.countStdError()).isNull();
    assertThat(e.countMethod()).isNull();
  }

  @Test
  void withTheLearnedNetworkTheSumsAloneCountTheModule() {
    final SketchSpec spec = SketchSpec.of(256, 11L, 0.5, 0.5);
    final StatsService stats = service(Map.of(A, withSums(4, sum(spec, 1, 150, new ArrayList<>())),
        B, withSums(4, sum(spec, 2, 150, new ArrayList<>()))), Scenes.catAndPersonNetwork(300));
    for (final String module : List.of("cat", "person", "eye")) {
      final long truth = module.equals("eye") ? 600 : 300;
      final StatsResponse.SumEstimate e = stats.stats(module, new Range(T0, T0 + 24 * HOUR)).fromSums();
      assertThat(e.countMethod()).as(module).isEqualTo("JOINT");
      assertThat(Math.abs(e.count() - truth)).as("%s: %.3f +- %.3f against %d", module, e.count(),
          e.countStdError(), truth).isLessThanOrEqualTo(0.03 * truth)
          .isLessThanOrEqualTo(Math.max(4 * e.countStdError(), 1e-4 * truth));
    }
  }

  @Test
  void aNetworkLearnedAfterAnAnswerIsUsedByTheNextOneTheSameSumsNotWithstanding() {
    final SketchSpec spec = SketchSpec.of(256, 11L, 0.5, 0.5);
    final List<NetworkEntry> learned = new ArrayList<>();
    final StatsService stats = service(Map.of(A, withSums(4, sum(spec, 1, 150, new ArrayList<>())),
        B, withSums(4, sum(spec, 2, 150, new ArrayList<>()))), learned);
    final Range day = new Range(T0, T0 + 24 * HOUR);
    assertThat(stats.stats("cat", day).fromSums().countMethod()).isNull();
    assertThat(stats.stats("cat", day).fromSums().countMethod()).as("asked again, nothing learned").isNull();
    learned.addAll(Scenes.catAndPersonNetwork(300));
    assertThat(stats.stats("cat", day).fromSums().countMethod()).isEqualTo("JOINT");
  }

  @Test
  void aModuleTheSumsDoNotHoldHasNoMeanOnlyNoiseAroundZeroMass() {
    final SketchSpec spec = SketchSpec.of(256, 11L, 0.5, 0.5);
    final StatsResponse.SumEstimate e = service(Map.of(A, withSums(4, sum(spec, 1, 150, new ArrayList<>())),
        B, withSums(4)), List.of()).stats("dog", new Range(T0, T0 + 24 * HOUR)).fromSums();
    assertThat(e.sketches()).isEqualTo(150);
    assertThat(e.mass()).isCloseTo(0.0, within(4 * e.massStdError()));
    assertThat(e.meanAttributes()).as("r0 within 3 standard errors of 0: no ratio").isNull();
    assertThat(e.meanAttributesStdError()).isNaN();
  }

  @Test
  void sumsOfNoSketchGiveNoEstimate() {
    final InternalDtos.Sum empty = new InternalDtos.Sum(Json.params(SketchSpec.of(256, 11L, 0.5, 0.5)), 0,
        new float[256]);
    assertThat(service(Map.of(A, withSums(4, empty), B, withSums(4)), List.of())
        .stats("cat", new Range(T0, T0 + 24 * HOUR)).fromSums()).isNull();
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

  /** An instance that answers its stats part to any stats question, and its part of the network as it is now. */
  private static final class Answering extends FixedCluster.Silent {
    private final InternalDtos.ModuleStats stats;
    private final List<NetworkEntry> network;

    Answering(final InternalDtos.ModuleStats stats, final List<NetworkEntry> network) {
      this.stats = stats;
      this.network = network;
    }

    @Override
    public InternalDtos.ModuleStats stats(final String module, final long from, final long to,
        final long statsFrom, final long statsTo, final Collection<Integer> partitions, final boolean stale) {
      return stats;
    }

    @Override
    public InternalDtos.Network network(final Collection<Integer> partitions, final boolean stale) {
      return new InternalDtos.Network(List.copyOf(network));
    }
  }
}
