package dev.rsk.processor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.avro.ModuleActivation;
import dev.rsk.processor.testing.ActivationDag;
import dev.rsk.registry.InMemorySchemaRegistryClient;
import dev.rsk.serde.AvroSerdes;
import dev.rsk.sketch.SketchSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failure the processor does not anticipate (here: a decoder handing over a record with null fields)
 * goes through Kafka Streams' processing exception handler to the DLQ; the topology keeps running.
 */
class UnexpectedFailureTest {
  private static final byte[] POISON = "poison".getBytes(StandardCharsets.UTF_8);

  @TempDir Path stateDir;

  @Test
  void anUnexpectedExceptionDeadLettersTheRecordAndProcessingContinues() {
    final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    final Serde<ModuleActivation> activations = AvroSerdes.specific(ModuleActivation.class, registry, false);
    final Serde<InferenceSketch> sketches = AvroSerdes.specific(InferenceSketch.class, registry, false);
    final Deserializer<ModuleActivation> decoder = (topic, data) -> Arrays.equals(data, POISON)
        ? new ModuleActivation() // every field null: the processor trips over the null inferenceId
        : activations.deserializer().deserialize(topic, data);
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final ProcessorConfig config = ProcessorConfig.builder().spec(SketchSpec.of(64, 1L, 0.5, 0.5)).build();
    final Properties props = config.streamsProperties();
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(ProcessorConfig.METRICS_REGISTRY, meters);
    try (TopologyTestDriver driver = new TopologyTestDriver(ProcessorTopology.buildTopology(config, decoder,
        sketches.serializer(), new ProcessorMetrics(meters)), props)) {
      final TestInputTopic<byte[], byte[]> in = driver.createInputTopic("activations", new ByteArraySerializer(),
          new ByteArraySerializer());
      final TestOutputTopic<String, InferenceSketch> out = driver.createOutputTopic("sketches",
          new StringDeserializer(), sketches.deserializer());
      final TestOutputTopic<byte[], byte[]> dlq = driver.createOutputTopic("activations-dlq",
          new ByteArrayDeserializer(), new ByteArrayDeserializer());
      final ActivationDag dag = ActivationDag.builder("ok").root("r", "scene", new float[] {1f}, "c")
          .object("c", "cat", new float[] {2f}).build();
      in.pipeInput("ok".getBytes(StandardCharsets.UTF_8),
          activations.serializer().serialize("activations", dag.activations().get(0)), Instant.EPOCH);
      in.pipeInput("bad".getBytes(StandardCharsets.UTF_8), POISON, Instant.EPOCH);
      in.pipeInput("ok".getBytes(StandardCharsets.UTF_8),
          activations.serializer().serialize("activations", dag.activations().get(1)), Instant.EPOCH);

      assertThat(out.readValue().getInferenceId()).isEqualTo("ok");
      final TestRecord<byte[], byte[]> dead = dlq.readRecord();
      assertThat(dead.value()).isEqualTo(POISON);
      assertThat(dead.key()).isEqualTo("bad".getBytes(StandardCharsets.UTF_8));
      assertThat(DeadLetters.header(dead.headers(), DeadLetters.REASON)).isEqualTo("PROCESSING_ERROR");
      assertThat(DeadLetters.header(dead.headers(), DeadLetters.EXCEPTION))
          .isEqualTo(NullPointerException.class.getName());
      assertThat(DeadLetters.header(dead.headers(), DeadLetters.OFFSET)).isEqualTo("1");
      assertThat(DeadLetters.header(dead.headers(), DeadLetters.STACKTRACE)).contains("ActivationProcessor");
      assertThat(meters.get(ProcessorMetrics.DLQ).tags("reason", "PROCESSING_ERROR").counter().count()).isEqualTo(1);
    }
  }
}
