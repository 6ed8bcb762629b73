package dev.rsk.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rsk.avro.ModuleActivation;
import dev.rsk.registry.InMemorySchemaRegistryClient;
import dev.rsk.serde.AvroSerdes;
import dev.rsk.testing.KafkaExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SimulationPublisherTest {

  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

  @Test
  void publishesEveryEventKeyedByInferenceThroughTheAvroSerdeInShuffledOrder() throws Exception {
    final String topic = "activations-sim";
    KAFKA.createTopic(topic, 4);
    final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    final SimulationConfig config = SimulationConfig.defaults().withDays(1);
    final GroundTruth truth = new GroundTruth(config, true);
    final List<SimulationPublisher.Progress> reports = new ArrayList<>();
    final Map<String, Object> props = SimulationPublisher.producerConfig(KAFKA.bootstrapServers());
    final SimulationPublisher.Progress done;
    try (Serde<ModuleActivation> serde = AvroSerdes.specific(ModuleActivation.class, registry, false);
        KafkaProducer<String, ModuleActivation> producer =
            new KafkaProducer<>(props, new StringSerializer(), serde.serializer())) {
      done = SimulationPublisher.publish(new RoomSimulator(config), truth, producer, topic, reports::add);
    }
    assertThat(done.inferencesSent()).isEqualTo(120).isEqualTo(truth.inferences());
    assertThat(done.eventsAcked()).isEqualTo(done.eventsSent()).isEqualTo(truth.events());
    assertThat(reports).last().isEqualTo(done);
    assertThat(registry.latest(topic + "-value").schema())
        .isEqualTo(dev.rsk.serde.JavaProperties.strip(ModuleActivation.getClassSchema()));

    final List<ConsumerRecord<String, ModuleActivation>> records;
    try (Serde<ModuleActivation> serde = AvroSerdes.specific(ModuleActivation.class, registry, false)) {
      records = KAFKA.consume(topic, new StringDeserializer(), serde.deserializer(), (int) truth.events(),
          Duration.ofSeconds(60));
    }
    final Map<String, Integer> partitionOf = new HashMap<>();
    final Map<String, List<ModuleActivation>> byInference = new HashMap<>();
    for (final ConsumerRecord<String, ModuleActivation> r : records) {
      assertThat(r.key()).isEqualTo(r.value().getInferenceId());
      assertThat(partitionOf.computeIfAbsent(r.key(), k -> r.partition())).isEqualTo(r.partition());
      byInference.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
    }
    assertThat(partitionOf.values()).containsAll(Set.of(0, 1, 2, 3));
    int rootNotFirst = 0;
    for (final InferenceContent content : truth.inferenceList()) {
      final List<ModuleActivation> events = byInference.get(content.inferenceId());
      assertThat(events).hasSize(content.objects());
      assertThat(new HashSet<>(events.stream().map(ModuleActivation::getModule).toList()))
          .isEqualTo(content.modules().keySet());
      rootNotFirst += events.get(0).getRoot() ? 0 : 1;
    }
    assertThat(rootNotFirst).isGreaterThan(60);
  }

  @Test
  void aFailedSendStopsPublishingAndIsReported() {
    final MockProducer<String, ModuleActivation> producer = new MockProducer<>();
    producer.sendException = new KafkaException("broker says no");
    // It stopped at the first inference instead of generating all 240.
    assertThat(failedTwoDays(producer, "broker says no").inferences()).isEqualTo(1);
  }

  @Test
  void aSendThatFailsThroughItsCallbackStopsPublishingAtOnce() {
    // KafkaProducer reports an ApiException such as a metadata timeout (max.block.ms, 60 s here) through the callback
    // and a failed future, without throwing: each further send of the inference would block that long again.
    final List<String> sent = new ArrayList<>();
    final MockProducer<String, ModuleActivation> producer = new MockProducer<>() {
      @Override
      public synchronized Future<RecordMetadata> send(final ProducerRecord<String, ModuleActivation> record,
          final Callback callback) {
        sent.add(record.key());
        final TimeoutException e = new TimeoutException("Topic t not present in metadata after 60000 ms.");
        callback.onCompletion(null, e);
        return CompletableFuture.failedFuture(e);
      }
    };
    assertThat(failedTwoDays(producer, "not present in metadata").inferences()).isEqualTo(1);
    assertThat(sent).as("one blocked send, not one per event of the inference").hasSize(1);
  }

  /** Publishes two simulated days through {@code producer}, which must fail with {@code cause}; the truth so far. */
  private static GroundTruth failedTwoDays(final MockProducer<String, ModuleActivation> producer,
      final String cause) {
    final SimulationConfig config = SimulationConfig.defaults().withDays(2);
    final GroundTruth truth = new GroundTruth(config, false);
    assertThatThrownBy(() -> SimulationPublisher.publish(new RoomSimulator(config), truth, producer, "t", p -> { }))
        .isInstanceOf(KafkaException.class)
        .hasMessageContaining("publishing to 't' failed after 0 acknowledged events")
        .hasMessageContaining(cause);
    return truth;
  }
}
