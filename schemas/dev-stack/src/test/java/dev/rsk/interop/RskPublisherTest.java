package dev.rsk.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rsk.avro.ModuleActivation;
import dev.rsk.avro.ModuleInput;
import dev.rsk.contract.InferenceEvents;
import dev.rsk.contract.PublishException;
import dev.rsk.contract.RskPublisher;
import dev.rsk.kafka.EmbeddedKafka;
import dev.rsk.serde.AvroSerdes;
import dev.rsk.sketch.SketchInput;
import dev.rsk.testing.KafkaExtension;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The Java publisher against the in-process broker and registry: delivery, and each failure bounded and named. */
class RskPublisherTest {

  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

  private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

  @TempDir Path tmp;

  @Test
  void publishedInferencesAreReadBackFieldForField() {
    KAFKA.createTopic("java-publisher", 2);
    try (RskPublisher publisher = RskPublisher.connect(config(KAFKA.bootstrapServers(), KAFKA.registryUrl()),
        "java-publisher")) {
      for (int n = 0; n < 2; n++) {
        assertThat(publisher.send(new InferenceEvents("inf-" + n).eventTime(T.plusSeconds(n)).source("svc")
            .add("eye", "eye", new float[] {0.25f * n, -0.5f})
            .add("cat", "cat_detector", new float[] {1f, 2f, 3f}, new SketchInput("eye", "left", 0.75f))
            .root("cat"))).isEqualTo(2);
      }
      publisher.flush(Duration.ofSeconds(30));
    }
    final List<ConsumerRecord<String, ModuleActivation>> records = KAFKA.consume("java-publisher",
        new StringDeserializer(), AvroSerdes.specific(ModuleActivation.class, KAFKA.serdeConfig(), false)
            .deserializer(), 4, Duration.ofSeconds(60));
    assertThat(records).extracting(ConsumerRecord::value).containsExactlyInAnyOrder(
        event("inf-0", "eye", "eye", List.of(0f, -0.5f), List.of(), false, T),
        event("inf-0", "cat", "cat_detector", List.of(1f, 2f, 3f), List.of(left()), true, T),
        event("inf-1", "eye", "eye", List.of(0.25f, -0.5f), List.of(), false, T.plusSeconds(1)),
        event("inf-1", "cat", "cat_detector", List.of(1f, 2f, 3f), List.of(left()), true, T.plusSeconds(1)));
    assertThat(records).allSatisfy(r -> assertThat(r.key()).isEqualTo(r.value().getInferenceId()));
  }

  @Test
  void kafkaDownFailsAtConnectWithinMaxBlock() throws IOException {
    final String bootstrap = "127.0.0.1:" + Ports.closed();
    final long start = System.nanoTime();
    assertThatThrownBy(() -> RskPublisher.connect(config(bootstrap, KAFKA.registryUrl()), "java-down"))
        .isInstanceOf(PublishException.class).hasMessageContaining("Kafka at 127.0.0.1:")
        .hasMessageContaining("broker down or topic missing");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void registryDownFailsAtConnectAfterBoundedRetries() throws IOException {
    final long start = System.nanoTime();
    final String registry = "http://127.0.0.1:" + Ports.closed();
    assertThatThrownBy(() -> RskPublisher.connect(config(KAFKA.bootstrapServers(), registry)))
        .isInstanceOf(PublishException.class).hasMessageContaining("Schema registry " + registry);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void eventsKafkaNeverAcknowledgedAreReportedByFlush() {
    final EmbeddedKafka lonely = EmbeddedKafka.start(tmp.resolve("lonely"), 0);
    final RskPublisher publisher;
    try {
      lonely.createTopic("doomed", 1, Map.of());
      final Map<String, Object> config = config(lonely.bootstrapServers(), KAFKA.registryUrl());
      config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 3_000);
      config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 1_000);
      publisher = RskPublisher.connect(config, "doomed");
      // one delivered inference first: the idempotent producer then holds its producer id, so what follows
      // fails by delivery timeout (without an id, the Kafka client keeps a batch queued until the id arrives,
      // and flush reports it as still in flight instead: docs/publishers.md)
      publisher.send(new InferenceEvents("delivered").add("a", "m", new float[] {1f}).root("a"));
      publisher.flush(Duration.ofSeconds(30));
    } finally {
      lonely.close();
    }
    publisher.send(new InferenceEvents("lost").add("a", "m", new float[] {1f}).root("a"));
    final long start = System.nanoTime();
    // delivery.timeout.ms is 3 s: the flush bound is generous only for a machine under heavy load
    assertThatThrownBy(() -> publisher.flush(Duration.ofSeconds(60)))
        .isInstanceOfSatisfying(PublishException.class, e -> {
          assertThat(e.failures()).extracting(PublishException.Failure::inferenceId, PublishException.Failure::objectId)
              .containsExactly(org.assertj.core.groups.Tuple.tuple("lost", "a"));
          assertThat(e.pending()).isZero();
          assertThat(e).hasMessageContaining("1 events not delivered, e.g. lost/a");
        });
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
    // Nothing left: close has nothing more to report.
    publisher.close();
  }

  @Test
  void invalidInferencesAreRefusedBeforeAnythingIsSent() {
    KAFKA.createTopic("java-invalid", 1);
    try (RskPublisher publisher = RskPublisher.connect(config(KAFKA.bootstrapServers(), KAFKA.registryUrl()),
        "java-invalid")) {
      assertThatThrownBy(() -> publisher.send(new InferenceEvents("bad").add("a", "m", new float[] {1f},
          SketchInput.of("nobody", null)).root("a"))).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("nobody");
      publisher.flush(Duration.ofSeconds(5));
    }
    assertThat(KAFKA.consume("java-invalid", new StringDeserializer(), new StringDeserializer(), 0,
        Duration.ofSeconds(5))).isEmpty();
  }

  static Map<String, Object> config(final String bootstrap, final String registry) {
    return RskPublisher.config(bootstrap, registry);
  }

  private static ModuleInput left() {
    return ModuleInput.newBuilder().setObjectId("eye").setSlot("left").setWeight(0.75f).build();
  }

  private static ModuleActivation event(final String inference, final String object, final String module,
      final List<Float> attributes, final List<ModuleInput> inputs, final boolean root, final Instant time) {
    return ModuleActivation.newBuilder().setInferenceId(inference).setObjectId(object).setModule(module)
        .setAttributes(attributes).setInputs(inputs).setRoot(root).setEventTime(time).setSource("svc").build();
  }
}
