package dev.rsk.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.api.client.RskClient;
import dev.rsk.api.client.RskClientException;
import dev.rsk.api.model.FrequencyResponse;
import dev.rsk.api.server.ServerConfig;
import dev.rsk.api.server.StatsServer;
import dev.rsk.avro.InferenceSketch;
import dev.rsk.registry.InMemorySchemaRegistryClient;
import dev.rsk.serde.AvroSerdes;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.testing.Scenes;
import dev.rsk.testing.KafkaExtension;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.zip.GZIPInputStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The answer cache (rsk.api.answer.cache.bytes, on by default) never outlives a commit: frequency, hours and stats
 * asked again and again over the same range answer the first batch exactly, and once a second batch is committed
 * the same questions include it. A single instance holds both partitions, so whole answers are kept as the bytes
 * served: the same bytes every time until a commit.
 */
class AnswerCacheApiTest {

  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final SketchSpec SPEC = SketchSpec.of(256, 5L, 0.5, 0.5);
  private static final Instant T0 = Instant.parse("2026-04-01T00:00:00Z");
  private static final Instant T1 = T0.plus(Duration.ofDays(2));

  @Test
  void repeatedQuestionsAnswerEveryCommittedSketch() throws Exception {
    KAFKA.createTopic("sketches", 2);
    KAFKA.createTopic("sketches-dlq", 1);
    final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    final Serializer<InferenceSketch> serializer =
        AvroSerdes.specific(InferenceSketch.class, registry, false).serializer();
    final Scenes scenes = new Scenes(SPEC, 3);
    final Properties p = OneServer.props(KAFKA, "cache-test");
    try (StatsServer server = StatsServer.start(new ServerConfig(p),
        AvroSerdes.specific(InferenceSketch.class, registry, false));
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KAFKA.producerProps(), new StringSerializer(),
            (topic, v) -> v)) {
      final RskClient client = new RskClient(server.url(), Duration.ofSeconds(10));
      // batch 1: 6 inferences with one cat at 01:00 of day 0 and 4 without at 02:00
      for (int i = 0; i < 10; i++) {
        final InferenceSketch s = scenes.scene("a-" + i, T0.plusSeconds(3600 + (i < 6 ? 0 : 3600) + i).toEpochMilli(),
            i < 6 ? 1 : 0, i < 6 ? 0 : 1, 0);
        OneServer.send(producer, serializer, s);
      }
      producer.flush();
      awaitCats(client, 6, 10);
      for (int i = 0; i < 5; i++) { // asked again: the same exact answer (kept or read again)
        assertCounts(client, 6, 10, 6);
      }
      final long made = server.api().wholeAnswersMade();
      final List<String> before = sameBytesAgain(server.url());
      // 9 requests: at most the 3 questions' answers made (if a commit came between), the rest kept bytes
      assertThat(server.api().wholeAnswersMade() - made).isLessThanOrEqualTo(3);
      // batch 2: 3 more cats on day 1 at 05:00
      for (int i = 0; i < 3; i++) {
        final InferenceSketch s = scenes.scene("b-" + i, T0.plus(Duration.ofHours(29)).plusSeconds(i).toEpochMilli(),
            1, 0, 0);
        OneServer.send(producer, serializer, s);
      }
      producer.flush();
      awaitCats(client, 9, 13);
      assertCounts(client, 9, 13, 9);
      final List<String> after = sameBytesAgain(server.url());
      for (int r = 0; r < after.size(); r++) {
        assertThat(after.get(r)).isNotEqualTo(before.get(r));
      }
      final FrequencyResponse f = client.frequency("cat", T0, T1, "P1D");
      assertThat(f.buckets()).extracting(FrequencyResponse.Bucket::withModule).containsExactly(6L, 3L);
      assertThat(client.hours("cat", T0, T1, "UTC").hours().get(5).withModule()).isEqualTo(3);
    }
  }

  /**
   * The bodies of frequency, hours and stats, each asked three times: a whole answer kept as bytes is the same
   * bytes every time (the server holds both partitions, so it keeps them).
   */
  private static List<String> sameBytesAgain(final String base) throws Exception {
    final String range = "from=" + T0 + "&to=" + T1;
    final List<String> bodies = new ArrayList<>();
    for (final String route : List.of("frequency?bucket=P1D&", "hours?zone=UTC&", "stats?")) {
      final HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/modules/cat/" + route + range))
          .timeout(Duration.ofSeconds(10)).build();
      final List<String> got = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        final HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        got.add(r.body());
      }
      assertThat(got).containsOnly(got.get(0));
      bodies.add(got.get(0));
      assertSameGzipped(request, got.get(0));
    }
    return bodies;
  }

  /**
   * The answer asked with {@code Accept-Encoding: gzip} decodes to {@code body}, and is gzipped when it is long
   * enough (Javalin compresses bodies of at least 1,500 bytes; here the hours' and the stats' answers).
   */
  private static void assertSameGzipped(final HttpRequest plain, final String body) throws Exception {
    final boolean compressed = body.getBytes(StandardCharsets.UTF_8).length >= 1500;
    final HttpRequest gzip = HttpRequest.newBuilder(plain.uri()).header("Accept-Encoding", "gzip")
        .timeout(Duration.ofSeconds(10)).build();
    final HttpResponse<byte[]> r = HTTP.send(gzip, HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    final boolean gzipped = r.headers().firstValue("Content-Encoding").orElse("").equals("gzip");
    assertThat(gzipped).as("gzipped " + plain.uri()).isEqualTo(compressed);
    if (plain.uri().getPath().endsWith("/stats")) {
      assertThat(gzipped).as("the stats answer is long enough to be gzipped").isTrue();
    }
    final byte[] decoded = gzipped ? new GZIPInputStream(new ByteArrayInputStream(r.body())).readAllBytes()
        : r.body();
    assertThat(new String(decoded, StandardCharsets.UTF_8)).isEqualTo(body);
  }

  /** Waits (at most 60 s) until frequency answers {@code cats} of {@code inferences}. */
  private static void awaitCats(final RskClient client, final long cats, final long inferences) {
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .ignoreException(RskClientException.class)
        .until(() -> {
          final FrequencyResponse f = client.frequency("cat", T0, T1, "P1D");
          return f.withModule() == cats && f.inferences() == inferences;
        });
  }

  private static void assertCounts(final RskClient client, final long cats, final long inferences,
      final long catObjects) {
    final FrequencyResponse f = client.frequency("cat", T0, T1, "P1D");
    assertThat(new long[] {f.inferences(), f.withModule(), f.objects()})
        .containsExactly(inferences, cats, catObjects);
    final var h = client.hours("cat", T0, T1, "UTC");
    assertThat(new long[] {h.inferences(), h.withModule(), h.hours().get(1).withModule()})
        .containsExactly(inferences, cats, 6);
    final var s = client.stats("cat", T0, T1);
    assertThat(new long[] {s.inferences(), s.withModule(), s.objects()}).containsExactly(inferences, cats, catObjects);
    assertThat(s.fromSums().sketches()).isEqualTo(inferences);
  }
}
