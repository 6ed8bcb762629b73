package dev.rsk.stats.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.StatsConfig;
import dev.rsk.stats.StatsTopology;
import dev.rsk.stats.serde.StatsSerdes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The similarity graph's two gauges (docs/metrics.md), read from the registry the topology was built with while
 * sketches flow through a {@link TopologyTestDriver}: the backlog counts sketches stored but not yet searchable
 * through the graph, the indexed gauge the sketches in the graphs of ready partitions.
 */
class SimilarityGraphMetricsTest {

  private static final SketchSpec A = SketchSpec.of(16, 1L, 0.5, 0.5);
  private static final long T0 = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();

  @TempDir
  Path stateDir;

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  private TopologyTestDriver driver(final Duration refresh) {
    final StatsConfig config = StatsConfig.defaults(StatsSerdes.inferenceSketchBinary())
        .withRetention(Duration.ofDays(400), Duration.ofDays(400), Duration.ofDays(30));
    final Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "graph-metrics-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:1234");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    return new TopologyTestDriver(StatsTopology.buildTopology(config, meters,
        IndexSettings.DEFAULTS.withRefresh(refresh)), props);
  }

  private static void pipe(final TopologyTestDriver driver, final int n) {
    final TestInputTopic<String, InferenceSketch> input = driver.createInputTopic("sketches",
        new StringSerializer(), StatsSerdes.inferenceSketchBinary().serializer());
    for (int i = 0; i < n; i++) {
      final float[] v = new float[A.d()];
      v[i % A.d()] = 1;
      v[(i + 1) % A.d()] = 0.5f;
      input.pipeInput("id-" + i, SimilarityIndexTopologyTest.record("id-" + i, A, v, T0 + i, "cam",
          Map.of("scene", 1)));
    }
  }

  private static SimilarityIndex index(final TopologyTestDriver driver) {
    return (SimilarityIndex) driver.getStateStore(GraphStores.INDEX);
  }

  private double gauge(final String name) {
    return meters.get(name).gauge().value();
  }

  @Test
  void sketchesWaitingForARefreshAreCountedInTheBacklog() {
    // a refresh an hour away and fewer than 1,000 sketches: they stay in the backlog
    try (TopologyTestDriver driver = driver(Duration.ofHours(1))) {
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> index(driver).ready()); // the empty rebuild
      pipe(driver, 3);
      assertThat(gauge(SimilarityGraph.BACKLOG_GAUGE)).isEqualTo(3);
      assertThat(gauge(SimilarityGraph.INDEXED_GAUGE)).isZero();
    }
  }

  @Test
  void refreshedSketchesAreCountedAsIndexed() {
    try (TopologyTestDriver driver = driver(Duration.ofMillis(50))) {
      pipe(driver, 3);
      Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> index(driver).ready() && index(driver).backlogSize() == 0);
      assertThat(gauge(SimilarityGraph.INDEXED_GAUGE)).isEqualTo(3);
      assertThat(gauge(SimilarityGraph.BACKLOG_GAUGE)).isZero();
    }
  }
}
