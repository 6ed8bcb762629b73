package dev.rsk.stats.concepts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.avro.ConceptEvent;
import dev.rsk.avro.ConceptEventKind;
import dev.rsk.avro.InferenceSketch;
import dev.rsk.contract.SketchMapper;
import dev.rsk.registry.InMemorySchemaRegistryClient;
import dev.rsk.serde.AvroSerdes;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.StatsConfig;
import dev.rsk.stats.StatsTopology;
import dev.rsk.stats.serde.StatsSerdes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The concept sub-topology on TopologyTestDriver with real RocksDB stores: repartition by parameter key,
 * clustering, events on the concepts topic, the global view; parameters never mixed. (A restart cannot be shown
 * here: the driver deletes its state directory on close.) Sketches are synthetic: one axis per "kind" plus noise, so
 * which sketches belong together is known by construction.
 */
class ConceptTopologyTest {

  private static final long HOUR = 3_600_000L;
  private static final long T0 = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
  private static final SketchSpec A = SketchSpec.of(64, 1L, 0.5, 0.5);
  private static final SketchSpec B = SketchSpec.of(64, 2L, 0.5, 0.5);

  @TempDir Path stateDir;
  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
  private final Serde<ConceptEvent> serde = AvroSerdes.specific(ConceptEvent.class, registry, false);
  private final SplittableRandom rnd = new SplittableRandom(7);
  private TopologyTestDriver driver;
  private TestInputTopic<String, InferenceSketch> input;
  private TestOutputTopic<String, ConceptEvent> output;

  private void open() {
    final StatsConfig stats = StatsConfig.defaults(StatsSerdes.inferenceSketchBinary());
    final ConceptConfig concepts = new ConceptConfig("concepts", serde, ConceptParams.DEFAULTS,
        Duration.ofSeconds(2));
    // the server's error handling: the stats processor dead-letters an invalid sketch and processing goes on
    final Properties props = dev.rsk.stats.testing.DriverProps.withDeadLetters("concepts-test", stateDir);
    driver = new TopologyTestDriver(StatsTopology.buildTopology(stats, new SimpleMeterRegistry(), concepts), props);
    input = driver.createInputTopic("sketches", new StringSerializer(),
        StatsSerdes.inferenceSketchBinary().serializer());
    output = driver.createOutputTopic("concepts", new StringDeserializer(), serde.deserializer());
  }

  @AfterEach
  void close() {
    if (driver != null) {
      driver.close();
    }
  }

  private InferenceSketch sketch(final String id, final SketchSpec spec, final int axis, final long t) {
    final List<Float> v = new ArrayList<>();
    for (int i = 0; i < spec.d(); i++) {
      v.add((float) ((i == axis ? 1.0 : 0.0) + 0.01 * rnd.nextGaussian()));
    }
    return InferenceSketch.newBuilder().setInferenceId(id).setSource("cam").setEventTime(Instant.ofEpochMilli(t))
        .setParams(SketchMapper.params(spec)).setVector(v).setObjectCount(1).setComplete(true).setMissingInputs(0)
        .setModuleCounts(Map.of("m", 1)).setAttributeLengths(Map.of("m", 0)).setSketchedAt(Instant.ofEpochMilli(t))
        .build();
  }

  private void send(final String id, final SketchSpec spec, final int axis, final long t) {
    input.pipeInput(id, sketch(id, spec, axis, t), t);
  }

  @Test
  void aNewKindEmergesInItsParameterKeyOnlyThenGrows() {
    open();
    long t = T0;
    // Key B sees kind 1 from its first day: kind 1 is B's baseline. Key A sees only kind 0 for 15 days.
    for (int i = 0; i < 15 * 24; i++, t += HOUR) {
      send("a" + i, A, 0, t);
      send("b" + i, B, 1, t);
    }
    assertThat(output.readValuesToList()).isEmpty();
    // Then key A sees kind 1, the same vectors key B has seen all along: new in A, and only in A.
    for (int i = 0; i < 12; i++, t += HOUR) {
      send("new" + i, A, 1, t);
    }
    final List<ConceptEvent> events = output.readValuesToList();
    final Instant lastMember = Instant.ofEpochMilli(t - HOUR);
    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.getKind()).isEqualTo(ConceptEventKind.EMERGED);
      assertThat(e.getFirstMember()).isEqualTo("new0");
      assertThat(e.getSize()).isEqualTo(12);
      assertThat(e.getD()).isEqualTo(64);
      assertThat(e.getSeed()).isEqualTo(1L);
      assertThat(e.getEmergedAt()).isEqualTo(lastMember);
      assertThat(e.getExemplars()).hasSize(5).allSatisfy(x -> assertThat(x.getInferenceId()).startsWith("new"));
    });
    final String id = events.get(0).getConceptId();
    final KeyValueStore<String, byte[]> view = driver.getKeyValueStore(ConceptStores.VIEW);
    assertThat(view.get(id)).isNotNull();
    assertThat(ConceptViewProcessor.decode(view.get(id)).getSize()).isEqualTo(12);

    assertThat(clusterEntries()).as("clusters and key entries written at the commits").isGreaterThanOrEqualTo(4);

    for (int i = 12; i < 20; i++, t += HOUR) {
      send("new" + i, A, 1, t);
    }
    driver.advanceWallClockTime(Duration.ofSeconds(3));
    final List<ConceptEvent> after = output.readValuesToList();
    assertThat(after).singleElement().satisfies(e -> {
      assertThat(e.getConceptId()).isEqualTo(id);
      assertThat(e.getKind()).isEqualTo(ConceptEventKind.GREW);
      assertThat(e.getSize()).isEqualTo(20);
      assertThat(e.getFirstMember()).isEqualTo("new0");
    });
    assertThat(ConceptViewProcessor.decode(view.get(id)).getSize()).isEqualTo(20);
  }

  private long clusterEntries() {
    final KeyValueStore<String, byte[]> store = driver.getKeyValueStore(ConceptStores.CLUSTERS);
    try (var it = store.all()) {
      long n = 0;
      while (it.hasNext()) {
        it.next();
        n++;
      }
      return n;
    }
  }

  @Test
  void aConceptFadesAfterTheFadePeriodOfEventTime() {
    open();
    long t = T0;
    for (int i = 0; i < 15 * 24; i++, t += HOUR) {
      send("a" + i, A, 0, t);
    }
    for (int i = 0; i < 12; i++, t += HOUR) {
      send("new" + i, A, 1, t);
    }
    final String id = output.readValuesToList().get(0).getConceptId();
    t += Duration.ofDays(15).toMillis();
    send("later", A, 0, t);
    driver.advanceWallClockTime(Duration.ofSeconds(3));
    assertThat(output.readValuesToList()).singleElement().satisfies(e -> {
      assertThat(e.getConceptId()).isEqualTo(id);
      assertThat(e.getKind()).isEqualTo(ConceptEventKind.FADED);
    });
  }

  @Test
  void anInvalidSketchIsSkipped() {
    open();
    final InferenceSketch bad = sketch("bad", A, 0, T0);
    bad.getVector().set(0, Float.NaN);
    input.pipeInput("bad", bad, T0);
    send("good", A, 0, T0 + HOUR);
    assertThat(output.readValuesToList()).isEmpty();
  }
}
