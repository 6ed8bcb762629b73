package dev.rsk.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rsk.avro.InferenceSketch;
import dev.rsk.avro.ModuleActivation;
import dev.rsk.serde.AvroSerdes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 (a): {@code rsk standalone} in a child JVM, killed with SIGKILL while a producer publishes, and
 * restarted on the same data directory while the producer keeps retrying. Some inferences straddle the
 * crash (their input object was consumed before it, their root is sent after it). Afterwards every
 * inference is on {@code sketches} exactly once (read_committed: records = distinct keys = inferences),
 * complete, the API's counts are exact, and nothing went to the DLQ. The API runs with
 * {@code RSK_API_TOKENS}, so this also checks that the standalone stack honours it.
 */
@Tag("fault")
class StandaloneCrashTest {

  static final String TOKEN = "crash-test-token";
  static final int BEFORE = 1_500;
  static final int DURING = 2_500;
  static final int STRADDLING = 20;
  static final FaultRecords RECORDS = new FaultRecords(Instant.parse("2026-03-02T00:00:00Z"), "crash-test");
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path dir;

  @Test
  void killedWhilePublishingAndRestartedEveryInferenceIsSketchedExactlyOnce() throws Exception {
    final int kafka = ChildJvm.freePort();
    final int registry = ChildJvm.freePort();
    final int http = ChildJvm.freePort();
    final Path data = dir.resolve("data");
    final String[] args = {"standalone", "--kafka-port", "" + kafka, "--registry-port", "" + registry,
        "--http-port", "" + http, "--data-dir", data.toString()};
    // the test reads the whole sketches topic at the end: its reader's group (which never commits) keeps it unpurged
    final Map<String, String> env = Map.of("RSK_API_TOKENS", "other-token," + TOKEN,
        "RSK_TOPIC_SKETCHES_PURGE_GROUPS", "rsk-stats,standalone-crash-test-reader");
    final String api = "http://127.0.0.1:" + http;
    final Path log = dir.resolve("standalone.log");

    final long start = System.nanoTime();
    ChildJvm stack = ChildJvm.rsk(log, env, args);
    try {
      awaitReady(api, stack, Duration.ofSeconds(180), kafka, data);
      System.out.printf("StandaloneCrashTest: first start: /ready after %.1f s%n",
          ChildJvm.since(start).toMillis() / 1e3);
      assertThat(get(api, "/v1/modules", null).statusCode()).isEqualTo(401);

      final Map<String, Object> producerConfig = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + kafka,
          ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
          ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600_000, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
          ProducerConfig.MAX_BLOCK_MS_CONFIG, 600_000, ProducerConfig.LINGER_MS_CONFIG, 5,
          ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
      final Serializer<ModuleActivation> values = AvroSerdes.specific(ModuleActivation.class,
          Map.of("schema.registry.url", "http://127.0.0.1:" + registry), false).serializer();
      int cats = 0;
      try (KafkaProducer<String, ModuleActivation> producer =
          new KafkaProducer<>(producerConfig, new StringSerializer(), values)) {
        for (int i = 0; i < BEFORE; i++) {
          cats += RECORDS.sceneWithACatEveryThird(producer, "b-" + i, i);
        }
        // The straddlers' input objects, consumed (and held as pending) before the crash.
        for (int i = 0; i < STRADDLING; i++) {
          producer.send(
              RECORDS.activation("s-" + i, "s-" + i + "-cat", "cat", List.of(), false, BEFORE + DURING + i));
        }
        producer.flush();
        awaitSketched(api, Duration.ofSeconds(120), n -> n >= 300);

        // Keep publishing while the stack dies and comes back: the producer buffers and retries.
        final AtomicInteger catsDuring = new AtomicInteger();
        final Thread publisher = new Thread(() -> {
          for (int i = 0; i < DURING; i++) {
            catsDuring.addAndGet(RECORDS.sceneWithACatEveryThird(producer, "d-" + i, BEFORE + i));
            if (i % 50 == 0) {
              sleep(20);
            }
          }
        }, "publisher");
        publisher.start();
        sleep(300);
        final long sketchedAtKill = sketched(api);
        stack.kill();
        System.out.printf("StandaloneCrashTest: killed -9 with %d inferences counted%n", sketchedAtKill);
        final long t0 = System.nanoTime();
        stack = ChildJvm.rsk(log, env, args);
        // The straddlers' roots, after the crash, sent while the stack restarts (the producer retries until
        // the broker is back). Sent only once the stack is ready, they could reach a loaded machine's
        // processor more than its wall-clock gap (rsk.gap.wall.ms, 60 s) after it resumed their pending
        // objects, which it would then rightly sketch as incomplete.
        for (int i = 0; i < STRADDLING; i++) {
          producer.send(RECORDS.activation("s-" + i, "s-" + i + "-root", "scene", List.of("s-" + i + "-cat"), true,
              BEFORE + DURING + i));
        }
        awaitReady(api, stack, Duration.ofSeconds(180), kafka, data);
        System.out.printf("StandaloneCrashTest: restart after kill -9: /ready after %.1f s%n",
            ChildJvm.since(t0).toMillis() / 1e3);
        // The uncheckpointed task state was deleted before the apps started, so no task was found corrupted
        // (UncleanState: Kafka Streams would open every store twice, then wipe it and force another rebalance).
        final List<String> restart = linesOfLastStart(data.resolve("rsk.log"));
        assertThat(restart).anyMatch(l -> l.contains("Unclean stop of rsk-stats: deleted"))
            .anyMatch(l -> l.contains("Unclean stop of rsk-sketch-processor: deleted"))
            .noneMatch(l -> l.contains("are corrupted"));
        publisher.join(600_000);
        producer.flush();
        cats += catsDuring.get() + STRADDLING;
        assertThat(sketchedAtKill).isBetween(300L, (long) BEFORE + DURING - 1);
      }
      final int total = BEFORE + DURING + STRADDLING;
      awaitSketched(api, Duration.ofSeconds(240), n -> n >= total);
      // The aggregator's stores are not read under one snapshot: while the last records are applied an
      // answer can count an inference in one store and not yet in the other. Wait until both agree.
      Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
          .until(() -> frequency(api, "scene").get("withModule").asLong() >= total);

      final JsonNode scene = frequency(api, "scene");
      assertThat(scene.get("inferences").asLong()).isEqualTo(total);
      assertThat(scene.get("withModule").asLong()).isEqualTo(total);
      assertThat(scene.get("stale").asBoolean()).isFalse();
      final JsonNode cat = frequency(api, "cat");
      assertThat(cat.get("withModule").asLong()).isEqualTo(cats);
      assertThat(cat.get("objects").asLong()).isEqualTo(cats);

      final List<ConsumerRecord<String, byte[]>> sketches = readCommitted(kafka, "sketches");
      final Set<String> keys = new HashSet<>();
      sketches.forEach(r -> keys.add(r.key()));
      assertThat(sketches).hasSize(total);
      assertThat(keys).hasSize(total);
      final var deserializer = AvroSerdes.specific(InferenceSketch.class,
          Map.of("schema.registry.url", "http://127.0.0.1:" + registry), false).deserializer();
      for (final ConsumerRecord<String, byte[]> r : sketches) {
        final InferenceSketch s = deserializer.deserialize("sketches", r.value());
        assertThat(s.getComplete()).as(r.key()).isTrue();
        if (r.key().startsWith("s-")) {
          assertThat(s.getModuleCounts()).as(r.key()).containsEntry("cat", 1).containsEntry("scene", 1);
        }
      }
      assertThat(readCommitted(kafka, "activations-dlq")).isEmpty();
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError(e.getMessage() + "\n--- the scene's frequency now ---\n" + lastAnswer(api)
          + "\n--- open transactions ---\n" + transactions(kafka)
          + "\n--- standalone log tail ---\n" + stack.tail(4000), e);
    } finally {
      stack.close();
      ChildJvm.keepLog(log, "StandaloneCrashTest.log");
      ChildJvm.keepGcLogs(log, "StandaloneCrashTest");
      if (java.nio.file.Files.exists(data.resolve("rsk.log"))) {
        ChildJvm.keepLog(data.resolve("rsk.log"), "StandaloneCrashTest-rsk.log");
      }
    }
  }

  /** The lines {@code rsk.log} holds since the last start of the broker's controller. */
  static List<String> linesOfLastStart(final Path rskLog) throws java.io.IOException {
    final List<String> lines = java.nio.file.Files.readAllLines(rskLog);
    int from = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains("Performing controller activation")) {
        from = i;
      }
    }
    return lines.subList(from, lines.size());
  }

  private static String lastAnswer(final String api) {
    try {
      return get(api, "/v1/modules/scene/frequency?from=2026-03-01&to=2026-03-04", TOKEN).body();
    } catch (Exception e) {
      return "no answer: " + e;
    }
  }

  /**
   * The broker's transactions that are not complete, to tell a hanging transaction (a restart stuck on
   * {@code UNSTABLE_OFFSET_COMMIT}) from a slow one when this test fails.
   */
  static String transactions(final int kafka) {
    try (Admin admin = FaultTopics.admin("127.0.0.1:" + kafka)) {
      final List<String> ids = admin.listTransactions().all().get(15, TimeUnit.SECONDS).stream()
          .map(TransactionListing::transactionalId).toList();
      final StringBuilder out = new StringBuilder();
      admin.describeTransactions(ids).all().get(15, TimeUnit.SECONDS).forEach((id, d) -> {
        if (d.state() != TransactionState.COMPLETE_COMMIT && d.state() != TransactionState.COMPLETE_ABORT
            && d.state() != TransactionState.EMPTY) {
          out.append(id).append(' ').append(d.state()).append(" producer ").append(d.producerId()).append('/')
              .append(d.producerEpoch()).append(" timeout ").append(d.transactionTimeoutMs()).append(" ms started ")
              .append(d.transactionStartTimeMs().isPresent() ? Instant.ofEpochMilli(d.transactionStartTimeMs()
                  .getAsLong()) : "?").append(" partitions ").append(d.topicPartitions()).append('\n');
        }
      });
      return out.length() == 0 ? "none" : out.toString();
    } catch (Exception e) {
      return "cannot list them: " + e;
    }
  }



  private static List<ConsumerRecord<String, byte[]>> readCommitted(final int kafka, final String topic) {
    return FaultTopics.read("127.0.0.1:" + kafka, topic, true);
  }


  /** Waits until {@code /ready} answers 200; when it does not in time, fails with where the stack is stuck. */
  private static void awaitReady(final String api, final ChildJvm stack, final Duration atMost, final int kafka,
      final Path data) {
    try {
      Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
        if (!stack.alive()) {
          throw new AssertionError("rsk standalone exited:\n" + stack.tail(4000));
        }
        return get(api, "/ready", null).statusCode() == 200;
      });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      final String diagnosis = StackDiagnosis.of("StandaloneCrashTest", stack, api, "127.0.0.1:" + kafka,
          data.resolve("rsk.log"));
      System.out.println("StandaloneCrashTest: not ready after " + atMost + "\n" + diagnosis);
      throw new AssertionError("not ready after " + atMost + "\n" + diagnosis, e);
    }
  }

  private static void awaitSketched(final String api, final Duration atMost,
      final java.util.function.LongPredicate done) {
    Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
        .until(() -> done.test(sketched(api)));
  }

  /** Inferences counted by the API (the scene root is in every one); -1 while it cannot answer. */
  private static long sketched(final String api) throws Exception {
    final HttpResponse<String> r = get(api, "/v1/modules/scene/frequency?from=2026-03-01&to=2026-03-04",
        TOKEN);
    return r.statusCode() == 200 ? JSON.readTree(r.body()).get("inferences").asLong() : -1;
  }

  private static JsonNode frequency(final String api, final String module) throws Exception {
    final HttpResponse<String> r = get(api, "/v1/modules/" + module + "/frequency?from=2026-03-01&to=2026-03-04",
        TOKEN);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static HttpResponse<String> get(final String api, final String path, final String token)
      throws Exception {
    final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(20));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void sleep(final long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
