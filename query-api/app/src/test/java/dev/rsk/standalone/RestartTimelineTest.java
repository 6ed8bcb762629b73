package dev.rsk.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestartTimelineTest {

  @TempDir Path dir;

  @Test
  void describesTheStepsOfTheLastStartFromTheControllersActivation() throws Exception {
    final Path log = Files.write(dir.resolve("rsk.log"), List.of(
        "2026-12-02T05:00:00,000 WARN  [q] o.a.k.c.QuorumController - Performing controller activation. empty",
        "2026-12-02T05:00:05,000 INFO  [main] d.r.k.EmbeddedKafka - Kafka broker started at 127.0.0.1:1",
        "2026-12-02T05:10:00,000 WARN  [q] o.a.k.c.QuorumController - Performing controller activation.",
        "2026-12-02T05:10:04,500 INFO  [main] d.r.k.EmbeddedKafka - Kafka broker started at 127.0.0.1:1",
        "2026-12-02T05:10:06,000 INFO  [main] d.r.r.s.SchemaRegistryServer - Schema registry serving http://x",
        "2026-12-02T05:10:07,250 INFO  [main] d.r.a.s.StatsServer - Starting rsk stats + API instance with c",
        "  kafka.application.id = rsk-stats",
        "2026-12-02T05:10:12,000 INFO  [main] d.r.a.s.StatsServer - rsk stats + API instance serving http on port 1",
        "2026-12-02T05:10:20,000 INFO  [t] d.r.p.ProcessorRunner - rsk sketch processor is RUNNING (ready)"));

    final RestartTimeline timeline = RestartTimeline.read(log);
    final String described = timeline.describe();

    assertThat(timeline.lastStepSeconds()).isEqualTo(20.0);

    assertThat(described.lines()).containsExactly(
        "  broker registered and serving            +  4.5 s  ( 4.5 s after the step before)",
        "  schema registry serving                  +  6.0 s  ( 1.5 s after the step before)",
        "  topics, schemas, leftover transactions   +  7.3 s  ( 1.3 s after the step before)",
        "  aggregator + API started                 + 12.0 s  ( 4.8 s after the step before)",
        "  processor RUNNING                        + 20.0 s  ( 8.0 s after the step before)");
  }

  @Test
  void afterAKillTheTimelineStartsAtTheControllerOnlyPass() throws Exception {
    final Path log = Files.write(dir.resolve("rsk.log"), List.of(
        "2026-12-02T05:00:00,000 WARN  [q] o.a.k.c.QuorumController - Performing controller activation.",
        "2026-12-02T05:00:05,000 INFO  [main] d.r.k.EmbeddedKafka - Kafka broker started at 127.0.0.1:1",
        "2026-12-02T05:10:00,000 WARN  [q] o.a.k.c.QuorumController - Performing controller activation.",
        "2026-12-02T05:10:00,600 INFO  [main] d.r.k.DeadIncarnation - Previous broker registration fenced after"
            + " 3000 ms",
        "2026-12-02T05:10:01,500 WARN  [q] o.a.k.c.QuorumController - Performing controller activation.",
        "2026-12-02T05:10:03,000 INFO  [main] d.r.k.EmbeddedKafka - Kafka broker started at 127.0.0.1:1",
        "2026-12-02T05:10:04,000 INFO  [t] d.r.p.ProcessorRunner - rsk sketch processor is RUNNING (ready)"));

    assertThat(RestartTimeline.read(log).describe().lines()).containsExactly(
        "  dead broker fenced (controller only)     +  0.6 s  ( 0.6 s after the step before)",
        "  broker registered and serving            +  3.0 s  ( 2.4 s after the step before)",
        "  processor RUNNING                        +  4.0 s  ( 1.0 s after the step before)");
  }

  @Test
  void sumsTheChangelogsApartFromTheOtherLogs() throws Exception {
    final Path kafka = Files.createDirectories(dir.resolve("data/kafka"));
    Files.write(Files.createDirectories(kafka.resolve("rsk-stats-store-changelog-0")).resolve("0.log"),
        new byte[3_000_000]);
    Files.write(Files.createDirectories(kafka.resolve("sketches-0")).resolve("0.log"), new byte[1_000_000]);

    assertThat(RestartTimeline.changelogSummary(dir.resolve("data")))
        .isEqualTo("changelogs 3.0 MB of 4.0 MB of Kafka logs");
  }
}
