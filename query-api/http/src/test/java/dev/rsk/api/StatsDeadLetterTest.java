package dev.rsk.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.api.client.RskClient;
import dev.rsk.api.client.RskClientException;
import dev.rsk.api.server.ServerConfig;
import dev.rsk.api.server.StatsServer;
import dev.rsk.avro.InferenceSketch;
import dev.rsk.registry.InMemorySchemaRegistryClient;
import dev.rsk.serde.AvroSerdes;
import dev.rsk.serde.CorruptPayloadException;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.InvalidSketchException;
import dev.rsk.stats.testing.Scenes;
import dev.rsk.testing.KafkaExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The aggregator on a real broker: a record that cannot be read and a sketch that cannot be aggregated each land
 * on {@code sketches-dlq} as received, with the reason in Kafka Streams' error headers, and the good sketches
 * around them are all counted (in = counted + dead-lettered).
 */
class StatsDeadLetterTest {

  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

  private static final SketchSpec SPEC = SketchSpec.of(1024, 5L, 0.5, 0.5);
  private static final Instant T0 = Instant.parse("2026-04-01T00:00:00Z");

  @Test
  void unreadableAndInvalidSketchesAreDeadLetteredWithTheirReasonAndTheRestIsCounted() throws Exception {
    KAFKA.createTopic("sketches", 2);
    KAFKA.createTopic("sketches-dlq", 1);
    final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    final var serializer = AvroSerdes.specific(InferenceSketch.class, registry, false).serializer();
    final Scenes scenes = new Scenes(SPEC, 3);
    final List<InferenceSketch> good = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      good.add(scenes.scene("ok-" + i, T0.plusSeconds(60L * i).toEpochMilli(), 1, 0, 0));
    }
    final List<Float> nan = new ArrayList<>(good.get(0).getVector());
    nan.set(7, Float.NaN);
    final InferenceSketch invalid = InferenceSketch.newBuilder(good.get(0)).setInferenceId("bad-nan")
        .setVector(nan).build();
    final byte[] garbage = {0, 0, 0, 0, 1, 42, 42, 42}; // registry framing with an unknown schema id
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KAFKA.producerProps(),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < good.size(); i++) {
        if (i == 3) {
          producer.send(new ProducerRecord<>("sketches", bytes("garbage"), garbage));
          producer.send(new ProducerRecord<>("sketches", bytes("bad-nan"), serializer.serialize("sketches", invalid)));
        }
        producer.send(new ProducerRecord<>("sketches", bytes(good.get(i).getInferenceId()),
            serializer.serialize("sketches", good.get(i))));
      }
      producer.flush();
    }

    final Properties p = OneServer.props(KAFKA, "dlq-test", Files.createTempDirectory(KAFKA.tempDir(), "state"), 200);
    try (StatsServer server = StatsServer.start(new ServerConfig(p),
        AvroSerdes.specific(InferenceSketch.class, registry, false))) {
      final List<ConsumerRecord<byte[], byte[]>> dead = KAFKA.consume("sketches-dlq", new ByteArrayDeserializer(),
          new ByteArrayDeserializer(), 2, Duration.ofSeconds(90));
      assertThat(dead).hasSize(2);
      final Map<String, ConsumerRecord<byte[], byte[]>> byKey = new java.util.HashMap<>();
      dead.forEach(r -> byKey.put(new String(r.key(), StandardCharsets.UTF_8), r));
      assertThat(byKey).containsOnlyKeys("garbage", "bad-nan");

      final ConsumerRecord<byte[], byte[]> unreadable = byKey.get("garbage");
      assertThat(unreadable.value()).as("as received").isEqualTo(garbage);
      assertThat(header(unreadable, "__streams.errors.exception")).isEqualTo(CorruptPayloadException.class.getName());
      assertThat(header(unreadable, "__streams.errors.message")).isNotBlank();
      assertThat(header(unreadable, "__streams.errors.topic")).isEqualTo("sketches");

      final ConsumerRecord<byte[], byte[]> rejected = byKey.get("bad-nan");
      assertThat(rejected.value()).isEqualTo(serializer.serialize("sketches", invalid));
      assertThat(header(rejected, "__streams.errors.exception")).isEqualTo(InvalidSketchException.class.getName());
      assertThat(header(rejected, "__streams.errors.message")).contains("bad-nan").contains("non-finite");
      assertThat(header(rejected, "__streams.errors.offset")).matches("\\d+");

      final RskClient client = new RskClient(server.url(), Duration.ofSeconds(10));
      Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
          .ignoreException(RskClientException.class)
          .until(() -> client.stats("cat", T0, T0.plus(Duration.ofDays(1))).inferences() == good.size());
    }
  }

  private static byte[] bytes(final String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String header(final ConsumerRecord<byte[], byte[]> r, final String name) {
    final Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
