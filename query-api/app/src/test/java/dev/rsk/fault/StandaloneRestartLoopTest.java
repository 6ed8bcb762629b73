package dev.rsk.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.avro.ModuleActivation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
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
  /** One day of event times from 2026-03-02, within the days the API is asked about, however long the run. */
  static final FaultRecords RECORDS = new FaultRecords(Instant.parse("2026-03-02T00:00:00Z"), "restart-loop", 86_400);
  static final String READY_LINE = "rsk standalone: ready (processor and API running)";

  @TempDir Path dir;

  @Test
  void everyRestartAfterKillMinus9IsReadyAndNothingIsLostOrCountedTwice() throws Exception {
    final int cycles = Integer.getInteger("rsk.restart.cycles", DEFAULT_CYCLES);
    final long seed = Long.getLong("rsk.restart.seed", System.nanoTime());
    final Random random = new Random(seed);
    System.out.printf("StandaloneRestartLoopTest: %d cycles, seed %d%n", cycles, seed);

    final StandaloneChild stack = StandaloneChild.start("StandaloneRestartLoopTest", dir);
    final List<Double> restarts = new ArrayList<>();
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicInteger published = new AtomicInteger();
    Thread publisher = null;
    try {
      awaitReadyLine(stack, 1);
      final KafkaProducer<String, ModuleActivation> producer = stack.producer();
      // One inference before the kills, so that the serializer has the schema id cached (the registry is down
      // while the stack is).
      producer.send(RECORDS.activation("i-0", "i-0-cat", "cat", List.of(), false, 0)).get();
      producer.send(RECORDS.activation("i-0", "i-0-root", "scene", List.of("i-0-cat"), true, 0)).get();
      published.incrementAndGet();
      publisher = new Thread(() -> {
        try (producer) {
          for (int i = 1; !stop.get(); i++) {
            final String id = "i-" + i;
            producer.send(RECORDS.activation(id, id + "-cat", "cat", List.of(), false, i));
            producer.send(RECORDS.activation(id, id + "-root", "scene", List.of(id + "-cat"), true, i));
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
        stack.restart();
        awaitReadyLine(stack, cycle + 1);
        final double seconds = ChildJvm.since(t0).toMillis() / 1e3;
        restarts.add(seconds);
        System.out.printf("StandaloneRestartLoopTest: cycle %d: killed -9 with %d published, ready %.1f s after "
            + "restart%n", cycle, published.get(), seconds);
      }
      stop.set(true);
      publisher.join(600_000);
      final int total = published.get();
      awaitAllCounted(stack, total);
      Thread.sleep(2000);
      assertThat(stack.sketched()).as("inferences counted").isEqualTo(total);
      System.out.printf("StandaloneRestartLoopTest: %d inferences, restarts (s) %s%n", total, restarts);
    } finally {
      stop.set(true);
      stack.close();
    }
  }

  /**
   * Waits until the API counts {@code total} inferences: as long as the count keeps growing (a loaded machine
   * works through the backlog slowly), failing after {@link #READY} without progress.
   */
  private static void awaitAllCounted(final StandaloneChild stack, final int total) throws InterruptedException {
    long last = -1;
    long progressAt = System.nanoTime();
    while (true) {
      long now = -1;
      try {
        now = stack.sketched();
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
  private static void awaitReadyLine(final StandaloneChild stack, final int n) {
    try {
      Awaitility.await().atMost(READY).pollInterval(Duration.ofMillis(100)).until(() -> {
        if (!stack.jvm().alive()) {
          throw new AssertionError("rsk standalone exited:\n" + stack.tail(4000));
        }
        return count(stack.log(), READY_LINE) >= n;
      });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      int hung = -1;
      try {
        hung = (int) Files.readAllLines(stack.log()).stream()
            .filter(l -> l.contains("while trying to fetch committed offsets")).count();
      } catch (IOException io) {
        // only a diagnostic
      }
      final String diagnosis = stack.diagnosis();
      System.out.println("StandaloneRestartLoopTest: start " + n + " not ready after " + READY + "\n" + diagnosis);
      throw new AssertionError("start " + n + " not ready after " + READY + "; " + hung
          + " committed-offset fetch(es) timed out\n--- open transactions ---\n"
          + stack.openTransactions() + "\n" + diagnosis + "--- log tail ---\n" + stack.tail(6000), e);
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
}
