package dev.rsk.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rsk.avro.InferenceSketch;
import dev.rsk.avro.ModuleActivation;
import dev.rsk.serde.AvroSerdes;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
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

  @TempDir Path dir;

  @Test
  void killedWhilePublishingAndRestartedEveryInferenceIsSketchedExactlyOnce() throws Exception {
    // the test reads the whole sketches topic at the end: its reader's group (which never commits) keeps it unpurged
    final Map<String, String> env = Map.of("RSK_API_TOKENS", "other-token," + TOKEN,
        "RSK_TOPIC_SKETCHES_PURGE_GROUPS", "rsk-stats,standalone-crash-test-reader");

    final long start = System.nanoTime();
    final StandaloneChild stack = StandaloneChild.start("StandaloneCrashTest", dir, env, TOKEN);
    try {
      stack.awaitReady();
      System.out.printf("StandaloneCrashTest: first start: /ready after %.1f s%n",
          ChildJvm.since(start).toMillis() / 1e3);
      assertThat(stack.get("/v1/modules", null).statusCode()).isEqualTo(401);

      int cats = 0;
      try (KafkaProducer<String, ModuleActivation> producer = stack.producer()) {
        for (int i = 0; i < BEFORE; i++) {
          cats += RECORDS.sceneWithACatEveryThird(producer, "b-" + i, i);
        }
        // The straddlers' input objects, consumed (and held as pending) before the crash.
        for (int i = 0; i < STRADDLING; i++) {
          producer.send(
              RECORDS.activation("s-" + i, "s-" + i + "-cat", "cat", List.of(), false, BEFORE + DURING + i));
        }
        producer.flush();
        awaitSketched(stack, Duration.ofSeconds(120), n -> n >= 300);

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
        final long sketchedAtKill = stack.sketched();
        stack.kill();
        System.out.printf("StandaloneCrashTest: killed -9 with %d inferences counted%n", sketchedAtKill);
        final long t0 = System.nanoTime();
        stack.restart();
        // The straddlers' roots, after the crash, sent while the stack restarts (the producer retries until
        // the broker is back). Sent only once the stack is ready, they could reach a loaded machine's
        // processor more than its wall-clock gap (rsk.gap.wall.ms, 60 s) after it resumed their pending
        // objects, which it would then rightly sketch as incomplete.
        for (int i = 0; i < STRADDLING; i++) {
          producer.send(RECORDS.activation("s-" + i, "s-" + i + "-root", "scene", List.of("s-" + i + "-cat"), true,
              BEFORE + DURING + i));
        }
        stack.awaitReady();
        System.out.printf("StandaloneCrashTest: restart after kill -9: /ready after %.1f s%n",
            ChildJvm.since(t0).toMillis() / 1e3);
        // The uncheckpointed task state was deleted before the apps started, so no task was found corrupted
        // (UncleanState: Kafka Streams would open every store twice, then wipe it and force another rebalance).
        final List<String> restart = linesOfLastStart(stack.rskLog());
        assertThat(restart).anyMatch(l -> l.contains("Unclean stop of rsk-stats: deleted"))
            .anyMatch(l -> l.contains("Unclean stop of rsk-sketch-processor: deleted"))
            .noneMatch(l -> l.contains("are corrupted"));
        publisher.join(600_000);
        producer.flush();
        cats += catsDuring.get() + STRADDLING;
        assertThat(sketchedAtKill).isBetween(300L, (long) BEFORE + DURING - 1);
      }
      final int total = BEFORE + DURING + STRADDLING;
      awaitSketched(stack, Duration.ofSeconds(240), n -> n >= total);
      // The aggregator's stores are not read under one snapshot: while the last records are applied an
      // answer can count an inference in one store and not yet in the other. Wait until both agree.
      Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
          .until(() -> frequency(stack, "scene").get("withModule").asLong() >= total);

      final JsonNode scene = frequency(stack, "scene");
      assertThat(scene.get("inferences").asLong()).isEqualTo(total);
      assertThat(scene.get("withModule").asLong()).isEqualTo(total);
      assertThat(scene.get("stale").asBoolean()).isFalse();
      final JsonNode cat = frequency(stack, "cat");
      assertThat(cat.get("withModule").asLong()).isEqualTo(cats);
      assertThat(cat.get("objects").asLong()).isEqualTo(cats);

      final List<ConsumerRecord<String, byte[]>> sketches = FaultTopics.read(stack.bootstrap(), "sketches", true);
      final Set<String> keys = new HashSet<>();
      sketches.forEach(r -> keys.add(r.key()));
      assertThat(sketches).hasSize(total);
      assertThat(keys).hasSize(total);
      final var deserializer = AvroSerdes.specific(InferenceSketch.class,
          Map.of("schema.registry.url", stack.registryUrl()), false).deserializer();
      for (final ConsumerRecord<String, byte[]> r : sketches) {
        final InferenceSketch s = deserializer.deserialize("sketches", r.value());
        assertThat(s.getComplete()).as(r.key()).isTrue();
        if (r.key().startsWith("s-")) {
          assertThat(s.getModuleCounts()).as(r.key()).containsEntry("cat", 1).containsEntry("scene", 1);
        }
      }
      assertThat(FaultTopics.read(stack.bootstrap(), "activations-dlq", true)).isEmpty();
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError(e.getMessage() + "\n--- the scene's frequency now ---\n" + lastAnswer(stack)
          + "\n--- open transactions ---\n" + stack.openTransactions()
          + "\n--- standalone log tail ---\n" + stack.tail(4000), e);
    } finally {
      stack.close();
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

  private static String lastAnswer(final StandaloneChild stack) {
    try {
      return stack.get(StandaloneChild.SCENE_FREQUENCY).body();
    } catch (Exception e) {
      return "no answer: " + e;
    }
  }

  private static void awaitSketched(final StandaloneChild stack, final Duration atMost,
      final java.util.function.LongPredicate done) {
    Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
        .until(() -> done.test(stack.sketched()));
  }

  private static JsonNode frequency(final StandaloneChild stack, final String module) throws Exception {
    final HttpResponse<String> r = stack.get("/v1/modules/" + module + "/frequency?from=2026-03-01&to=2026-03-04");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return StandaloneChild.JSON.readTree(r.body());
  }

  private static void sleep(final long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
