package dev.rsk.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node killed with {@code kill -9} (a real child JVM) and started again on its directory: the broker registers
 * without waiting out the dead incarnation's session ({@link DeadIncarnation}), and its data is served again.
 */
class EmbeddedKafkaRestartTest {

  /** The broker session of both runs: long, so that a restart that waits for it cannot pass the bound below. */
  private static final String SESSION_MS = "60000";
  /** Below the 60 s session, far above a restart that does not wait for it (10 to 19 s at load 18 to 43). */
  private static final Duration BOUND = Duration.ofSeconds(45);

  @TempDir Path dir;

  @Test
  void afterKillNineTheBrokerRegistersWithoutWaitingForTheDeadSession() throws Exception {
    final Path data = dir.resolve("kafka");
    kill(child(data));
    assertThat(DeadIncarnation.uncleanStop(data)).isTrue();

    final long t0 = System.nanoTime();
    try (EmbeddedKafka kafka = EmbeddedKafka.start(data, 0, Map.of("broker.session.timeout.ms", SESSION_MS))) {
      final Duration took = Duration.ofNanos(System.nanoTime() - t0);
      System.out.println("EmbeddedKafkaRestartTest: restart after kill -9 ready in " + took.toMillis() + " ms");
      assertThat(kafka.previousIncarnation()).isEqualTo(DeadIncarnation.Outcome.FENCED);
      assertThat(took).isLessThan(BOUND);
      assertThat(values(kafka)).containsExactly("before the kill");
    }
    // a clean stop leaves its marker: no controller-only pass next time
    assertThat(DeadIncarnation.uncleanStop(data)).isFalse();
    try (EmbeddedKafka kafka = EmbeddedKafka.start(data, 0)) {
      assertThat(kafka.previousIncarnation()).isEqualTo(DeadIncarnation.Outcome.NOT_NEEDED);
      assertThat(values(kafka)).containsExactly("before the kill");
    }
  }

  private Process child(final Path data) throws IOException, InterruptedException {
    final Path ready = dir.resolve("ready");
    final Path log = dir.resolve("child.log");
    final List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", classpath(), EmbeddedKafkaChild.class.getName(), data.toString(), ready.toString(),
        SESSION_MS));
    final Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.exists(ready)) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        p.destroyForcibly();
        throw new AssertionError("child not ready: " + Files.readString(log));
      }
      Thread.sleep(100);
    }
    return p;
  }

  /** kill -9: {@link Process#destroyForcibly} sends SIGKILL on Linux. */
  private static void kill(final Process p) throws InterruptedException {
    p.destroyForcibly();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
  }

  private static List<String> values(final EmbeddedKafka kafka) {
    final TopicPartition tp = new TopicPartition("t", 0);
    final List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
        new StringDeserializer(), new StringDeserializer())) {
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (values.isEmpty() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
      }
    }
    return values;
  }

  private static String classpath() {
    final String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
  }
}
