package dev.rsk.processor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.avro.ModuleActivation;
import dev.rsk.processor.testing.ActivationDag;
import dev.rsk.registry.InMemorySchemaRegistryClient;
import dev.rsk.serde.AvroSerdes;
import dev.rsk.sketch.RecursiveSketcher;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.testing.KafkaExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The topology on a real in-process broker with exactly-once: 4 partitions, two processor instances,
 * read_committed output. Also a crash of one instance in the middle of the stream.
 */
@Timeout(240)
class ProcessorClusterTest {
  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

  private static final SketchSpec SPEC = SketchSpec.of(256, 7L, 0.5, 0.5);
  private static final Duration WAIT = Duration.ofSeconds(120);

  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
  private final Serde<ModuleActivation> activations = AvroSerdes.specific(ModuleActivation.class, registry, false);
  private final Serde<InferenceSketch> sketches = AvroSerdes.specific(InferenceSketch.class, registry, false);

  /**
   * A deserializer that is slowed down (so the stream spans many commits) and throws an Error at its
   * {@code crashAt}-th record, killing the stream thread in the middle of a transaction.
   */
  private static final class Crashable implements Deserializer<ModuleActivation> {
    private final Deserializer<ModuleActivation> inner;
    private final int crashAt;
    private int count;

    Crashable(final Deserializer<ModuleActivation> inner, final int crashAt) {
      this.inner = inner;
      this.crashAt = crashAt;
    }

    @Override
    public ModuleActivation deserialize(final String topic, final byte[] data) {
      if (++count == crashAt) {
        throw new AssertionError("simulated crash");
      }
      try {
        Thread.sleep(0, 500_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return inner.deserialize(topic, data);
    }
  }

  private ProcessorConfig config(final String prefix) {
    return ProcessorConfig.builder()
        .activationsTopic(prefix + "-activations").sketchesTopic(prefix + "-sketches").dlqTopic(prefix + "-dlq")
        .spec(SPEC)
        .kafka(KAFKA.streamsProps(prefix + "-app"))
        .kafka(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6_000)
        .kafka(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1_000)
        .build();
  }

  private void createTopics(final ProcessorConfig c) {
    KAFKA.createTopic(c.activationsTopic(), 4);
    KAFKA.createTopic(c.sketchesTopic(), 4);
    KAFKA.createTopic(c.dlqTopic(), 1);
  }

  private KafkaStreams instance(final ProcessorConfig c, final Deserializer<ModuleActivation> deserializer,
      final Path stateDir) {
    final Properties props = c.streamsProperties();
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    final KafkaStreams streams = new KafkaStreams(ProcessorTopology.buildTopology(c, deserializer,
        sketches.serializer(), new ProcessorMetrics(new SimpleMeterRegistry())), props);
    streams.setUncaughtExceptionHandler(e -> StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    streams.start();
    return streams;
  }

  /** Publishes the DAGs' events, objects shuffled and inferences interleaved so many straddle commits. */
  private void publish(final String topic, final List<ActivationDag> dags, final Random random) {
    final Map<String, Object> props = KAFKA.producerProps();
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    final List<ModuleActivation> events = new ArrayList<>();
    final int window = 20;
    for (int start = 0; start < dags.size(); start += window) {
      final List<ModuleActivation> block = new ArrayList<>();
      for (int i = start; i < Math.min(dags.size(), start + window); i++) {
        block.addAll(dags.get(i).shuffled(random));
      }
      java.util.Collections.shuffle(block, random);
      events.addAll(block);
    }
    try (KafkaProducer<String, ModuleActivation> producer =
        new KafkaProducer<>(props, new StringSerializer(), activations.serializer())) {
      for (final ModuleActivation a : events) {
        producer.send(new ProducerRecord<>(topic, a.getInferenceId(), a));
      }
      producer.flush();
    }
  }

  private static List<ActivationDag> dags(final String prefix, final int n, final Random random) {
    final List<ActivationDag> out = new ArrayList<>();
    final Instant t = Instant.now();
    for (int i = 0; i < n; i++) {
      out.add(ActivationDag.random(prefix + "-" + i, random, 10 + random.nextInt(10), t));
    }
    return out;
  }

  /** Reads committed sketches until {@code expected} arrived and then nothing more for a quiet period. */
  private List<ConsumerRecord<String, InferenceSketch>> readCommitted(final String topic, final int expected) {
    final Map<String, Object> props = KAFKA.consumerProps("verify-" + topic);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    final List<ConsumerRecord<String, InferenceSketch>> out = new ArrayList<>();
    try (KafkaConsumer<String, InferenceSketch> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), sketches.deserializer())) {
      consumer.subscribe(List.of(topic));
      final long deadline = System.nanoTime() + WAIT.toNanos();
      long quietUntil = Long.MAX_VALUE;
      while (System.nanoTime() < deadline && System.nanoTime() < quietUntil) {
        consumer.poll(Duration.ofMillis(250)).forEach(out::add);
        if (out.size() >= expected && quietUntil == Long.MAX_VALUE) {
          quietUntil = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        }
      }
    }
    return out;
  }

  private void assertExactlyOneEngineSketchEach(final List<ActivationDag> dags,
      final List<ConsumerRecord<String, InferenceSketch>> records) {
    final RecursiveSketcher engine = new RecursiveSketcher(SPEC);
    final Map<String, InferenceSketch> byId = new HashMap<>();
    for (final ConsumerRecord<String, InferenceSketch> r : records) {
      assertThat(byId.put(r.key(), r.value())).as("second sketch for %s", r.key()).isNull();
    }
    assertThat(byId).hasSize(dags.size());
    for (final ActivationDag dag : dags) {
      final InferenceSketch s = byId.get(dag.inferenceId());
      assertThat(s).as("sketch of %s", dag.inferenceId()).isNotNull();
      assertThat(s.getComplete()).isTrue();
      final float[] expected = engine.sketch(dag.objectDag()).vector();
      final float[] actual = new float[s.getVector().size()];
      for (int i = 0; i < actual.length; i++) {
        actual[i] = s.getVector().get(i);
      }
      assertThat(actual).as("vector of %s", dag.inferenceId()).containsExactly(expected);
    }
  }

  @Test
  void twoInstancesOverFourPartitionsWriteExactlyOneSketchPerInference() throws Exception {
    final ProcessorConfig c = config("pair");
    createTopics(c);
    final List<ActivationDag> dags = dags("pair", 150, new Random(1));
    publish(c.activationsTopic(), dags, new Random(2));
    try (KafkaStreams a = instance(c, activations.deserializer(), Files.createTempDirectory(KAFKA.tempDir(), "a"));
        KafkaStreams b = instance(c, activations.deserializer(), Files.createTempDirectory(KAFKA.tempDir(), "b"))) {
      assertExactlyOneEngineSketchEach(dags, readCommitted(c.sketchesTopic(), dags.size()));
      assertThat(a.state()).isEqualTo(KafkaStreams.State.RUNNING);
      assertThat(b.state()).isEqualTo(KafkaStreams.State.RUNNING);
    }
    assertThat(KAFKA.consume(c.dlqTopic(), new StringDeserializer(), new StringDeserializer(), 0,
        Duration.ofMillis(500))).isEmpty();
  }

  @Test
  void anInstanceCrashingMidStreamLosesNothingAndDuplicatesNothing() throws Exception {
    final ProcessorConfig c = config("crash");
    createTopics(c);
    final List<ActivationDag> dags = dags("crash", 400, new Random(3));
    publish(c.activationsTopic(), dags, new Random(4));
    final Path dirA = Files.createTempDirectory(KAFKA.tempDir(), "a");
    final KafkaStreams a = instance(c, new Crashable(activations.deserializer(), 1_500), dirA);
    try (KafkaStreams b = instance(c, activations.deserializer(), Files.createTempDirectory(KAFKA.tempDir(), "b"))) {
      final long deadline = System.nanoTime() + WAIT.toNanos();
      while (a.state() != KafkaStreams.State.ERROR && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(a.state()).as("instance A crashed").isEqualTo(KafkaStreams.State.ERROR);
      a.close(Duration.ofSeconds(30));
      // Restart A on the same state directory.
      try (KafkaStreams restarted = instance(c, activations.deserializer(), dirA)) {
        assertExactlyOneEngineSketchEach(dags, readCommitted(c.sketchesTopic(), dags.size()));
      }
    }
  }
}
