package dev.rsk.stats;

import dev.rsk.contract.SketchMapper;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.sketch.SketchDecoder;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.model.AttributeStats;
import dev.rsk.stats.model.CatalogueEntry;
import dev.rsk.stats.model.DayCounts;
import dev.rsk.stats.model.PresenceCounts;
import dev.rsk.stats.model.SketchSum;
import dev.rsk.stats.query.LocalStatsQueries;
import dev.rsk.stats.serde.StatsSerdes;
import dev.rsk.stats.testing.DriverProps;
import dev.rsk.stats.testing.DriverStores;
import dev.rsk.stats.testing.Scenes;
import dev.rsk.stats.testing.Stored;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The stats topology on TopologyTestDriver (real RocksDB stores) against ground truth computed here. */
class StatsTopologyTest {

  private static final long T0 = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
  private static final long HOUR = 3_600_000L;
  private static final SketchSpec SPEC = SketchSpec.of(1024, 42L, 0.5, 0.5);

  @TempDir java.nio.file.Path stateDir;
  private TopologyTestDriver driver;
  private TestInputTopic<String, InferenceSketch> input;
  private final Scenes scenes = new Scenes(SPEC, 7);
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @BeforeEach
  void setUp() {
    start(config(), stateDir);
  }

  private static StatsConfig config() {
    return StatsConfig.defaults(StatsSerdes.inferenceSketchBinary())
        .withRetention(Duration.ofDays(400), Duration.ofDays(400), Duration.ofDays(30));
  }

  private void start(final StatsConfig config, final java.nio.file.Path dir) {
    final Properties props = DriverProps.withDeadLetters("stats-test", dir);
    driver = new TopologyTestDriver(StatsTopology.buildTopology(config, meters), props);
    input = driver.createInputTopic("sketches", new StringSerializer(),
        StatsSerdes.inferenceSketchBinary().serializer());
  }

  @AfterEach
  void tearDown() {
    driver.close();
  }

  @Test
  void exactCountsCatalogueAndSumsMatchGroundTruth() {
    final Map<Long, long[]> truth = new HashMap<>(); // hour -> inferences, withCat, cats
    final float[] vectorSum = new float[SPEC.d()];
    long totalCats = 0;
    long catInferences = 0;
    for (int i = 0; i < 60; i++) {
      final long t = T0 + (i % 5) * HOUR + i * 1000L;
      final int cats = i % 3;
      final InferenceSketch s = scenes.scene("inf-" + i, t, cats, i % 2, 1);
      input.pipeInput(s.getInferenceId(), s, t);
      final long[] row = truth.computeIfAbsent(t - t % HOUR, h -> new long[3]);
      row[0]++;
      if (cats > 0) {
        row[1]++;
        catInferences++;
      }
      row[2] += cats;
      totalCats += cats;
      for (int j = 0; j < SPEC.d(); j++) {
        vectorSum[j] += s.getVector().get(j);
      }
    }

    for (final Map.Entry<Long, long[]> e : truth.entrySet()) {
      assertThat(inferences(e.getKey())).isEqualTo(e.getValue()[0]);
      assertThat(presence("cat", e.getKey())).isEqualTo(new PresenceCounts(e.getValue()[1], e.getValue()[2]));
    }

    final KeyValueStore<String, CatalogueEntry> catalogue = driver.getKeyValueStore(StatsStores.CATALOGUE);
    final CatalogueEntry cat = catalogue.get("cat");
    assertThat(cat.inferences()).isEqualTo(catInferences);
    assertThat(cat.objects()).isEqualTo(totalCats);
    assertThat(cat.attributeLength()).isEqualTo(4);
    assertThat(catalogue.get("eye").objects()).isEqualTo(2 * totalCats);
    assertThat(catalogue.get("scene").inferences()).isEqualTo(60);

    // The daily sums add up to the sum of every vector, and estimate the effective-weight cat mass
    // (cats are one level below the root: alpha each) within the noise law.
    final WindowStore<String, SketchSum> sums = driver.getWindowStore(StatsStores.SKETCH_SUMS_DAILY);
    final float[] stored = new float[SPEC.d()];
    long count = 0;
    try (var it = sums.fetchAll(Instant.ofEpochMilli(T0), Instant.ofEpochMilli(T0 + 10 * HOUR))) {
      while (it.hasNext()) {
        final SketchSum s = it.next().value;
        count += s.count();
        for (int j = 0; j < stored.length; j++) {
          stored[j] += s.sum()[j];
        }
      }
    }
    assertThat(count).isEqualTo(60);
    for (int j = 0; j < stored.length; j++) {
      assertThat(stored[j]).isCloseTo(vectorSum[j], within(1e-3f));
    }
    final SketchSum total = new SketchSum(SPEC, count, stored);
    final double mass = new SketchDecoder(SPEC).presence(total.asSketch(), "cat", 4);
    final double norm = Math.sqrt(dot(stored, stored));
    assertThat(mass).isCloseTo(0.5 * totalCats, within(4 * Math.sqrt(2) * norm * Math.sqrt(5.0 / SPEC.d())));
  }

  @Test
  void duplicatesAreIdempotentReplacementsAndTombstonesRetract() {
    final InferenceSketch a = scenes.scene("same", T0, 2, 0, 0);
    input.pipeInput("same", a, T0);
    input.pipeInput("same", a, T0);
    assertThat(presence("cat", T0)).isEqualTo(new PresenceCounts(1, 2));

    // A re-sketched inference (now with one cat, one hour later) replaces the first version.
    final InferenceSketch b = scenes.scene("same", T0 + HOUR, 1, 1, 0);
    input.pipeInput("same", b, T0 + HOUR);
    assertThat(presence("cat", T0)).isEqualTo(new PresenceCounts(0, 0));
    assertThat(presence("cat", T0 + HOUR)).isEqualTo(new PresenceCounts(1, 1));
    assertThat(inferences(T0)).isZero();
    assertThat(inferences(T0 + HOUR)).isEqualTo(1);
    final KeyValueStore<String, CatalogueEntry> catalogue = driver.getKeyValueStore(StatsStores.CATALOGUE);
    assertThat(catalogue.get("cat").inferences()).isEqualTo(1);
    assertThat(catalogue.get("cat").objects()).isEqualTo(1);
    final KeyValueStore<String, byte[]> repo = driver.getKeyValueStore(StatsStores.REPOSITORY);
    Stored.assertHolds(repo.get("same"), b);

    input.pipeInput("same", null, T0 + HOUR);
    assertThat(repo.get("same")).isNull();
    assertThat(presence("cat", T0 + HOUR)).isEqualTo(new PresenceCounts(0, 0));
    assertThat(catalogue.get("dog").inferences()).isZero();
    final KeyValueStore<org.apache.kafka.common.utils.Bytes, byte[]> index =
        driver.getKeyValueStore(StatsStores.TIME_INDEX);
    try (var it = index.all()) {
      assertThat(it.hasNext()).isFalse();
    }
  }

  @Test
  void invalidRecordsAreDeadLetteredWithTheirReasonCountedAndProcessingContinues() {
    final InferenceSketch good = scenes.scene("good", T0, 1, 0, 0);
    final List<Float> nan = new ArrayList<>(good.getVector());
    nan.set(3, Float.NaN);
    input.pipeInput("bad-nan", InferenceSketch.newBuilder(good).setInferenceId("bad-nan").setVector(nan).build(), T0);
    final Map<String, Integer> counts = new HashMap<>(good.getModuleCounts());
    counts.put("ghost", 1); // a counted module without attribute length
    input.pipeInput("bad-k", InferenceSketch.newBuilder(good).setInferenceId("bad-k").setModuleCounts(counts).build(),
        T0);
    final Map<String, List<Double>> shortSums = new HashMap<>(good.getAttributeSums());
    shortSums.put("cat", List.of(1.0, 2.0)); // k = 4
    input.pipeInput("bad-sums",
        InferenceSketch.newBuilder(good).setInferenceId("bad-sums").setAttributeSums(shortSums).build(), T0);
    input.pipeInput("good", good, T0);

    final KeyValueStore<String, byte[]> repo = driver.getKeyValueStore(StatsStores.REPOSITORY);
    Stored.assertHolds(repo.get("good"), good);
    assertThat(repo.get("bad-nan")).isNull();
    assertThat(repo.get("bad-k")).isNull();
    assertThat(repo.get("bad-sums")).isNull();
    assertThat(metric("rsk.stats.records.skipped")).isEqualTo(3.0);

    final List<TestRecord<byte[], byte[]>> dead = driver.createOutputTopic(DriverProps.DLQ,
        new ByteArrayDeserializer(), new ByteArrayDeserializer()).readRecordsToList();
    assertThat(dead).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
        .containsExactly("bad-nan", "bad-k", "bad-sums");
    assertThat(dead).extracting(r -> header(r, "__streams.errors.exception"))
        .containsOnly(InvalidSketchException.class.getName());
    assertThat(header(dead.get(0), "__streams.errors.message")).contains("bad-nan").contains("non-finite coordinate");
    assertThat(header(dead.get(1), "__streams.errors.message")).contains("ghost");
    assertThat(header(dead.get(2), "__streams.errors.message")).contains("cat");
    assertThat(dead).allSatisfy(r -> assertThat(header(r, "__streams.errors.topic")).isEqualTo("sketches"));
    // As received: the DLQ value is the input's bytes, so the record can be repaired and replayed.
    final InferenceSketch back = StatsSerdes.inferenceSketchBinary().deserializer()
        .deserialize("sketches", dead.get(2).value());
    assertThat(back.getInferenceId()).isEqualTo("bad-sums");
  }

  private static String header(final TestRecord<byte[], byte[]> r, final String name) {
    final org.apache.kafka.common.header.Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /**
   * 90 inferences in one day on the one partition: under a bound of 256 the day is quiet and its row leaves the
   * items in the repository; under 64 (the default) it is busy and the row holds them. The answer is the same.
   */
  @ParameterizedTest
  @ValueSource(ints = {256, 64})
  void attributeStatisticsAreExactOverObjectsFromTheCarriedSums(final int repositoryItemsMax) {
    driver.close();
    start(config().withRepositoryItemsMax(repositoryItemsMax), stateDir.resolve("max-" + repositoryItemsMax));
    final List<double[]> perInferenceMeans = new ArrayList<>();
    int seen = 0;
    for (int i = 0; i < 90; i++) {
      final int cats = i % 3; // 0, 1 or 2 cats
      final InferenceSketch s = scenes.scene("x-" + i, T0 + i * 60_000L, cats, 1, 1);
      input.pipeInput(s.getInferenceId(), s, s.getEventTime().toEpochMilli());
      final List<float[]> mine = scenes.cats().subList(seen, seen + cats);
      seen += cats;
      if (cats > 0) {
        final double[] m = new double[4];
        mine.forEach(x -> {
          for (int d = 0; d < 4; d++) {
            m[d] += x[d];
          }
        });
        for (int d = 0; d < 4; d++) {
          m[d] /= cats;
        }
        perInferenceMeans.add(m);
      }
    }
    final List<float[]> truth = scenes.cats();
    final long day = T0 - T0 % (24 * HOUR);
    final AttributeStats row = driver.<String, AttributeStats>getWindowStore(StatsStores.ATTRIBUTE_STATS)
        .fetch("cat", day);
    if (repositoryItemsMax > 90) {
      // the day's row keeps no item the repository keeps (all 60 observations are exact): a query adds them
      assertThat(row.repositoryItems()).isTrue();
      assertThat(row.quantiles(0).getN()).isZero();
    } else {
      // past 64 inferences the row took the repository's items once, and every observation's since
      assertThat(row.repositoryItems()).isFalse();
      assertThat(row.quantiles(0).getN()).isEqualTo(60);
    }
    final AttributeStats stats = new LocalStatsQueries(new DriverStores(Map.of(0, driver)), Duration.ofSeconds(5),
        StatsConfig.DEFAULT_STATS_BUCKET).attributeStats("cat", day, day + 24 * HOUR, List.of(0), false);
    assertThat(stats.repositoryItems()).isFalse();
    assertThat(stats.quantiles(0).getN()).isEqualTo(60);
    assertThat(stats.objects()).isEqualTo(truth.size()).isEqualTo(90);
    assertThat(stats.observations()).isEqualTo(perInferenceMeans.size()).isEqualTo(60);
    assertThat(stats.estimated()).isZero();
    assertThat(metric("rsk.stats.estimated.attribute.observations")).isZero();
    for (int dim = 0; dim < 4; dim++) {
      final int d = dim;
      final double mean = truth.stream().mapToDouble(x -> x[d]).average().orElseThrow();
      final double var = truth.stream().mapToDouble(x -> (x[d] - mean) * (x[d] - mean)).sum() / (truth.size() - 1);
      assertThat(stats.mean(dim)).isCloseTo(mean, within(1e-12));
      assertThat(stats.variance(dim)).isCloseTo(var, within(1e-12));
      // Quantiles are of per-inference means; under 200 items KLL keeps them all (exact order statistics).
      final double[] xs = perInferenceMeans.stream().mapToDouble(m -> m[d]).sorted().toArray();
      final float median = stats.quantiles(dim).getQuantile(0.5, QuantileSearchCriteria.INCLUSIVE);
      assertThat((double) median).isBetween((double) (float) xs[xs.length / 2 - 1], (double) (float) xs[xs.length / 2]);
      assertThat((double) stats.quantiles(dim).getMinItem()).isEqualTo((double) (float) xs[0]);
    }
  }

  @Test
  void withoutCarriedSumsAttributeStatisticsFallBackToTheDecodedMeansAndCountThem() {
    // d = 4096: the per-inference decoded mean of a depth-1 cat has an error of about
    // ||s|| / (sqrt(d) r0) ~ 0.1 per dimension, mostly a fixed scale error of this module's matrix.
    final SketchSpec spec = SketchSpec.of(4096, 42L, 0.5, 0.5);
    final Scenes big = new Scenes(spec, 11);
    final SketchDecoder decoder = new SketchDecoder(spec);
    final List<double[]> observed = new ArrayList<>();
    int weak = 0;
    for (int i = 0; i < 100; i++) {
      // As an older producer sends it: no exact attribute sums.
      final InferenceSketch s = InferenceSketch.newBuilder(big.scene("a-" + i, T0 + i * 60_000L, 1, 1, 1))
          .setAttributeSums(Map.of()).setAttributeSquares(Map.of()).build();
      input.pipeInput(s.getInferenceId(), s, s.getEventTime().toEpochMilli());
      final var sketch = SketchMapper.sketch(s);
      final double noise = Math.sqrt(2) * Math.sqrt(dot(sketch.vector(), sketch.vector())) / Math.sqrt(4096);
      if (decoder.presence(sketch, "cat", 4) < StatsProcessor.MIN_PRESENCE_SIGMAS * noise) {
        weak++;
      } else {
        observed.add(decoder.meanAttributes(sketch, "cat", 4));
      }
    }
    final WindowStore<String, AttributeStats> store = driver.getWindowStore(StatsStores.ATTRIBUTE_STATS);
    final AttributeStats stats = store.fetch("cat", T0 - T0 % (24 * HOUR));
    assertThat(stats.observations()).isEqualTo(observed.size());
    assertThat(stats.estimated()).isEqualTo(observed.size());
    assertThat(stats.objects()).isEqualTo(observed.size()); // one cat each
    // The metric counts the estimated observations of every module (scene, cat, eye, dog, person).
    final double estimatedAllModules = Scenes.K.keySet().stream()
        .mapToLong(m -> store.fetch(m, T0 - T0 % (24 * HOUR)).estimated()).sum();
    assertThat(estimatedAllModules).isGreaterThan(4.0 * observed.size());
    assertThat(metric("rsk.stats.estimated.attribute.observations")).isEqualTo(estimatedAllModules);
    assertThat(metric("rsk.stats.weak.attribute.observations")).isEqualTo(weak);
    assertThat(observed.size()).isGreaterThan(90);
    for (int dim = 0; dim < 4; dim++) {
      final int d = dim;
      final double[] xs = observed.stream().mapToDouble(o -> o[d]).sorted().toArray();
      final double mean = java.util.Arrays.stream(xs).average().orElseThrow();
      final double var = java.util.Arrays.stream(xs).map(x -> (x - mean) * (x - mean)).sum() / (xs.length - 1);
      assertThat(stats.mean(dim)).isCloseTo(mean, within(1e-9));
      assertThat(stats.variance(dim)).isCloseTo(var, within(1e-9));
      // Under 200 items KLL keeps them all: its median is an exact order statistic.
      final float median = stats.quantiles(dim).getQuantile(0.5, QuantileSearchCriteria.INCLUSIVE);
      assertThat((double) median).isBetween((double) (float) xs[xs.length / 2 - 1], (double) (float) xs[xs.length / 2]);
      // And the decoded means are near the true cat attributes (4 sigma of the noise law).
      assertThat(mean).isCloseTo(Scenes.CAT_MEAN[dim], within(0.45));
    }
  }

  @Test
  void repositoryCleanUpDeletesSketchesOlderThanTheRetention() {
    final InferenceSketch old = scenes.scene("old", T0, 1, 0, 0);
    final InferenceSketch recent = scenes.scene("recent", T0 + Duration.ofDays(40).toMillis(), 1, 0, 0);
    input.pipeInput("old", old, old.getEventTime().toEpochMilli());
    input.pipeInput("recent", recent, recent.getEventTime().toEpochMilli());
    final KeyValueStore<String, byte[]> repo = driver.getKeyValueStore(StatsStores.REPOSITORY);
    assertThat(repo.get("old")).isNotNull();
    driver.advanceWallClockTime(Duration.ofMinutes(11));
    assertThat(repo.get("old")).isNull();
    Stored.assertHolds(repo.get("recent"), recent);
    // Exact counts are not affected by repository clean-up.
    final KeyValueStore<String, CatalogueEntry> catalogue = driver.getKeyValueStore(StatsStores.CATALOGUE);
    assertThat(catalogue.get("cat").inferences()).isEqualTo(2);
    // the statistics are kept longer (400 days) than the repository (30): the deleted sketch's item was pinned
    final long day = T0 - T0 % (24 * HOUR);
    final AttributeStats row = driver.<String, AttributeStats>getWindowStore(StatsStores.ATTRIBUTE_STATS)
        .fetch("cat", day);
    assertThat(row.repositoryItems()).isTrue();
    assertThat(row.quantiles(0).getN()).isEqualTo(1);
    assertThat(row.quantiles(0).getMinItem()).isEqualTo(scenes.cats().get(0)[0]);
    final AttributeStats read = new LocalStatsQueries(new DriverStores(Map.of(0, driver)), Duration.ofSeconds(5),
        StatsConfig.DEFAULT_STATS_BUCKET).attributeStats("cat", day, day + 24 * HOUR, List.of(0), false);
    assertThat(read.quantiles(0).getN()).isEqualTo(1);
    assertThat(read.observations()).isEqualTo(1);
  }

  /** The exact counts of (module, hour) as the day rows hold them; zero when the hour has none. */
  private PresenceCounts presence(final String module, final long hour) {
    final DayCounts d = driver.<String, DayCounts>getWindowStore(StatsStores.PRESENCE_DAILY)
        .fetch(module, hour - Math.floorMod(hour, 24 * HOUR));
    final int h = (int) (Math.floorMod(hour, 24 * HOUR) / HOUR);
    return d == null ? new PresenceCounts(0, 0) : new PresenceCounts(d.get(h, 0), d.get(h, 1));
  }

  private long inferences(final long hour) {
    final DayCounts d = driver.<String, DayCounts>getWindowStore(StatsStores.INFERENCES_DAILY)
        .fetch(StatsStores.ALL_INFERENCES, hour - Math.floorMod(hour, 24 * HOUR));
    return d == null ? 0 : d.get((int) (Math.floorMod(hour, 24 * HOUR) / HOUR), 0);
  }

  private double metric(final String name) {
    return meters.get(name).counter().count();
  }

  private static double dot(final float[] a, final float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }

}
