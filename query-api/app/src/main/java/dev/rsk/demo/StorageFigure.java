package dev.rsk.demo;

import dev.rsk.kafka.LogBytes;
import dev.rsk.standalone.StandaloneStack;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;

/**
 * The demo's storage figure: bytes on disk per inference of what the stack remembers (every Kafka topic but
 * the raw activations, as the broker reports their log sizes, plus the RocksDB state under the data
 * directory), beside the raw activation events' log bytes. Kafka sizes are the logs' record bytes (not the
 * preallocated index files); when the demo ends the sketches topic's purge, the changelogs' compaction and the
 * repository's ageing have not caught up yet: {@code rsk bench-storage} waits for them (docs/exact-stats.md).
 */
public final class StorageFigure {

  /** Bound on asking the broker for its log sizes. */
  private static final Duration LOG_BYTES_TIMEOUT = Duration.ofSeconds(30);

  private StorageFigure() {}

  /** Prints the figure; a failure to measure is printed instead (the demo goes on). */
  public static void print(final PrintStream out, final StandaloneStack stack, final long inferences) {
    try (Admin admin = stack.kafka().admin()) {
      final Map<String, Long> topics = LogBytes.perTopic(admin, LOG_BYTES_TIMEOUT);
      final long raw = topics.getOrDefault(stack.options().activationsTopic(), 0L);
      final long sketches = topics.getOrDefault(stack.options().sketchesTopic(), 0L);
      final long kafka = topics.values().stream().mapToLong(Long::longValue).sum() - raw;
      final long rocks = stateBytes(stack.dataDir());
      out.printf(Locale.ROOT, "storage per inference right now: %,.0f B (Kafka logs %,.0f B, of which the sketches"
          + " topic %,.0f B; RocksDB %,.0f B) beside %,.0f B of raw activation events; before the purge, compaction"
          + " and ageing catch up (settled: ./rsk bench-storage)%n%n", (double) (kafka + rocks) / inferences,
          (double) kafka / inferences, (double) sketches / inferences, (double) rocks / inferences,
          (double) raw / inferences);
    } catch (RuntimeException | InterruptedException | java.util.concurrent.ExecutionException
        | java.util.concurrent.TimeoutException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      out.println("storage per inference: not measured (" + e + ")");
    }
  }

  /** Bytes of the files under the data directory outside the broker's {@code kafka} directory. */
  private static long stateBytes(final Path dataDir) {
    final Path kafka = dataDir.resolve("kafka");
    try (Stream<Path> paths = Files.walk(dataDir)) {
      return paths.filter(p -> !p.startsWith(kafka) && Files.isRegularFile(p)).mapToLong(p -> p.toFile().length())
          .sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
