package dev.rsk.standalone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes, before a Kafka Streams application of the stack starts, the local state its last run left uncommitted
 * (docs/foundation.md "Restart after a crash").
 *
 * <p>Under exactly-once Kafka Streams deletes a task's {@code .checkpoint} file while the task runs and writes it
 * only on a clean close, so after a {@code kill -9} no task directory has one. Kafka Streams 4.3 then opens every
 * store of every such task twice, once in the {@code KafkaStreams} constructor (startup stores, which it closes
 * again: "Failed to register startup state stores ... corrupted") and once at assignment, where it declares the
 * task corrupted, wipes it, and forces one more rebalance; then it restores the task from its changelogs. Deleting
 * those directories first gives the same state (empty stores restored from the changelogs) without the two openings
 * of every RocksDB store and without the corrupted-task path and its extra rebalance.
 *
 * <p>Kafka Streams 4.3 keeps a store's changelog offsets in the store itself (KIP-1035) and writes no {@code
 * .checkpoint} file on a clean close either, so a clean stop is recorded by the stack instead: {@link #markCleanStop}
 * writes {@value #CLEAN_STOP} in the application directory once its {@code KafkaStreams} closed cleanly, and the next
 * {@link #wipe} then keeps every task directory (and deletes the marker). Without the marker, only task directories
 * ({@code <subtopology>_<partition>}) without a {@code .checkpoint} file are deleted (an older format's clean close
 * keeps one); the application directory's own files
 * (process id, lock) and the global stores are never touched. Every persistent store of the stack's topologies has
 * a changelog (the similarity index and the commit hooks are in memory), so nothing is lost that the changelogs do
 * not hold. Only for exactly-once applications whose state directory nobody else uses (the stack's broker holds the
 * data directory's lock first).
 */
public final class UncleanState {

  private static final Logger LOG = LoggerFactory.getLogger(UncleanState.class);
  static final Pattern TASK_DIR = Pattern.compile("\\d+_\\d+");
  static final String CHECKPOINT = ".checkpoint";
  /** Written in the application directory after a clean close, consumed by the next {@link #wipe}. */
  static final String CLEAN_STOP = "rsk-clean-stop";

  private UncleanState() {}

  /**
   * {@link #wipe(Path)} for the application of these Kafka Streams properties, when it runs exactly-once (else
   * Kafka Streams keeps uncheckpointed state, and so does this).
   *
   * @return the names of the deleted task directories
   */
  public static List<String> wipe(final Properties streams) {
    final String guarantee =
        streams.getProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    final String stateDir = streams.getProperty(StreamsConfig.STATE_DIR_CONFIG);
    final String applicationId = streams.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
    if (!StreamsConfig.EXACTLY_ONCE_V2.equals(guarantee) || stateDir == null || applicationId == null) {
      return List.of();
    }
    return wipe(Path.of(stateDir, applicationId));
  }

  /**
   * Deletes the task directories of {@code appDir} ({@code <state.dir>/<application.id>}) that have no checkpoint,
   * unless the last stop was clean ({@link #markCleanStop}): then nothing is deleted and the marker is consumed.
   *
   * @return the names of the deleted task directories (empty when {@code appDir} does not exist)
   * @throws UncheckedIOException when a directory cannot be listed or deleted (the start fails: a half-deleted
   *     store must not be opened)
   */
  public static List<String> wipe(final Path appDir) {
    final List<String> wiped = new ArrayList<>();
    if (!Files.isDirectory(appDir)) {
      return wiped;
    }
    try {
      if (Files.deleteIfExists(appDir.resolve(CLEAN_STOP))) {
        LOG.info("Clean stop of {}: task state kept (Kafka Streams resumes from the offsets in its stores)",
            appDir.getFileName());
        return wiped;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the clean-stop marker in " + appDir, e);
    }
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(appDir,
        p -> Files.isDirectory(p) && TASK_DIR.matcher(p.getFileName().toString()).matches())) {
      for (final Path task : tasks) {
        if (!Files.exists(task.resolve(CHECKPOINT))) {
          deleteRecursively(task);
          wiped.add(task.getFileName().toString());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the unclean state in " + appDir, e);
    }
    if (!wiped.isEmpty()) {
      wiped.sort(Comparator.naturalOrder());
      LOG.info("Unclean stop of {}: deleted {} task state director{} without checkpoint {} (exactly-once would wipe "
          + "them at assignment); they are restored from the changelogs", appDir.getFileName(), wiped.size(),
          wiped.size() == 1 ? "y" : "ies", wiped);
    }
    return wiped;
  }

  /**
   * Records that the application of these properties stopped cleanly (its {@code KafkaStreams} reached NOT_RUNNING
   * from a close), so that the next {@link #wipe} keeps its task state. Only then: a stop that timed out or failed
   * leaves no marker and the next start deletes the state as after a crash. An I/O error is logged (the next start
   * then restores from the changelogs, which is safe).
   */
  public static void markCleanStop(final Properties streams) {
    final String stateDir = streams.getProperty(StreamsConfig.STATE_DIR_CONFIG);
    final String applicationId = streams.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
    if (stateDir == null || applicationId == null || !Files.isDirectory(Path.of(stateDir, applicationId))) {
      return;
    }
    try {
      Files.writeString(Path.of(stateDir, applicationId, CLEAN_STOP), "clean stop\n");
    } catch (IOException e) {
      LOG.warn("Could not record the clean stop of {} ({}); its next start restores from the changelogs",
          applicationId, e.toString());
    }
  }

  private static void deleteRecursively(final Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (final Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
