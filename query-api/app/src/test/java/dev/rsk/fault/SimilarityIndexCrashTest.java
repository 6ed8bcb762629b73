package dev.rsk.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rsk.avro.ModuleActivation;
import dev.rsk.avro.ModuleInput;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: the similarity index is derived state, so a {@code kill -9} of the instance holding it must not
 * leave it missing or duplicating a sketch. {@code rsk standalone} (a child JVM: broker, processor, aggregator
 * with its similarity index, API) is SIGKILLed while inferences arrive and its indexer has a backlog, and is
 * restarted on the same data directory. Afterwards:
 *
 * <ul>
 *   <li>the graphs hold every sketch exactly once: the {@code rsk_stats_similarity_indexed} gauge (documents
 *       in the ready partitions' graphs; Lucene updates by id) equals the number of inferences, with an empty
 *       backlog (a missing sketch makes it smaller, a duplicate larger);
 *   <li>approximate {@code /v1/similar} (answered by the index: {@code "approximate": true}) agrees with
 *       {@code "exact": true}: recall@10 over {@link #QUERIES} queries at least {@link #MIN_RECALL}. With a few
 *       hundred sketches per partition and 100 candidates re-ranked per partition the index should find nearly
 *       every true neighbour; an index that lost the sketches of a partition, or answered from a stale graph,
 *       falls far below.
 * </ul>
 */
@Tag("fault")
@Tag("long")
class SimilarityIndexCrashTest {

  static final int BEFORE = 800;
  static final int DURING = 400;
  static final int QUERIES = 40;
  static final double MIN_RECALL = 0.95;
  static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");

  @TempDir Path dir;

  @Test
  void afterKillNineTheIndexHoldsEverySketchOnceAndAgreesWithTheExactScan() throws Exception {
    final StandaloneChild stack = StandaloneChild.start("SimilarityIndexCrashTest", dir);
    try {
      stack.awaitReady();
      final SplittableRandom random = new SplittableRandom(13L);
      try (KafkaProducer<String, ModuleActivation> producer = stack.producer()) {
        for (int i = 0; i < BEFORE; i++) {
          inference(producer, i, random);
        }
        producer.flush();
        await(Duration.ofSeconds(180), () -> stack.sketched() >= BEFORE);
        // more arrive, the indexer has a backlog to work through, and the instance is killed meanwhile
        for (int i = BEFORE; i < BEFORE + DURING / 2; i++) {
          inference(producer, i, random);
        }
        producer.flush();
        Thread.sleep(500);
        final String before = metrics(stack);
        stack.kill();
        System.out.printf("SimilarityIndexCrashTest: killed -9 with indexed %d, backlog %d%n",
            gauge(before, "rsk_stats_similarity_indexed"), gauge(before, "rsk_stats_similarity_backlog"));
        stack.restart();
        // the rest is sent while the stack restarts (the producer retries until the broker is back)
        for (int i = BEFORE + DURING / 2; i < BEFORE + DURING; i++) {
          inference(producer, i, random);
        }
        producer.flush();
      }
      stack.awaitReady();
      final int total = BEFORE + DURING;
      await(Duration.ofSeconds(240), () -> stack.sketched() >= total);
      assertThat(stack.sketched()).isEqualTo(total);
      // the rebuild from the repository and the backlog done: every sketch in the graphs, once
      await(Duration.ofSeconds(240), () -> {
        final String m = metrics(stack);
        return gauge(m, "rsk_stats_similarity_backlog") == 0 && gauge(m, "rsk_stats_similarity_indexed") >= total;
      });
      final String after = metrics(stack);
      assertThat(gauge(after, "rsk_stats_similarity_indexed")).as("sketches in the graphs").isEqualTo(total);

      long found = 0;
      long wanted = 0;
      for (int q = 0; q < QUERIES; q++) {
        final String id = "inf-" + (q * (total / QUERIES));
        final List<String> exact = similar(stack, id, true);
        final List<String> approximate = similar(stack, id, false);
        assertThat(exact).as(id).hasSize(10).doesNotHaveDuplicates();
        assertThat(approximate).as(id).hasSize(10).doesNotHaveDuplicates();
        final Set<String> truth = new HashSet<>(exact);
        wanted += truth.size();
        found += approximate.stream().filter(truth::contains).count();
      }
      final double recall = (double) found / wanted;
      System.out.printf("SimilarityIndexCrashTest: recall@10 after the restart %.4f over %d queries%n", recall,
          QUERIES);
      assertThat(recall).isGreaterThanOrEqualTo(MIN_RECALL);
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError(e.getMessage() + "\n--- standalone log tail ---\n" + stack.tail(4000), e);
    } finally {
      stack.close();
    }
  }

  /**
   * Inference {@code i}: a scene with random attributes, and a cat, a dog and a person each present or not, with
   * random attributes (so that the sketches differ and have near and far neighbours).
   */
  private static void inference(final KafkaProducer<String, ModuleActivation> producer, final int i,
      final SplittableRandom random) {
    final String id = "inf-" + i;
    final List<String> inputs = new ArrayList<>();
    for (final String module : new String[] {"cat", "dog", "person"}) {
      if (random.nextInt(3) > 0) {
        final String object = id + "-" + module;
        producer.send(activation(id, object, module, List.of(), false, i, random));
        inputs.add(object);
      }
    }
    producer.send(activation(id, id + "-root", "scene", inputs, true, i, random));
  }

  private static ProducerRecord<String, ModuleActivation> activation(final String id, final String objectId,
      final String module, final List<String> inputs, final boolean root, final int i, final SplittableRandom r) {
    final List<ModuleInput> in = new ArrayList<>();
    inputs.forEach(o -> in.add(ModuleInput.newBuilder().setObjectId(o).setSlot(null).setWeight(1f).build()));
    final ModuleActivation a = ModuleActivation.newBuilder().setInferenceId(id).setObjectId(objectId)
        .setModule(module).setAttributes(List.of((float) r.nextDouble(), (float) r.nextDouble()))
        .setInputs(in).setRoot(root).setEventTime(T0.plusSeconds(60L * i)).setSource("crash-test").build();
    return new ProducerRecord<>("activations", id, a);
  }

  /** The ids of the 10 stored sketches nearest to {@code id}'s, by the index or the exact scan. */
  private static List<String> similar(final StandaloneChild stack, final String id, final boolean exact)
      throws Exception {
    final HttpResponse<String> r = stack.post("/v1/similar", "{\"inferenceId\": \"" + id + "\", \"k\": 10, \"exact\": "
        + exact + "}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    final JsonNode body = StandaloneChild.JSON.readTree(r.body());
    assertThat(body.get("approximate").asBoolean()).as("answered by the index: " + r.body()).isEqualTo(!exact);
    assertThat(body.get("stale").asBoolean()).isFalse();
    final List<String> ids = new ArrayList<>();
    body.get("results").forEach(n -> ids.add(n.get("inferenceId").asText()));
    return ids;
  }

  private static String metrics(final StandaloneChild stack) throws Exception {
    final HttpResponse<String> r = stack.get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  /** The sum of a gauge's series in Prometheus text (-1 when absent). */
  static long gauge(final String metrics, final String name) {
    double sum = 0;
    boolean seen = false;
    for (final String line : metrics.split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        seen = true;
      }
    }
    return seen ? Math.round(sum) : -1;
  }

  private static void await(final Duration atMost, final java.util.concurrent.Callable<Boolean> done) {
    Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(done);
  }
}
