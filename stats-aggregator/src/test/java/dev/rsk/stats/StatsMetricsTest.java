package dev.rsk.stats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.serde.StatsSerdes;
import dev.rsk.stats.testing.DriverProps;
import dev.rsk.stats.testing.Scenes;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stats topology's Micrometer meters after known input: what each counter counts, and what it does not
 * (duplicates, replacements, tombstones). Names are spelled out: they are the public metric names.
 */
class StatsMetricsTest {

  private static final long T0 = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
  private static final SketchSpec SPEC = SketchSpec.of(1024, 42L, 0.5, 0.5);

  @TempDir java.nio.file.Path stateDir;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final Scenes scenes = new Scenes(SPEC, 3);
  private TopologyTestDriver driver;
  private TestInputTopic<String, InferenceSketch> input;

  @BeforeEach
  void setUp() {
    final Properties props = DriverProps.withDeadLetters("stats-metrics-test", stateDir);
    driver = new TopologyTestDriver(
        StatsTopology.buildTopology(StatsConfig.defaults(StatsSerdes.inferenceSketchBinary()), meters), props);
    input = driver.createInputTopic("sketches", new StringSerializer(),
        StatsSerdes.inferenceSketchBinary().serializer());
  }

  @AfterEach
  void tearDown() {
    driver.close();
  }

  @Test
  void theTopologyRegistersItsFiveCountersAtZeroAndTheIndexItsTwoGauges() {
    assertThat(meters.getMeters()).extracting(m -> m.getId().getName()).containsExactlyInAnyOrder(
        "rsk.stats.records.skipped", "rsk.stats.weak.attribute.observations",
        "rsk.stats.estimated.attribute.observations", "rsk.stats.network.structures.skipped",
        "rsk.stats.repository.edges.dropped", "rsk.stats.similarity.backlog", "rsk.stats.similarity.indexed");
    for (final Meter m : meters.getMeters()) {
      if (m.getId().getName().startsWith("rsk.stats.similarity.")) {
        assertThat(m.getId().getType()).isEqualTo(Meter.Type.GAUGE);
        continue;
      }
      assertThat(m.getId().getType()).isEqualTo(Meter.Type.COUNTER);
      assertThat(m.getId().getTags()).isEmpty();
      assertThat(count(m.getId().getName())).isZero();
    }
  }

  @Test
  void validRecordsAreNotCountedInvalidOnesAreSkippedAndCounted() {
    final int valid = 5;
    final List<InferenceSketch> sent = new ArrayList<>();
    for (int i = 0; i < valid; i++) {
      sent.add(scenes.scene("ok-" + i, T0 + i, 1, 1, 1));
      send(sent.get(i));
    }
    final InferenceSketch good = scenes.scene("template", T0, 1, 0, 0);
    final List<Float> nan = new ArrayList<>(good.getVector());
    nan.set(0, Float.NaN);
    send(InferenceSketch.newBuilder(good).setInferenceId("bad-nan").setVector(nan).build());
    send(InferenceSketch.newBuilder(good).setInferenceId("bad-time").setEventTime(Instant.ofEpochMilli(-1)).build());
    final Map<String, Integer> counts = new HashMap<>(good.getModuleCounts());
    counts.put("ghost", 1); // counted but without attribute length
    send(InferenceSketch.newBuilder(good).setInferenceId("bad-k").setModuleCounts(counts).build());
    input.pipeInput(null, null, T0); // neither key nor value
    // Neither a redelivery nor a tombstone (known id or not) is a skipped record.
    send(sent.get(1));
    input.pipeInput("ok-2", null, T0);
    input.pipeInput("never-seen", null, T0);

    assertThat(count("rsk.stats.records.skipped")).isEqualTo(4.0); // bad-nan, bad-time, bad-k, the keyless one
    // Every valid record carried exact attribute sums: nothing decoded, nothing too weak.
    assertThat(count("rsk.stats.estimated.attribute.observations")).isZero();
    assertThat(count("rsk.stats.weak.attribute.observations")).isZero();
    final var repository = driver.<String, byte[]>getKeyValueStore(StatsStores.REPOSITORY);
    dev.rsk.stats.testing.Stored.assertHolds(repository.get("ok-1"), sent.get(1));
    assertThat(repository.get("ok-2")).isNull();
    assertThat(repository.get("bad-nan")).isNull();
  }

  @Test
  void recordsWithoutSumsCountOneEstimatedOrWeakObservationPerModuleOnFirstSight() {
    // A root-only scene: one module ("scene", k = 2) whose presence is the whole vector, far above the noise;
    // the same vector negated has a negative presence, below any threshold.
    final int estimated = 3;
    for (int i = 0; i < estimated; i++) {
      send(withoutSums(scenes.scene("strong-" + i, T0 + i, 0, 0, 0), false));
    }
    final int weak = 2;
    for (int i = 0; i < weak; i++) {
      send(withoutSums(scenes.scene("weak-" + i, T0 + i, 0, 0, 0), true));
    }
    // Redelivered and replaced versions are not observed again (attribute statistics keep the first).
    final InferenceSketch strong = withoutSums(scenes.scene("strong-0", T0, 0, 0, 0), false);
    send(strong);
    send(strong);

    assertThat(count("rsk.stats.estimated.attribute.observations")).isEqualTo(estimated);
    assertThat(count("rsk.stats.weak.attribute.observations")).isEqualTo(weak);
    assertThat(count("rsk.stats.records.skipped")).isZero();
  }

  private static InferenceSketch withoutSums(final InferenceSketch s, final boolean negate) {
    final List<Float> v = new ArrayList<>(s.getVector().size());
    for (final Float f : s.getVector()) {
      v.add(negate ? -f : f);
    }
    return InferenceSketch.newBuilder(s).setVector(v).setAttributeSums(Map.of()).setAttributeSquares(Map.of())
        .build();
  }

  private void send(final InferenceSketch s) {
    input.pipeInput(s.getInferenceId(), s, T0);
  }

  private double count(final String name) {
    return meters.get(name).counter().count();
  }
}
