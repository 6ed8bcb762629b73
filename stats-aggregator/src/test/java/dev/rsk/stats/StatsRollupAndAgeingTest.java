package dev.rsk.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.model.AttributeStats;
import dev.rsk.stats.model.RepositoryRecord;
import dev.rsk.stats.model.SketchSum;
import dev.rsk.stats.serde.RepositoryCodec;
import dev.rsk.stats.serde.StatsSerdes;
import dev.rsk.stats.testing.Scenes;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The day and month rollups against the ground truth sent, and the repository's ageing tiers. */
class StatsRollupAndAgeingTest {

  private static final long T0 = Instant.parse("2026-01-20T00:00:00Z").toEpochMilli();
  private static final long HOUR = 3_600_000L;
  private static final SketchSpec SPEC = SketchSpec.of(512, 42L, 0.5, 0.5);
  private static final int N = 150;

  @TempDir java.nio.file.Path stateDir;
  private TopologyTestDriver driver;
  private TestInputTopic<String, InferenceSketch> input;
  private final Scenes scenes = new Scenes(SPEC, 3);

  @BeforeEach
  void setUp() {
    final StatsConfig config = StatsConfig.defaults(StatsSerdes.inferenceSketchBinary())
        .withAgeing(Duration.ofDays(30), 0.25);
    final Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "rollup-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:1234");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver = new TopologyTestDriver(StatsTopology.buildTopology(config), props);
    input = driver.createInputTopic("sketches", new StringSerializer(),
        StatsSerdes.inferenceSketchBinary().serializer());
  }

  @AfterEach
  void tearDown() {
    driver.close();
  }

  @Test
  void dayAndMonthRowsAddUpToTheSketchesSentAndAgedSketchesKeepAPrefix() {
    final double[] truth = new double[SPEC.d()];
    int cats = 0;
    for (int i = 0; i < N; i++) {
      // every 13 hours over about 81 days: three calendar months
      final InferenceSketch s = scenes.scene("r-" + i, T0 + i * 13 * HOUR, 1 + i % 2, 0, 1);
      input.pipeInput(s.getInferenceId(), s, s.getEventTime().toEpochMilli());
      for (int j = 0; j < truth.length; j++) {
        truth[j] += s.getVector().get(j);
      }
      cats++;
    }
    for (final String store : new String[] {StatsStores.SKETCH_SUMS_DAILY, StatsStores.SKETCH_SUMS_MONTHLY}) {
      long count = 0;
      final double[] sum = new double[SPEC.d()];
      int rows = 0;
      final WindowStore<String, SketchSum> w = driver.getWindowStore(store);
      try (KeyValueIterator<Windowed<String>, SketchSum> it = w.all()) {
        while (it.hasNext()) {
          final SketchSum s = it.next().value;
          count += s.count();
          for (int j = 0; j < sum.length; j++) {
            sum[j] += s.sum()[j];
          }
          rows++;
        }
      }
      assertThat(count).as(store).isEqualTo(N);
      for (int j = 0; j < sum.length; j++) {
        assertThat(sum[j]).as(store).isCloseTo(truth[j], within(1e-3));
      }
      assertThat(rows).as(store).isEqualTo(switch (store) {
        case StatsStores.SKETCH_SUMS_MONTHLY -> 4; // January to April 2026
        default -> (int) distinctDays();
      });
    }
    final WindowStore<String, AttributeStats> monthly = driver.getWindowStore(StatsStores.ATTRIBUTE_STATS_MONTHLY);
    long observations = 0;
    try (WindowStoreIterator<AttributeStats> it = monthly.fetch("cat", Instant.ofEpochMilli(0),
        Instant.ofEpochMilli(T0 + 400 * 24 * HOUR))) {
      while (it.hasNext()) {
        final KeyValue<Long, AttributeStats> kv = it.next();
        assertThat(kv.key).isEqualTo(Rollups.monthStart(kv.key));
        observations += kv.value.observations();
      }
    }
    assertThat(observations).isEqualTo(cats);

    // Ageing: the newest sketch is at T0 + 149 * 13 h (about 80.7 days); sketches more than 30 days older are cut.
    driver.advanceWallClockTime(Duration.ofMinutes(11));
    final KeyValueStore<String, byte[]> repo = driver.getKeyValueStore(StatsStores.REPOSITORY);
    final RepositoryRecord first = RepositoryCodec.decode(repo.get("r-0"));
    final RepositoryRecord last = RepositoryCodec.decode(repo.get("r-" + (N - 1)));
    assertThat(first.sketch().length()).isEqualTo(128);
    assertThat(first.aged()).isTrue();
    assertThat(last.sketch().length()).isEqualTo(512);
    // The prefix's stated readout error is about sqrt(d / m) = 2 times the full one (for the same norm).
    final RepositoryRecord firstFull = RepositoryCodec.decode(RepositoryCodec.encode(
        scenesAgain(), dev.rsk.contract.SketchMapper.sketch(scenesAgain())));
    assertThat(first.sketch().readoutStdError() / firstFull.sketch().readoutStdError()).isBetween(1.6, 2.5);
  }

  private static long distinctDays() {
    return java.util.stream.LongStream.range(0, N).map(i -> (T0 + i * 13 * HOUR) / (24 * HOUR)).distinct().count();
  }

  /** The first sketch again (same seed, same first draw). */
  private static InferenceSketch scenesAgain() {
    return new Scenes(SPEC, 3).scene("r-0", T0, 1, 0, 1);
  }
}
