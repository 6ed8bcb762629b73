package dev.rsk.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.avro.ModuleActivation;
import dev.rsk.registry.HttpSchemaRegistryClient;
import dev.rsk.serde.AvroSerdes;
import dev.rsk.serde.JavaProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone stack: topics and schemas on start, everything kept across a restart on the same data dir. */
class StandaloneStackTest {

  @TempDir Path dataDir;

  @Test
  void aRestartOnTheSameDataDirKeepsTopicsRecordsAndSchemaIds() throws Exception {
    final StandaloneOptions options = StandaloneOptions.ephemeral(dataDir);
    final int activationId;
    final int sketchId;
    final ModuleActivation sent = ModuleActivation.newBuilder().setInferenceId("inf-1").setObjectId("o1")
        .setModule("cat").setAttributes(List.of(0.5f)).setInputs(List.of()).setRoot(true)
        // A year-old event: infinite retention must keep it.
        .setEventTime(Instant.now().minus(Duration.ofDays(365))).build();

    try (StandaloneStack stack = StandaloneStack.start(options)) {
      try (Admin admin = stack.kafka().admin()) {
        final Map<String, TopicDescription> topics = admin.describeTopics(
            List.of("activations", "sketches", "activations-dlq")).allTopicNames().get(30, TimeUnit.SECONDS);
        assertThat(topics.values()).allSatisfy(t -> assertThat(t.partitions()).hasSize(4));
        final ConfigResource activations = new ConfigResource(ConfigResource.Type.TOPIC, "activations");
        assertThat(admin.describeConfigs(List.of(activations)).all().get(30, TimeUnit.SECONDS).get(activations)
            .get("retention.ms").value()).isEqualTo("-1");
      }
      final HttpSchemaRegistryClient registry = HttpSchemaRegistryClient.forUrl(stack.registryUrl());
      activationId = registry.latest("activations-value").id();
      sketchId = registry.latest("sketches-value").id();
      assertThat(registry.byId(activationId)).isEqualTo(JavaProperties.strip(ModuleActivation.getClassSchema()));
      assertThat(registry.byId(sketchId)).isEqualTo(JavaProperties.strip(InferenceSketch.getClassSchema()));

      final Serde<ModuleActivation> serde = AvroSerdes.specific(ModuleActivation.class,
          Map.of("schema.registry.url", stack.registryUrl()), false);
      try (KafkaProducer<String, ModuleActivation> producer = new KafkaProducer<>(Map.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
          new StringSerializer(), serde.serializer())) {
        producer.send(new ProducerRecord<>("activations", null, sent.getEventTime().toEpochMilli(), "inf-1", sent))
            .get(30, TimeUnit.SECONDS);
      }
    }

    try (StandaloneStack again = StandaloneStack.start(options)) {
      final HttpSchemaRegistryClient registry = HttpSchemaRegistryClient.forUrl(again.registryUrl());
      assertThat(registry.latest("activations-value").id()).isEqualTo(activationId);
      assertThat(registry.latest("activations-value").version())
          .as("the Java serde registered nothing new: same schema as the stack's").isEqualTo(1);
      assertThat(registry.latest("sketches-value").id()).isEqualTo(sketchId);
      assertThat(registry.latest("concepts-value").schema().getFullName()).isEqualTo("dev.rsk.avro.ConceptEvent");
      try (Admin admin = again.kafka().admin()) {
        assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
            .containsAll(Set.of("activations", "sketches", "activations-dlq", "sketches-dlq", "concepts", "_schemas"));
        assertThat(admin.describeConfigs(List.of(new org.apache.kafka.common.config.ConfigResource(
            org.apache.kafka.common.config.ConfigResource.Type.TOPIC, "concepts"))).all().get(30, TimeUnit.SECONDS)
            .values().iterator().next().get("cleanup.policy").value()).isEqualTo("compact");
      }
      final Serde<ModuleActivation> serde = AvroSerdes.specific(ModuleActivation.class,
          Map.of("schema.registry.url", again.registryUrl()), false);
      final List<ConsumerRecord<String, ModuleActivation>> read = new ArrayList<>();
      try (KafkaConsumer<String, ModuleActivation> consumer = new KafkaConsumer<>(Map.of(
          ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, again.bootstrapServers(),
          ConsumerConfig.GROUP_ID_CONFIG, "restart-check",
          ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), serde.deserializer())) {
        consumer.subscribe(List.of("activations"));
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (read.isEmpty() && System.nanoTime() < deadline) {
          consumer.poll(Duration.ofMillis(200)).forEach(read::add);
        }
      }
      assertThat(read).extracting(ConsumerRecord::value).containsExactly(sent);
    }
  }

  @Test
  void attachedPartsCloseFirstInReverseOrder() {
    final List<String> closed = new ArrayList<>();
    try (StandaloneStack stack = StandaloneStack.start(StandaloneOptions.ephemeral(dataDir)
        .withTopics("in", "out", "dead", 1))) {
      stack.attach(() -> closed.add("processor"));
      stack.attach(() -> closed.add("api"));
    }
    assertThat(closed).containsExactly("api", "processor");
  }
}
