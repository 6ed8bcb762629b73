package dev.rsk.processor;

import static org.apache.kafka.streams.KafkaStreams.State.CREATED;
import static org.apache.kafka.streams.KafkaStreams.State.ERROR;
import static org.apache.kafka.streams.KafkaStreams.State.NOT_RUNNING;
import static org.apache.kafka.streams.KafkaStreams.State.PENDING_ERROR;
import static org.apache.kafka.streams.KafkaStreams.State.PENDING_SHUTDOWN;
import static org.apache.kafka.streams.KafkaStreams.State.REBALANCING;
import static org.apache.kafka.streams.KafkaStreams.State.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner's readiness through the Streams client's transitions (no broker): ready exactly while
 * RUNNING, the ready file holds "RUNNING\n" then and is gone otherwise (README, docs/processor.md), the
 * ready latch opens at the first RUNNING and the stopped latch at NOT_RUNNING or ERROR.
 */
class ReadinessTest {
  private static final Duration NOW = Duration.ZERO;

  @TempDir
  Path dir;

  @Test
  void readyOnlyWhileRunningAndTheFileFollows() throws Exception {
    final Path file = dir.resolve("ready");
    final Readiness r = new Readiness(file.toString());
    r.onState(CREATED);
    r.onState(REBALANCING);
    assertThat(r.isReady()).isFalse();
    assertThat(r.awaitReady(NOW)).isFalse();
    assertThat(file).doesNotExist();

    r.onState(RUNNING);
    assertThat(r.isReady()).isTrue();
    assertThat(r.awaitReady(NOW)).isTrue();
    assertThat(file).hasContent("RUNNING\n");

    r.onState(REBALANCING); // a rebalance: not ready, file gone
    assertThat(r.isReady()).isFalse();
    assertThat(file).doesNotExist();
    assertThat(r.awaitReady(NOW)).as("it was ready once").isTrue();
    assertThat(r.awaitStopped(NOW)).isFalse();

    r.onState(RUNNING);
    assertThat(r.isReady()).isTrue();
    assertThat(file).hasContent("RUNNING\n");

    r.onState(PENDING_SHUTDOWN);
    assertThat(r.isReady()).isFalse();
    assertThat(file).doesNotExist();
    assertThat(r.awaitStopped(NOW)).as("pending shutdown is not stopped yet").isFalse();
    r.onState(NOT_RUNNING);
    assertThat(r.awaitStopped(NOW)).isTrue();
  }

  @Test
  void anErrorStopsAndClearsReadiness() throws Exception {
    final Path file = dir.resolve("ready");
    final Readiness r = new Readiness(file.toString());
    r.onState(REBALANCING);
    r.onState(RUNNING);
    r.onState(PENDING_ERROR);
    assertThat(r.isReady()).isFalse();
    assertThat(file).doesNotExist();
    assertThat(r.awaitStopped(NOW)).isFalse();
    r.onState(ERROR);
    assertThat(r.awaitStopped(NOW)).isTrue();
  }

  @Test
  void closedClearsReadinessAndRemovesAStaleFile() throws Exception {
    final Path file = dir.resolve("ready");
    Files.writeString(file, "RUNNING\n"); // left by a previous run
    final Readiness r = new Readiness(file.toString());
    r.onState(RUNNING);
    assertThat(r.isReady()).isTrue();
    r.closed();
    assertThat(r.isReady()).isFalse();
    assertThat(file).doesNotExist();
  }

  @Test
  void aStaleReadyFileFromAKilledRunIsGoneBeforeTheClientStarts() throws Exception {
    final Path file = dir.resolve("ready");
    Files.writeString(file, "RUNNING\n"); // a run killed with kill -9 never deleted it
    final Readiness r = new Readiness(file.toString());
    assertThat(file).as("not ready until this run's client is RUNNING").doesNotExist();
    r.onState(CREATED);
    r.onState(REBALANCING);
    assertThat(file).doesNotExist();
    r.onState(RUNNING);
    assertThat(file).hasContent("RUNNING\n");
  }

  @Test
  void withoutAReadyFileOnlyTheFlagAndLatchesMove() throws Exception {
    final Readiness r = new Readiness(null);
    r.onState(RUNNING);
    assertThat(r.isReady()).isTrue();
    assertThat(r.awaitReady(NOW)).isTrue();
    r.onState(NOT_RUNNING);
    assertThat(r.isReady()).isFalse();
    assertThat(r.awaitStopped(NOW)).isTrue();
    r.closed();
    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void aReadyFileThatCannotBeWrittenOrDeletedIsAnError() throws Exception {
    final Path missingDir = dir.resolve("no-such-dir").resolve("ready");
    assertThatThrownBy(() -> new Readiness(missingDir.toString()).onState(RUNNING))
        .isInstanceOf(UncheckedIOException.class).hasMessageContaining("cannot update ready file " + missingDir);
    final Path notAFile = Files.createDirectories(dir.resolve("busy"));
    Files.writeString(notAFile.resolve("x"), "x"); // a non-empty directory cannot be deleted
    assertThatThrownBy(() -> new Readiness(notAFile.toString()).closed())
        .isInstanceOf(UncheckedIOException.class).hasMessageContaining(notAFile.toString());
  }
}
