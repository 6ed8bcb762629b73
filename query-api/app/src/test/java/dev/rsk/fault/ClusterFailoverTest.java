package dev.rsk.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rsk.avro.InferenceSketch;
import dev.rsk.serde.AvroSerdes;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.testing.Scenes;
import dev.rsk.testing.KafkaExtension;
import java.io.IOException;
import java.io.Writer;
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
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 (b): three {@code rsk server} instances in child JVMs (one standby replica each partition) over
 * a 6-partition sketches topic on the in-process broker. While a loop asks them (round robin over the
 * live ones) how often there was a scene and a cat, one is killed with SIGKILL and a fourth is added.
 * Every answer is exact and complete, or flagged {@code stale}, or a 503 with Retry-After: never a wrong
 * 200, never another status.
 */
@Tag("fault")
class ClusterFailoverTest {

  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

  static final int N = 240;
  static final String QUERY = "/frequency?from=2026-03-01T00:00:00Z&to=2026-03-05T00:00:00Z&bucket=P1D";
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  @TempDir Path dir;

  /** One answer of the loop. */
  record Outcome(String instance, int status, String kind, String body) {}

  @Test
  void killOneAddOneWhileQueryingNeverAWrong200() throws Exception {
    KAFKA.createTopic("sketches", 6);
    final Scenes scenes = new Scenes(SketchSpec.of(256, 11L, 0.5, 0.5), 4);
    long cats = 0;
    try (KafkaProducer<String, InferenceSketch> producer = new KafkaProducer<>(KAFKA.producerProps(),
        new StringSerializer(), AvroSerdes.specific(InferenceSketch.class, KAFKA.serdeConfig(), false).serializer())) {
      for (int i = 0; i < N; i++) {
        final int c = i % 4 == 0 ? 1 : 0;
        cats += c;
        final InferenceSketch s = scenes.scene("inf-" + i,
            Instant.parse("2026-03-02T00:00:00Z").toEpochMilli() + i * 600_000L, c, i % 5 == 0 ? 1 : 0, 0);
        producer.send(new ProducerRecord<>("sketches", s.getInferenceId(), s));
      }
    }
    final Map<String, Long> truth = Map.of("scene", (long) N, "cat", cats);
    final List<Server> servers = new ArrayList<>();
    try {
      for (int i = 1; i <= 3; i++) {
        servers.add(Server.start(dir, i));
      }
      for (final Server s : servers) {
        awaitExact(s, truth, Duration.ofSeconds(180));
      }
      final List<Server> live = new CopyOnWriteArrayList<>(servers);
      final List<Outcome> outcomes = new CopyOnWriteArrayList<>();
      final AtomicBoolean running = new AtomicBoolean(true);
      final Thread loop = new Thread(() -> {
        int i = 0;
        while (running.get()) {
          // A snapshot: `live` changes under this thread when the victim leaves and the new instance joins.
          final List<Server> now = List.copyOf(live);
          final Server s = now.get(i++ % now.size());
          final String module = i % 2 == 0 ? "scene" : "cat";
          final Outcome o = ask(s, module, truth.get(module));
          // A request the loop addressed to the victim just before it was taken out of `live` and killed
          // fails to connect: expected of a dead instance, not a wrong answer of a live one.
          outcomes.add(o.status() == -1 && !live.contains(s)
              ? new Outcome(o.instance(), o.status(), "to-killed", o.body()) : o);
        }
      }, "query-loop");
      loop.start();
      Thread.sleep(3_000);
      final Server victim = servers.get(0);
      live.remove(victim);
      victim.process.kill();
      final long killedAt = System.nanoTime();
      Thread.sleep(3_000);
      final Server added = Server.start(dir, 4);
      servers.add(added);
      awaitExact(added, truth, Duration.ofSeconds(180));
      live.add(added);
      // Run until the cluster has settled: 20 s with the new instance, the last 20 answers exact.
      final long settleFrom = System.nanoTime();
      // A sub-list of the live CopyOnWriteArrayList throws a message-less ConcurrentModificationException
      // when the loop adds between subList() and its iteration; read a copy.
      Awaitility.await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(500)).until(() ->
          ChildJvm.since(settleFrom).toSeconds() >= 20 && lastAllExact(List.copyOf(outcomes), 20));
      running.set(false);
      loop.join(30_000);

      final Map<String, Integer> kinds = new TreeMap<>();
      outcomes.forEach(o -> kinds.merge(o.kind, 1, Integer::sum));
      System.out.printf("ClusterFailoverTest: %d answers %s; killed at +0, settled %.1f s after the kill%n",
          outcomes.size(), kinds, ChildJvm.since(killedAt).toMillis() / 1e3);
      assertThat(outcomes.stream().filter(o -> o.kind.equals("wrong") || o.kind.equals("other")).toList())
          .as("wrong 200s or unexpected statuses").isEmpty();
      assertThat(kinds.getOrDefault("exact", 0)).isGreaterThan(20);
    } catch (AssertionError | RuntimeException e) {
      final StringBuilder logs = new StringBuilder();
      servers.forEach(s -> logs.append("\n--- server ").append(s.n).append(" ---\n").append(s.process.tail(2500)));
      throw new AssertionError(e.toString() + logs, e);
    } finally {
      for (final Server s : servers) {
        s.process.close();
        ChildJvm.keepLog(s.log, "ClusterFailoverTest-server-" + s.n + ".log");
      }
    }
  }

  /**
   * exact, stale (200 flagged stale), unavailable (503 with Retry-After), wrong (an unflagged 200 that is not exact),
   * other; to-killed (the loop reached the instance it was killing: no connection).
   */
  private static Outcome ask(final Server s, final String module, final long expected) {
    try {
      final HttpResponse<String> r = HTTP.send(
          HttpRequest.newBuilder(URI.create(s.url + "/v1/modules/" + module + QUERY))
              .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      final String kind;
      if (r.statusCode() == 200) {
        final JsonNode b = JSON.readTree(r.body());
        final boolean complete = b.get("inferences").asLong() == N && b.get("withModule").asLong() == expected;
        kind = b.get("stale").asBoolean() ? "stale" : complete ? "exact" : "wrong";
      } else if (r.statusCode() == 503 && r.headers().firstValue("Retry-After").isPresent()) {
        kind = "unavailable";
      } else {
        kind = "other";
      }
      return new Outcome(s.url, r.statusCode(), kind, r.body().length() > 400 ? r.body().substring(0, 400) : r.body());
    } catch (IOException e) {
      return new Outcome(s.url, -1, "other", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(s.url, -1, "other", "interrupted");
    }
  }

  private static boolean lastAllExact(final List<Outcome> outcomes, final int n) {
    return outcomes.size() > n
        && outcomes.subList(outcomes.size() - n, outcomes.size()).stream().allMatch(o -> o.kind.equals("exact"));
  }

  private static void awaitExact(final Server s, final Map<String, Long> truth, final Duration atMost) {
    Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(500)).until(() -> {
      if (!s.process.alive()) {
        throw new AssertionError("server " + s.n + " exited:\n" + s.process.tail(4000));
      }
      return truth.entrySet().stream().allMatch(e -> ask(s, e.getKey(), e.getValue()).kind.equals("exact"));
    });
  }

  /** One {@code rsk server} child. */
  record Server(int n, String url, ChildJvm process, Path log) {
    static Server start(final Path dir, final int n) throws IOException {
      final int port = ChildJvm.freePort();
      final Properties p = new Properties();
      p.put("kafka.bootstrap.servers", KAFKA.bootstrapServers());
      p.put("kafka.schema.registry.url", KAFKA.registryUrl());
      p.put("kafka.application.id", "failover-test");
      p.put("kafka.state.dir", Files.createDirectories(dir.resolve("state-" + n)).toString());
      p.put("kafka.num.standby.replicas", "1");
      p.put("kafka.num.stream.threads", "1");
      p.put("kafka.commit.interval.ms", "200");
      p.put("kafka.session.timeout.ms", "10000");
      p.put("rsk.http.port", String.valueOf(port));
      p.put("rsk.http.bind", "127.0.0.1");
      p.put("rsk.http.advertised.host", "127.0.0.1");
      final Path config = dir.resolve("server-" + n + ".properties");
      try (Writer w = Files.newBufferedWriter(config)) {
        p.store(w, "ClusterFailoverTest server " + n);
      }
      final Path log = dir.resolve("server-" + n + ".log");
      return new Server(n, "http://127.0.0.1:" + port,
          ChildJvm.rsk(log, Map.of(), "server", "--config", config.toString()), log);
    }
  }
}
