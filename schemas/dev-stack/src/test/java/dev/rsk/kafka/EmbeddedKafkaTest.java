package dev.rsk.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rsk.avro.ModuleActivation;
import dev.rsk.serde.AvroSerdes;
import dev.rsk.testing.KafkaExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Produces and consumes Avro records through the in-process broker started by {@link KafkaExtension}. */
class EmbeddedKafkaTest {

  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

  @Test
  void avroRecordsRoundTripThroughTheBroker() throws Exception {
    KAFKA.createTopic("activations", 3);
    // The whole stack: broker, in-process registry over HTTP, Confluent-format serde configured by URL.
    final Serde<ModuleActivation> serde = AvroSerdes.specific(ModuleActivation.class, KAFKA.serdeConfig(), false);
    final List<ModuleActivation> sent =
        List.of(activation("inf-1", "a"), activation("inf-2", "b"), activation("inf-1", "c"));

    try (KafkaProducer<String, ModuleActivation> producer =
        new KafkaProducer<>(KAFKA.producerProps(), new StringSerializer(), serde.serializer())) {
      for (final ModuleActivation a : sent) {
        producer.send(new ProducerRecord<>("activations", a.getInferenceId(), a)).get(30, TimeUnit.SECONDS);
      }
    }
    final List<ConsumerRecord<String, ModuleActivation>> received =
        KAFKA.consume("activations", new StringDeserializer(), serde.deserializer(), 3, Duration.ofSeconds(60));

    assertThat(received).extracting(ConsumerRecord::value).containsExactlyInAnyOrderElementsOf(sent);
    assertThat(received).allSatisfy(r -> assertThat(r.key()).isEqualTo(r.value().getInferenceId()));
    // Same key, same partition: order within an inference is kept.
    assertThat(received.stream().filter(r -> r.key().equals("inf-1")).map(r -> r.value().getObjectId()))
        .containsExactly("a", "c");
    assertThat(KAFKA.registryClient().latest("activations-value").schema())
        .isEqualTo(dev.rsk.serde.JavaProperties.strip(ModuleActivation.getClassSchema()));
  }

  @Test
  void consumeWithCountZeroReadsToTheEndSoEmptinessIsReal() throws Exception {
    KAFKA.createTopic("maybe-empty", 2);
    assertThat(KAFKA.consume("maybe-empty", new StringDeserializer(), new StringDeserializer(), 0,
        Duration.ofMillis(100))).isEmpty();
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(KAFKA.producerProps(), new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>("maybe-empty", "k", "v")).get(30, TimeUnit.SECONDS);
    }
    assertThat(KAFKA.consume("maybe-empty", new StringDeserializer(), new StringDeserializer(), 0,
        Duration.ofMillis(100))).extracting(ConsumerRecord::value).containsExactly("v");
  }

  @Test
  void createTopicIsIdempotentAndAppliesConfig() throws Exception {
    KAFKA.broker().createTopic("compacted", 2, Map.of("cleanup.policy", "compact"));
    KAFKA.broker().createTopic("compacted", 2, Map.of("cleanup.policy", "compact"));

    try (var admin = KAFKA.broker().admin()) {
      final var description = admin.describeTopics(List.of("compacted")).allTopicNames().get(30, TimeUnit.SECONDS);
      assertThat(description.get("compacted").partitions()).hasSize(2);
      final var resource = new org.apache.kafka.common.config.ConfigResource(
          org.apache.kafka.common.config.ConfigResource.Type.TOPIC, "compacted");
      assertThat(admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource)
          .get("cleanup.policy").value()).isEqualTo("compact");
    }
  }

  @Test
  void logBytesPerTopicGrowWithTheRecordsWrittenAndAnEmptyTopicIsZero() throws Exception {
    KAFKA.createTopic("sized", 2);
    KAFKA.createTopic("never-written", 1);
    final Duration timeout = Duration.ofSeconds(30);
    try (var admin = KAFKA.broker().admin()) {
      final Map<String, Long> before = LogBytes.perTopic(admin, timeout);
      assertThat(before).containsEntry("sized", 0L).containsEntry("never-written", 0L)
          .doesNotContainKey("no-such-topic");

      final String value = "x".repeat(1_000);
      send("sized", value, 100);
      final long first = LogBytes.perTopic(admin, timeout).get("sized");
      // 100 uncompressed values of 1,000 bytes each: at least their payload, plus batch and record headers
      assertThat(first).isGreaterThanOrEqualTo(100 * 1_000L).isLessThan(2 * 100 * 1_000L);

      send("sized", value, 100);
      final Map<String, Long> after = LogBytes.perTopic(admin, timeout);
      assertThat(after.get("sized")).isGreaterThanOrEqualTo(first + 100 * 1_000L);
      assertThat(after).containsEntry("never-written", 0L).doesNotContainKey("no-such-topic");
    }
  }

  @Test
  void logBytesRejectsANonPositiveTimeoutAndTimesOutAgainstNoBroker() throws Exception {
    try (var admin = KAFKA.broker().admin()) {
      assertThatThrownBy(() -> LogBytes.perTopic(admin, Duration.ZERO))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
      assertThatThrownBy(() -> LogBytes.perTopic(admin, Duration.ofSeconds(-1)))
          .isInstanceOf(IllegalArgumentException.class);
    }
    final int nobody;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      nobody = s.getLocalPort();
    }
    try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of(
        org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + nobody))) {
      final long t0 = System.nanoTime();
      assertThatThrownBy(() -> LogBytes.perTopic(admin, Duration.ofMillis(500)))
          .isInstanceOf(java.util.concurrent.TimeoutException.class).hasMessageContaining("PT0.5S");
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    }
  }

  private static void send(final String topic, final String value, final int count) throws Exception {
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(KAFKA.producerProps(), new StringSerializer(), new StringSerializer())) {
      final List<java.util.concurrent.Future<?>> sent = new java.util.ArrayList<>();
      for (int i = 0; i < count; i++) {
        sent.add(producer.send(new ProducerRecord<>(topic, "k" + i, value)));
      }
      for (final java.util.concurrent.Future<?> f : sent) {
        f.get(30, TimeUnit.SECONDS);
      }
    }
  }

  private static ModuleActivation activation(final String inference, final String object) {
    return ModuleActivation.newBuilder().setInferenceId(inference).setObjectId(object).setModule("cat")
        .setAttributes(List.of(1f, 2f)).setInputs(List.of()).setEventTime(Instant.ofEpochMilli(5)).build();
  }
}
