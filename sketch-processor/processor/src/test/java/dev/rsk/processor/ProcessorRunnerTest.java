package dev.rsk.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner without a broker: a client that cannot reach its bootstrap server is never ready, leaves no
 * ready file behind (a stale one from a previous run is removed when it stops), and stops within its close
 * timeout, binding the client's metrics while open; its uncaught-exception handler follows {@link ThreadReplacements}
 * (tested there in detail). What it does once RUNNING is covered by the cluster tests and {@link ReadinessTest}.
 */
class ProcessorRunnerTest {

  @Test
  void aClientThatNeverReachesRunningIsNotReadyAndRemovesAStaleReadyFileOnClose(@TempDir final Path dir)
      throws Exception {
    final Path ready = dir.resolve("ready");
    Files.writeString(ready, "RUNNING\n"); // left by a previous run
    final ProcessorConfig config = ProcessorConfig.builder()
        .readyFile(ready.toString())
        .closeTimeout(Duration.ofSeconds(5))
        .kafka("bootstrap.servers", "127.0.0.1:1") // nothing listens on port 1
        .kafka("application.id", "runner-test")
        .kafka("state.dir", dir.resolve("state").toString())
        .build();
    final StreamsBuilder b = new StreamsBuilder();
    b.stream("in").to("out");
    final Topology topology = b.build();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final ProcessorRunner runner = ProcessorRunner.start(config, topology, meters);
    try {
      assertThat(runner.config()).isSameAs(config);
      assertThat(runner.streams().state()).as("started: looking for its group").isEqualTo(State.REBALANCING);
      assertThat(kafkaStreamsMeters(meters)).as("the client's own metrics are bound").isPositive();
      assertThat(runner.awaitReady(Duration.ofMillis(500))).isFalse();
      assertThat(runner.isReady()).isFalse();
      assertThat(runner.awaitStopped(Duration.ofMillis(100))).as("still trying, not stopped").isFalse();
      // its uncaught-exception handler: 5 replacements, then the 6th failure within 5 minutes stops the client
      for (int i = 0; i < 5; i++) {
        assertThat(runner.onUncaught(new IllegalStateException("boom " + i)))
            .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
      }
      assertThat(runner.onUncaught(new IllegalStateException("boom 5")))
          .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    } finally {
      runner.close();
    }
    assertThat(runner.isReady()).isFalse();
    assertThat(ready).doesNotExist();
    assertThat(runner.awaitStopped(Duration.ofSeconds(30))).as("NOT_RUNNING after close").isTrue();
    assertThat(kafkaStreamsMeters(meters)).as("unbound on close").isZero();
  }

  private static long kafkaStreamsMeters(final SimpleMeterRegistry meters) {
    return meters.getMeters().stream().filter(m -> m.getId().getName().startsWith("kafka.stream")).count();
  }
}
