package dev.rsk.bench.stats;

import dev.rsk.kafka.LogBytes;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** What the benchmark reads from the broker, the JVM and the disk: offsets, log sizes, CPU, directory sizes. */
final class StorageReport {

  private static final long TIMEOUT_S = 30;
  private static final Duration TIMEOUT = Duration.ofSeconds(TIMEOUT_S);

  private StorageReport() {}

  /** Sum of the committed offsets of consumer group {@code appId} on {@code topic} (not its repartition topics). */
  static long committed(final Admin admin, final String appId, final String topic) throws Exception {
    final Map<TopicPartition, OffsetAndMetadata> offsets =
        admin.listConsumerGroupOffsets(appId).partitionsToOffsetAndMetadata().get(TIMEOUT_S, TimeUnit.SECONDS);
    return offsets.entrySet().stream().filter(e -> e.getValue() != null && e.getKey().topic().equals(topic))
        .mapToLong(e -> e.getValue().offset()).sum();
  }

  /**
   * {offsets, bytes} written to the internal topics of {@code appId} (changelogs, repartition topics): end
   * offsets (records plus the transaction markers of exactly-once) and log bytes on disk.
   */
  static long[] internalTopics(final Admin admin, final String appId) throws Exception {
    final Set<String> topics = admin.listTopics().names().get(TIMEOUT_S, TimeUnit.SECONDS).stream()
        .filter(t -> t.startsWith(appId + "-")).collect(Collectors.toSet());
    return new long[] {endOffsets(admin, topics), logBytes(admin, topics)};
  }

  static long endOffsets(final Admin admin, final Set<String> topics) throws Exception {
    final Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    admin.describeTopics(topics).allTopicNames().get(TIMEOUT_S, TimeUnit.SECONDS).forEach((name, d) ->
        d.partitions().forEach(p -> request.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
    return admin.listOffsets(request).all().get(TIMEOUT_S, TimeUnit.SECONDS).values().stream()
        .mapToLong(r -> r.offset()).sum();
  }

  /** Bytes on disk of the logs of {@code topics} (every replica; the benchmark broker has one): {@link LogBytes}. */
  static long logBytes(final Admin admin, final Set<String> topics) throws Exception {
    return LogBytes.perTopic(admin, TIMEOUT).entrySet().stream().filter(e -> topics.contains(e.getKey()))
        .mapToLong(Map.Entry::getValue).sum();
  }

  /** CPU time of the Kafka Streams processing threads of {@code appId} (not the producers' network threads). */
  static long streamThreadCpuNanos(final String appId) {
    final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long total = 0;
    for (final ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().startsWith(appId + "-")
          && info.getThreadName().contains("-StreamThread-")) {
        total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
      }
    }
    return total;
  }

  /**
   * Prints bytes per inference on disk: the sketches topic, the changelogs of {@code appId}, its RocksDB state
   * directory (after close), beside the Avro bytes of the raw activation events.
   */
  static void print(final Admin admin, final String sketchesTopic, final String appId, final Path stateDir,
      final int inferences, final long rawBytes, final PrintStream out) throws Exception {
    final long sketches = logBytes(admin, Set.of(sketchesTopic));
    final long changelogs = internalTopics(admin, appId)[1];
    final long rocks = directoryBytes(stateDir);
    final long total = sketches + changelogs + rocks;
    out.printf(Locale.ROOT, "storage per inference (%s): sketches topic %.0f B + changelogs %.0f B + RocksDB %.0f B"
        + " = %.0f B; raw activation events (Avro) %.0f B; memory / raw = %.2f%n", appId,
        (double) sketches / inferences, (double) changelogs / inferences, (double) rocks / inferences,
        (double) total / inferences, (double) rawBytes / inferences, (double) total / rawBytes);
  }

  /** Prints the bytes per sketch of each internal topic of {@code appId}, largest first. */
  static void breakdown(final Admin admin, final String appId, final int sketches, final PrintStream out)
      throws Exception {
    final Map<String, Long> bytes = new HashMap<>();
    LogBytes.perTopic(admin, TIMEOUT).forEach((t, b) -> {
      if (t.startsWith(appId + "-")) {
        bytes.put(t.substring(appId.length() + 1).replace("-changelog", ""), b);
      }
    });
    out.printf(Locale.ROOT, "bytes per sketch by internal topic (%s):", appId);
    bytes.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> out.printf(Locale.ROOT, " %s %.0f;", e.getKey(), (double) e.getValue() / sketches));
    out.println();
  }

  /**
   * Bytes of the regular files under {@code dir}, RocksDB info logs included; {@link UncheckedIOException} if it
   * cannot be listed. The only copy: query-api/app's {@code StorageBreakdown} sizes stores without their info logs.
   */
  static long directoryBytes(final Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      return paths.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot size " + dir, e);
    }
  }

  static void deleteRecursively(final Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }
}
