package dev.rsk.stats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.model.CatalogueEntry;
import dev.rsk.stats.query.LocalStatsQueries;
import dev.rsk.stats.serde.StatsSerdes;
import dev.rsk.stats.testing.Scenes;
import dev.rsk.stats.testing.StatsNode;
import dev.rsk.testing.KafkaExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Exactly-once of the aggregator with its aggregates written at the commit ({@link PendingAggregates}): an
 * aggregator JVM is killed (SIGKILL) in the middle of the stream, a new instance restores from the changelogs
 * and finishes, and every exact count equals the ground truth counted here from the records sent: nothing
 * lost (changes pending in memory at the kill), nothing counted twice (records after the last commit are
 * read again).
 */
@Tag("long") // not in CI: mvn verify -Prsk-long (docs/testing.md)
@Timeout(240)
class StatsCrashTest {
  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

  private static final SketchSpec SPEC = SketchSpec.of(256, 7L, 0.5, 0.5);
  private static final String TOPIC = "crash-sketches";
  private static final String APP = "stats-crash";
  private static final int SKETCHES = 6_000;
  private static final long HOUR = 3_600_000L;
  private static final Duration WAIT = Duration.ofSeconds(150);

  @Test
  void aKilledAggregatorLosesNothingAndCountsNothingTwice() throws Exception {
    KAFKA.createTopic(TOPIC, 2);
    final long t0 = System.currentTimeMillis() / HOUR * HOUR - 100 * HOUR;
    final SortedMap<Long, Long> inferencesPerHour = new TreeMap<>();
    final Map<String, long[]> perModule = new HashMap<>();
    publish(t0, inferencesPerHour, perModule);

    final Path dirA = Files.createTempDirectory(KAFKA.tempDir(), "a");
    final Process a = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", System.getProperty("java.class.path"), StatsNode.class.getName(),
        KAFKA.bootstrapServers(), APP, dirA.toString(), TOPIC).redirectErrorStream(true)
        .redirectOutput(KAFKA.tempDir().resolve("node-a.log").toFile()).start();
    try {
      final long deadline = System.nanoTime() + WAIT.toNanos();
      long committed = 0;
      while (committed < SKETCHES / 4 && System.nanoTime() < deadline && a.isAlive()) {
        Thread.sleep(20);
        committed = committed();
      }
      assertThat(committed).as("the first JVM committed part of the stream").isBetween(1L, SKETCHES - 1L);
    } finally {
      a.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    final Path dirB = Files.createTempDirectory(KAFKA.tempDir(), "b");
    final StatsConfig config = StatsConfig.defaults(StatsSerdes.inferenceSketchBinary()).withSketchesTopic(TOPIC);
    try (KafkaStreams b = new KafkaStreams(StatsTopology.buildTopology(config),
        StatsNode.properties(KAFKA.bootstrapServers(), APP, dirB.toString()))) {
      b.start();
      final long deadline = System.nanoTime() + WAIT.toNanos();
      while (committed() < SKETCHES && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(committed()).isEqualTo(SKETCHES);
      final LocalStatsQueries q = new LocalStatsQueries(b, Duration.ofSeconds(30), config,
          LocalStatsQueries.DEFAULT_ITEMS_CACHE_BYTES);
      final Set<Integer> partitions = Set.of(0, 1);
      final SortedMap<Long, long[]> hourly = q.hourly("cat", t0, t0 + 1000 * HOUR, partitions, false);
      final SortedMap<Long, Long> counted = new TreeMap<>();
      hourly.forEach((h, row) -> counted.put(h, row[0]));
      assertThat(counted).isEqualTo(inferencesPerHour);
      for (final Map.Entry<String, long[]> e : perModule.entrySet()) {
        final CatalogueEntry c = q.catalogueEntry(e.getKey(), partitions, false);
        assertThat(new long[] {c.inferences(), c.objects()}).as(e.getKey()).containsExactly(e.getValue());
      }
      final long sketchesSummed = q.sums(t0, t0 + 1000 * HOUR, partitions, false).values().stream()
          .mapToLong(s -> s.count()).sum();
      assertThat(sketchesSummed).isEqualTo(SKETCHES);
      assertThat(q.attributeStats("cat", t0 - 24 * HOUR, t0 + 1000 * HOUR, partitions, false).observations())
          .isEqualTo(perModule.get("cat")[0]);
    }
  }

  private void publish(final long t0, final SortedMap<Long, Long> perHour, final Map<String, long[]> perModule) {
    final Scenes scenes = new Scenes(SPEC, 11);
    try (KafkaProducer<String, InferenceSketch> producer = new KafkaProducer<>(KAFKA.producerProps(),
        new StringSerializer(),
        StatsSerdes.inferenceSketchBinary().serializer())) {
      for (int i = 0; i < SKETCHES; i++) {
        final long t = t0 + i * (HOUR / 60); // 60 per hour
        final InferenceSketch s = scenes.scene("i-" + i, t, i % 3, (i / 3) % 2, 1);
        perHour.merge(t / HOUR * HOUR, 1L, Long::sum);
        s.getModuleCounts().forEach((m, n) -> {
          if (n > 0) {
            final long[] c = perModule.computeIfAbsent(m, x -> new long[2]);
            c[0]++;
            c[1] += n;
          }
        });
        producer.send(new ProducerRecord<>(TOPIC, null, t, s.getInferenceId(), s));
      }
      producer.flush();
    }
  }

  private long committed() throws Exception {
    final Map<TopicPartition, OffsetAndMetadata> offsets;
    try (org.apache.kafka.clients.admin.Admin admin = KAFKA.broker().admin()) {
      offsets = admin.listConsumerGroupOffsets(APP).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
    }
    return offsets.entrySet().stream().filter(e -> e.getValue() != null && e.getKey().topic().equals(TOPIC))
        .mapToLong(e -> e.getValue().offset()).sum();
  }
}
