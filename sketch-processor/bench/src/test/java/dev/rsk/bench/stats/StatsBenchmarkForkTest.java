package dev.rsk.bench.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rsk.bench.stats.StatsBenchmark.Options;
import dev.rsk.bench.stats.StatsBenchmark.Result;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rsk bench-stats --jvm-per-contender true} end to end, on a small topic: every contender runs in a child
 * JVM against this JVM's broker, reports its figures, and no child outlives the run.
 */
class StatsBenchmarkForkTest {

  /** Four child JVMs, each with its warm-up: about a minute on 2 cores, so {@code long} (docs/testing.md). */
  @Test
  @Tag("long")
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void everyContenderRunsInAChildJvmAndTheBrokersCpuIsReportedApart() throws Exception {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final List<Result> results;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      results = StatsBenchmark.run(new Options(300, 2, 256, 1, true, 50, 0, 1, true,
          Map.of("producer.batch.size", "262144")), out);
    }
    final String printed = bytes.toString(StandardCharsets.UTF_8);
    assertThat(results).extracting(Result::app).containsExactly("rsk-stats", "rsk-stats-no-index",
        "rsk-stats-also", "plain-windowed-count");
    for (final Result r : results) {
      assertThat(r.round()).as(r.app()).isEqualTo(1);
      assertThat(r.sketchesPerSecond()).as(r.app()).isPositive();
      assertThat(r.brokerCpuMicros()).as(r.app()).isFinite().isPositive();
      assertThat(r.processCpuMicros()).as(r.app()).isGreaterThan(r.cpuMicros())
          .isGreaterThan(r.brokerCpuMicros());
    }
    assertThat(results.get(0).indexedSeconds()).isFinite();
    // the children's progress is forwarded, the protocol lines are not
    assertThat(printed).contains("[warmup-rsk-stats] 50 sketches", "[plain-windowed-count #1]",
        "broker-cpu-us/sketch", "storage per inference",
        "with {producer.batch.size=262144} / peer").doesNotContain("MEASURE-", "STREAMS-START", "RESULT ");
    assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList()).isEmpty();
  }

  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES)
  void aFailingChildFailsTheRunNamingItsAppExitCodeAndLastStderrLines(@TempDir final Path dir) throws Exception {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      assertThatThrownBy(() -> ContenderProcess.run("no-such-app", 1, "127.0.0.1:1",
          new Options(300, 2, 256, 1, true, 0, 0, 1, true, Map.of()), Files.createDirectory(dir.resolve("state")), out))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("no-such-app #1", "exited with 1", "unknown contender 'no-such-app'");
    }
    assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList()).isEmpty();
  }
}
