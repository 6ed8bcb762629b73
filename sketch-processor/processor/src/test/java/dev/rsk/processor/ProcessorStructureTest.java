package dev.rsk.processor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.avro.ModuleActivation;
import dev.rsk.avro.ModuleEdge;
import dev.rsk.avro.ModuleInput;
import dev.rsk.processor.testing.ActivationDag;
import dev.rsk.registry.InMemorySchemaRegistryClient;
import dev.rsk.serde.AvroSerdes;
import dev.rsk.sketch.SketchSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The structure fields of the processor's sketches (rootModule, edges, moduleDepths), on the topology
 * through the test driver; expected values written by hand from the events.
 */
class ProcessorStructureTest {
  private static final SketchSpec SPEC = SketchSpec.of(256, 42L, 0.5, 0.5);
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  @TempDir Path stateDir;
  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
  private final Serde<ModuleActivation> activationSerde = AvroSerdes.specific(ModuleActivation.class, registry, false);
  private final Serde<InferenceSketch> sketchSerde = AvroSerdes.specific(InferenceSketch.class, registry, false);
  private TopologyTestDriver driver;
  private TestInputTopic<String, ModuleActivation> in;
  private TestOutputTopic<String, InferenceSketch> out;

  @BeforeEach
  void start() {
    final ProcessorConfig config = ProcessorConfig.builder().spec(SPEC).gap(Duration.ofSeconds(10))
        .wallClockGap(Duration.ofSeconds(60)).build();
    final Properties props = config.streamsProperties();
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver = new TopologyTestDriver(ProcessorTopology.buildTopology(config, registry, new SimpleMeterRegistry()),
        props, T0);
    in = driver.createInputTopic(config.activationsTopic(), new StringSerializer(), activationSerde.serializer());
    out = driver.createOutputTopic(config.sketchesTopic(), new StringDeserializer(), sketchSerde.deserializer());
  }

  @AfterEach
  void close() {
    driver.close();
  }

  /** street -> (car, person, bicycle); car -> 4 wheels on wheel0..wheel3; person -> face. */
  private static ActivationDag street(final String id) {
    final List<ModuleInput> wheels = new ArrayList<>();
    final ActivationDag.Builder b = ActivationDag.builder(id).eventTime(T0).source("cam-1");
    for (int w = 0; w < 4; w++) {
      b.object("w" + w, "wheel", new float[] {0.1f * w});
      wheels.add(ModuleInput.newBuilder().setObjectId("w" + w).setSlot("wheel" + w).setWeight(1f).build());
    }
    return b.root("s", "street", new float[] {1f}, "car", "p", "bike")
        .object("car", "car", new float[] {0.5f, 2f}, wheels, false)
        .object("p", "person", new float[] {0.3f, 0.3f, 0.3f}, "f")
        .object("f", "face", new float[] {1f, 0f})
        .object("bike", "bicycle", new float[] {0.7f})
        .build();
  }

  @Test
  void aCompleteInferenceCarriesItsRootEdgesAndDepths() {
    street("st-1").activations().forEach(a -> in.pipeInput(a.getInferenceId(), a, T0));

    final InferenceSketch s = out.readValue();

    assertThat(s.getComplete()).isTrue();
    assertThat(s.getStructureVersion()).isEqualTo(1);
    assertThat(s.getRootModule()).isEqualTo("street");
    assertThat(s.getEdges()).containsExactly(
        new ModuleEdge("car", "wheel0", "wheel", 1), new ModuleEdge("car", "wheel1", "wheel", 1),
        new ModuleEdge("car", "wheel2", "wheel", 1), new ModuleEdge("car", "wheel3", "wheel", 1),
        new ModuleEdge("person", "0", "face", 1),
        new ModuleEdge("street", "0", "car", 1), new ModuleEdge("street", "1", "person", 1),
        new ModuleEdge("street", "2", "bicycle", 1));
    assertThat(s.getModuleDepths()).isEqualTo(Map.of(
        "street", List.of(1), "car", List.of(0, 1), "person", List.of(0, 1), "bicycle", List.of(0, 1),
        "wheel", List.of(0, 0, 4), "face", List.of(0, 0, 1)));
  }

  @Test
  void anIncompleteInferenceCarriesNoStructure() {
    // everything but the face: the person misses its input, and the gap expires it
    street("st-2").activations().stream().filter(a -> !a.getObjectId().equals("f"))
        .forEach(a -> in.pipeInput(a.getInferenceId(), a, T0));
    street("later").activations().forEach(a -> in.pipeInput(a.getInferenceId(), a, T0.plusSeconds(11)));

    final InferenceSketch s = out.readValuesToList().stream()
        .filter(x -> x.getInferenceId().equals("st-2")).findFirst().orElseThrow();

    assertThat(s.getComplete()).isFalse();
    assertThat(s.getStructureVersion()).isZero();
    assertThat(s.getRootModule()).isEmpty();
    assertThat(s.getEdges()).isEmpty();
    assertThat(s.getModuleDepths()).isEmpty();
  }
}
