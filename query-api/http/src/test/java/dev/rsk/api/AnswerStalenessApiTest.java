package dev.rsk.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.api.client.RskClient;
import dev.rsk.api.client.RskClientException;
import dev.rsk.api.server.ServerConfig;
import dev.rsk.api.server.StatsServer;
import dev.rsk.avro.InferenceSketch;
import dev.rsk.registry.InMemorySchemaRegistryClient;
import dev.rsk.serde.AvroSerdes;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.testing.Scenes;
import dev.rsk.testing.KafkaExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code rsk.api.answer.max.staleness} over real HTTP, Kafka and RocksDB: with a bound of 60 s a question asked
 * again after a commit is answered as it was read (the other questions, asked for the first time, already see the
 * commit), and the background refresh brings it up to date without the bound running out.
 */
class AnswerStalenessApiTest {

  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

  private static final SketchSpec SPEC = SketchSpec.of(256, 5L, 0.5, 0.5);
  private static final Instant T0 = Instant.parse("2026-04-01T00:00:00Z");
  private static final Instant T1 = T0.plus(Duration.ofDays(2));
  private static final Duration BOUND = Duration.ofSeconds(60);

  @Test
  void aRepeatedQuestionIsAnsweredAsReadWithinTheBoundThenRefreshed() throws Exception {
    KAFKA.createTopic("sketches", 2);
    KAFKA.createTopic("sketches-dlq", 1);
    final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    final Serializer<InferenceSketch> serializer =
        AvroSerdes.specific(InferenceSketch.class, registry, false).serializer();
    final Scenes scenes = new Scenes(SPEC, 3);
    final Properties p = OneServer.props(KAFKA, "staleness-test");
    p.put(ServerConfig.ANSWER_MAX_STALENESS, BOUND.toString());
    try (StatsServer server = StatsServer.start(new ServerConfig(p),
        AvroSerdes.specific(InferenceSketch.class, registry, false));
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KAFKA.producerProps(), new StringSerializer(),
            (topic, v) -> v)) {
      final RskClient client = new RskClient(server.url(), Duration.ofSeconds(10));
      for (int i = 0; i < 6; i++) { // 6 cats on day 0
        final InferenceSketch s = scenes.scene("a-" + i, T0.plusSeconds(3600 + i).toEpochMilli(), 1, 0, 0);
        OneServer.send(producer, serializer, s);
      }
      producer.flush();
      awaitCats(client, T1.plusSeconds(3600), 6); // a question of its own: its first read sees the commit
      final long readAt = System.nanoTime();
      assertThat(cats(client, T1)).isEqualTo(6); // the question repeated below, read now
      for (int i = 0; i < 3; i++) { // 3 more cats on day 1
        final InferenceSketch s = scenes.scene("b-" + i, T0.plus(Duration.ofHours(29)).plusSeconds(i).toEpochMilli(),
            1, 0, 0);
        OneServer.send(producer, serializer, s);
      }
      producer.flush();
      awaitCats(client, T1.plusSeconds(7200), 9); // committed: another new question sees all 9
      final long stale = cats(client, T1);
      if (System.nanoTime() - readAt < BOUND.toNanos()) { // a machine this slow could not tell; it never is
        assertThat(stale).isEqualTo(6); // as read, within the bound, although the stores changed
      }
      awaitCats(client, T1, 9); // refreshed in the background once a quarter of the bound old
    }
  }

  private static long cats(final RskClient client, final Instant to) {
    return client.frequency("cat", T0, to, "P1D").withModule();
  }

  /** Waits (at most the bound and 30 s) until the question [T0, to) counts {@code cats}. */
  private static void awaitCats(final RskClient client, final Instant to, final long cats) {
    Awaitility.await().atMost(BOUND.plusSeconds(30)).pollInterval(Duration.ofMillis(500))
        .ignoreException(RskClientException.class)
        .until(() -> cats(client, to) == cats);
  }
}
