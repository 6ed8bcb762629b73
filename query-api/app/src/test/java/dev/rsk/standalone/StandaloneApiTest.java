package dev.rsk.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.api.client.RskClient;
import dev.rsk.api.client.RskClientException;
import dev.rsk.api.model.FrequencyResponse;
import dev.rsk.api.server.StatsServer;
import dev.rsk.avro.InferenceSketch;
import dev.rsk.serde.AvroSerdes;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.testing.Scenes;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone stack serves the API: sketches published through its registry are counted per day, by two stream
 * threads.
 */
class StandaloneApiTest {

  @TempDir Path dataDir;

  @Test
  void standaloneAnswersHowOftenThereWasACatByDay() {
    try (StandaloneStack stack = StandaloneStack.start(StandaloneOptions.ephemeral(dataDir))) {
      final StatsServer api = StandaloneApi.attach(stack);
      final Scenes scenes = new Scenes(SketchSpec.defaults(), 5);
      final Instant day = Instant.parse("2026-05-01T00:00:00Z");
      try (KafkaProducer<String, InferenceSketch> producer = new KafkaProducer<>(
          Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()), new StringSerializer(),
          AvroSerdes.specific(InferenceSketch.class, Map.of("schema.registry.url", stack.registryUrl()), false)
              .serializer())) {
        for (int i = 0; i < 10; i++) {
          // Day 1: 6 inferences, 4 with a cat; day 2: 4 inferences, 1 with a cat.
          final boolean first = i < 6;
          final int cats = first ? (i < 4 ? 1 : 0) : (i == 6 ? 2 : 0);
          final Instant t = day.plus(Duration.ofDays(first ? 0 : 1)).plus(Duration.ofHours(i));
          producer.send(
              new ProducerRecord<>("sketches", "s-" + i, scenes.scene("s-" + i, t.toEpochMilli(), cats, 0, 1)));
        }
      }
      final RskClient client = new RskClient(api.url());
      final FrequencyResponse f = Awaitility.await().atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500)).ignoreException(RskClientException.class)
          // Stores are read without a snapshot across them: wait for the complete answer.
          .until(() -> client.frequency("cat", day, day.plus(Duration.ofDays(2)), "P1D"),
              r -> r.inferences() == 10 && r.withModule() == 5);
      assertThat(f.buckets()).extracting(FrequencyResponse.Bucket::withModule).containsExactly(4L, 1L);
      assertThat(f.buckets()).extracting(FrequencyResponse.Bucket::inferences).containsExactly(6L, 4L);
      assertThat(f.objects()).isEqualTo(6);
      assertThat(client.ready()).isTrue();
      // The stats topology runs four stream threads by default, one per partition of the sketches topic, all
      // aggregating (while one commits the others work: the demo's lag, docs/exact-stats.md).
      assertThat(api.streams().metadataForLocalThreads()).hasSize(4)
          .allSatisfy(t -> assertThat(t.activeTasks()).isNotEmpty());
    }
  }
}
