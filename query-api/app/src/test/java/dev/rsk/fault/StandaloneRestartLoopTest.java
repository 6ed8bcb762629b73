package dev.rsk.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rsk.avro.ModuleActivation;
import dev.rsk.avro.ModuleInput;
import dev.rsk.serde.AvroSerdes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: {@code rsk standalone} in a child JVM, SIGKILLed at a random moment and restarted on the same data
 * directory, {@value #DEFAULT_CYCLES} times (system property {@code rsk.restart.cycles}), while a producer keeps
 * publishing. Every restart must print its {@code ready (processor and API running)} line within
 * {@link #READY}: a restart whose processor hangs (e.g. on the pending offsets of a transaction the killed
 * process left open) fails here with the broker's open transactions. At the end every inference published is
 * counted exactly once. Prints each restart time.
 */
@Tag("long")
@Tag("fault")
class StandaloneRestartLoopTest {

  static final int DEFAULT_CYCLES = 10;
  static final Duration READY = Duration.ofSeconds(180);
  static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");
  static final String READY_LINE = "rsk standalone: ready (processor and API running)";
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path dir;

  @Test
  void everyRestartAfterKillMinus9IsReadyAndNothingIsLostOrCountedTwice() throws Exception {
    final int cycles = Integer.getInteger("rsk.restart.cycles", DEFAULT_CYCLES);
    final long seed = Long.getLong("rsk.restart.seed", System.nanoTime());
    final Random random = new Random(seed);
    final int kafka = ChildJvm.freePort();
    final int registry = ChildJvm.freePort();
    final int http = ChildJvm.freePort();
    final Path data = dir.resolve("data");
    final String[] args = {"standalone", "--kafka-port", "" + kafka, "--registry-port", "" + registry,
        "--http-port", "" + http, "--data-dir", data.toString()};
    final String api = "http://127.0.0.1:" + http;
    final Path log = dir.resolve("standalone.log");
    System.out.printf("StandaloneRestartLoopTest: %d cycles, seed %d%n", cycles, seed);

    ChildJvm stack = ChildJvm.rsk(log, Map.of(), args);
    final List<Double> restarts = new ArrayList<>();
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicInteger published = new AtomicInteger();
    Thread publisher = null;
    try {
      awaitReadyLine(log, 1, stack, kafka, api, data.resolve("rsk.log"));
      final Map<String, Object> producerConfig = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + kafka,
          ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
          ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600_000, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
          ProducerConfig.MAX_BLOCK_MS_CONFIG, 600_000, ProducerConfig.LINGER_MS_CONFIG, 5,
          ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
      final KafkaProducer<String, ModuleActivation> producer = new KafkaProducer<>(producerConfig,
          new StringSerializer(), AvroSerdes.specific(ModuleActivation.class,
              Map.of("schema.registry.url", "http://127.0.0.1:" + registry), false).serializer());
      // One inference before the kills, so that the serializer has the schema id cached (the registry is down
      // while the stack is).
      producer.send(activation("i-0", "i-0-cat", "cat", List.of(), false, 0)).get();
      producer.send(activation("i-0", "i-0-root", "scene", List.of("i-0-cat"), true, 0)).get();
      published.incrementAndGet();
      publisher = new Thread(() -> {
        try (producer) {
          for (int i = 1; !stop.get(); i++) {
            final String id = "i-" + i;
            producer.send(activation(id, id + "-cat", "cat", List.of(), false, i));
            producer.send(activation(id, id + "-root", "scene", List.of(id + "-cat"), true, i));
            published.incrementAndGet();
            Thread.sleep(10); // at most ~100 inferences/s: a steady stream, not a backlog that outlasts the test
          }
          producer.flush();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "publisher");
      publisher.start();
      for (int cycle = 1; cycle <= cycles; cycle++) {
        Thread.sleep(200 + random.nextInt(4000));
        stack.kill();
        final long t0 = System.nanoTime();
        stack = ChildJvm.rsk(log, Map.of(), args);
        awaitReadyLine(log, cycle + 1, stack, kafka, api, data.resolve("rsk.log"));
        final double seconds = ChildJvm.since(t0).toMillis() / 1e3;
        restarts.add(seconds);
        System.out.printf("StandaloneRestartLoopTest: cycle %d: killed -9 with %d published, ready %.1f s after "
            + "restart%n", cycle, published.get(), seconds);
      }
      stop.set(true);
      publisher.join(600_000);
      final int total = published.get();
      awaitAllCounted(api, total);
      Thread.sleep(2000);
      assertThat(sketched(api)).as("inferences counted").isEqualTo(total);
      System.out.printf("StandaloneRestartLoopTest: %d inferences, restarts (s) %s%n", total, restarts);
    } finally {
      stop.set(true);
      stack.close();
      ChildJvm.keepLog(log, "StandaloneRestartLoopTest.log");
      ChildJvm.keepGcLogs(log, "StandaloneRestartLoopTest");
      if (Files.exists(data.resolve("rsk.log"))) {
        ChildJvm.keepLog(data.resolve("rsk.log"), "StandaloneRestartLoopTest-rsk.log");
      }
    }
  }

  /**
   * Waits until the API counts {@code total} inferences: as long as the count keeps growing (a loaded machine
   * works through the backlog slowly), failing after {@link #READY} without progress.
   */
  private static void awaitAllCounted(final String api, final int total) throws InterruptedException {
    long last = -1;
    long progressAt = System.nanoTime();
    while (true) {
      long now = -1;
      try {
        now = sketched(api);
      } catch (Exception e) {
        // not answering yet: no progress
      }
      if (now >= total) {
        return;
      }
      if (now > last) {
        last = now;
        progressAt = System.nanoTime();
      } else if (System.nanoTime() - progressAt > READY.toNanos()) {
        throw new AssertionError(last + " of " + total + " inferences counted, no progress for " + READY);
      }
      Thread.sleep(1000);
    }
  }

  /** Waits for the {@code n}-th ready line in the log; fails with the open transactions on a hang. */
  private static void awaitReadyLine(final Path log, final int n, final ChildJvm stack, final int kafka,
      final String api, final Path rskLog) {
    try {
      Awaitility.await().atMost(READY).pollInterval(Duration.ofMillis(100)).until(() -> {
        if (!stack.alive()) {
          throw new AssertionError("rsk standalone exited:\n" + stack.tail(4000));
        }
        return count(log, READY_LINE) >= n;
      });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      int hung = -1;
      try {
        hung = (int) Files.readAllLines(log).stream()
            .filter(l -> l.contains("while trying to fetch committed offsets")).count();
      } catch (IOException io) {
        // only a diagnostic
      }
      final String diagnosis = StackDiagnosis.of("StandaloneRestartLoopTest", stack, api, "127.0.0.1:" + kafka,
          rskLog);
      System.out.println("StandaloneRestartLoopTest: start " + n + " not ready after " + READY + "\n" + diagnosis);
      throw new AssertionError("start " + n + " not ready after " + READY + "; " + hung
          + " committed-offset fetch(es) timed out\n--- open transactions ---\n"
          + StandaloneCrashTest.transactions(kafka) + "\n" + diagnosis + "--- log tail ---\n" + stack.tail(6000), e);
    }
  }

  private static int count(final Path log, final String line) throws IOException {
    int n = 0;
    for (final String l : Files.readAllLines(log)) {
      if (l.startsWith(line)) {
        n++;
      }
    }
    return n;
  }

  private static ProducerRecord<String, ModuleActivation> activation(final String id, final String objectId,
      final String module, final List<String> inputs, final boolean root, final int i) {
    final List<ModuleInput> in = new ArrayList<>();
    inputs.forEach(o -> in.add(ModuleInput.newBuilder().setObjectId(o).setSlot(null).setWeight(1f).build()));
    final ModuleActivation a = ModuleActivation.newBuilder().setInferenceId(id).setObjectId(objectId)
        .setModule(module).setAttributes(List.of((float) (i % 7), 1f)).setInputs(in).setRoot(root)
        .setEventTime(T0.plusSeconds(i % 86_400)).setSource("restart-loop").build();
    return new ProducerRecord<>("activations", id, a);
  }

  /** Inferences counted by the API; -1 while it cannot answer. */
  private static long sketched(final String api) throws Exception {
    final HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
        URI.create(api + "/v1/modules/scene/frequency?from=2026-03-01&to=2026-03-04"))
        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200 ? JSON.readTree(r.body()).get("inferences").asLong() : -1;
  }
}
