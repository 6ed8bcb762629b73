package dev.rsk.processor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ProcessorRunner}'s readiness, driven by the Streams client's state transitions: ready exactly
 * while the client is RUNNING, with a log line at each change and, if configured, a ready file that
 * holds {@code RUNNING} while ready and is deleted otherwise. Also the latches behind
 * {@link ProcessorRunner#awaitReady} (first RUNNING) and {@link ProcessorRunner#awaitStopped}
 * (NOT_RUNNING or ERROR). A ready file left by an earlier run (say one killed with {@code kill -9}) is
 * deleted at construction, so that a supervisor never reads the old run's {@code RUNNING} while this one
 * is still starting. A ready file that cannot be written or deleted is an {@link UncheckedIOException}.
 */
final class Readiness {
  /** The runner's logger: the restart timeline and the console filter read these lines by its name. */
  private static final Logger LOG = LoggerFactory.getLogger(ProcessorRunner.class);

  private final Path readyFile;
  private final CountDownLatch running = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean ready;

  /** {@code readyFile} may be null (no file); a stale one is deleted here. */
  Readiness(final String readyFile) {
    this.readyFile = readyFile == null ? null : Path.of(readyFile);
    writeReadyFile(false);
  }

  /** The client moved to {@code now}. */
  void onState(final KafkaStreams.State now) {
    final boolean wasReady = ready;
    ready = now == KafkaStreams.State.RUNNING;
    if (ready && !wasReady) {
      LOG.info("rsk sketch processor is RUNNING (ready)");
      running.countDown();
      writeReadyFile(true);
    } else if (!ready && wasReady) {
      LOG.info("rsk sketch processor is {} (not ready)", now);
      writeReadyFile(false);
    }
    if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
      stopped.countDown();
    }
  }

  /** The client was closed: not ready, and no ready file (also a stale one from an earlier run). */
  void closed() {
    ready = false;
    writeReadyFile(false);
  }

  boolean isReady() {
    return ready;
  }

  boolean awaitReady(final Duration timeout) throws InterruptedException {
    return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  boolean awaitStopped(final Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void writeReadyFile(final boolean isReady) {
    if (readyFile == null) {
      return;
    }
    try {
      if (isReady) {
        Files.writeString(readyFile, "RUNNING\n");
      } else {
        Files.deleteIfExists(readyFile);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot update ready file " + readyFile, e);
    }
  }
}
