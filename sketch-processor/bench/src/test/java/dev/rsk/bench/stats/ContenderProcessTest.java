package dev.rsk.bench.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rsk.bench.stats.StatsBenchmark.Options;
import dev.rsk.bench.stats.StatsBenchmark.Result;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The parent / child protocol of {@code --jvm-per-contender true}: the result line and the child's command line. */
class ContenderProcessTest {

  private static final Result PEER = new Result("plain-windowed-count", 2, 1.25, 8000.5, 116.2, 10.58, 297.0,
      Double.NaN, Double.NaN, 242.5, Double.NaN);

  @Test
  void aResultLineReadsBackAsTheSameResultNanIncluded() {
    final String line = ResultLine.encode(PEER);
    assertThat(line).startsWith("RESULT {").doesNotContain("\n");
    final Result back = ResultLine.decode(line);
    assertThat(back).isEqualTo(PEER);
    assertThat(back.indexedSeconds()).isNaN();
    assertThat(back.brokerCpuMicros()).isNaN();
  }

  @Test
  void aLineWithoutThePrefixOrWithBadJsonIsRejected() {
    assertThatThrownBy(() -> ResultLine.decode("[rsk-stats #1] 300 / 300 sketches committed"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RESULT");
    assertThatThrownBy(() -> ResultLine.decode("RESULT {\"app\":")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theBrokersShareIsAddedToTheProcessCpuAndShownApart() {
    final Result r = PEER.withBroker(80.5);
    assertThat(r.processCpuMicros()).isEqualTo(323.0);
    assertThat(r.brokerCpuMicros()).isEqualTo(80.5);
    assertThat(r.cpuMicros()).isEqualTo(PEER.cpuMicros());
  }

  @Test
  void onlyTheHeapFlagsAreCarriedOverInOrder() {
    assertThat(ContenderProcess.heapFlags(List.of("-Xms512m", "-XX:+UseG1GC", "-Dfoo=-Xmx1g",
        "-XX:StartFlightRecording=filename=x.jfr", "-Xmx4g", "-Xss1m", "-javaagent:a.jar"))).containsExactly("-Xms512m",
        "-Xmx4g");
    assertThat(ContenderProcess.heapFlags(List.of())).isEmpty();
  }

  @Test
  void theChildRunsTheHiddenCommandOfTheLauncherWithThisJvmsClassPath() throws Exception {
    final List<String> c = ContenderProcess.command("rsk-stats", 3, "localhost:9092",
        new Options(300, 2, 256, 1, true, 50, 0, 1, true, Map.of("producer.batch.size", "262144")),
        Path.of("/tmp/state"));
    assertThat(c.get(0)).endsWith("java");
    final int cp = c.indexOf("-cp");
    assertThat(c.get(cp + 1)).isEqualTo(System.getProperty("java.class.path"));
    assertThat(c.subList(cp + 2, cp + 4)).containsExactly(ContenderProcess.MAIN_CLASS, "bench-stats-contender");
    assertThat(String.join(" ", c)).contains("--app rsk-stats --round 3", "--bootstrap localhost:9092",
        "--sketches 300", "--warmup 50", "--threads 1", "--state-dir /tmp/state",
        "--also producer.batch.size=262144", "--parent-pid " + ProcessHandle.current().pid());
    assertThat(Class.forName(ContenderProcess.MAIN_CLASS)).isNotNull();
  }

  @Test
  void withoutIndexAndAlsoAddContendersBetweenRskAndThePeer() {
    assertThat(new Options(1, 1, 8, 1, true).apps()).containsExactly("rsk-stats", "rsk-stats-no-index",
        "plain-windowed-count");
    assertThat(new Options(1, 1, 8, 1, false).apps()).containsExactly("rsk-stats", "plain-windowed-count");
    assertThat(new Options(1, 1, 8, 1, true, 0, 0, 1, false, Map.of("linger.ms", "5")).apps())
        .containsExactly("rsk-stats", "rsk-stats-no-index", "rsk-stats-also", "plain-windowed-count");
    assertThat(new Options(1, 1, 8, 1, false, 0, 0, 1, false, null).apps())
        .containsExactly("rsk-stats", "plain-windowed-count");
    assertThatThrownBy(() -> ContenderRun.known("rsk")).isInstanceOf(IllegalArgumentException.class);
  }

  /** rsk runs as the server would (its documented Kafka defaults); the peer as a plain Streams app would. */
  @Test
  void rskRunsWithTheServersKafkaDefaultsThePeerWithStreamsOwn() {
    final Options o = new Options(1, 1, 8, 1, true, 0, 250, 3, false,
        Map.of("producer.batch.size", "16384", "producer.compression.type", "lz4", "application.id", "x"));
    final Path state = Path.of("/tmp/s");
    final Properties rsk = ContenderRun.properties("rsk-stats-no-index", "a-1", "h:1", o, state);
    assertThat(rsk).containsEntry("producer.compression.type", "zstd").containsEntry("topic.segment.bytes", 8388608)
        .containsEntry("topic.min.cleanable.dirty.ratio", 0.2).containsEntry("processing.guarantee", "exactly_once_v2")
        .containsEntry("num.stream.threads", 3).containsEntry("commit.interval.ms", 250L)
        .containsEntry("application.id", "a-1").containsEntry("bootstrap.servers", "h:1")
        .containsEntry("state.dir", "/tmp/s").containsEntry("producer.batch.size", 262_144);
    final Properties also = ContenderRun.properties("rsk-stats-also", "b-1", "h:1", o, state);
    assertThat(also).containsEntry("producer.batch.size", "16384").containsEntry("producer.compression.type", "lz4")
        .containsEntry("topic.segment.bytes", 8388608).containsEntry("application.id", "b-1");
    final Properties peer = ContenderRun.properties("plain-windowed-count", "c-1", "h:1", o, state);
    assertThat(peer).doesNotContainKeys("producer.compression.type", "topic.segment.bytes", "producer.batch.size")
        .containsEntry("processing.guarantee", "exactly_once_v2").containsEntry("num.stream.threads", 3)
        .containsEntry("commit.interval.ms", 250L);
  }
}
