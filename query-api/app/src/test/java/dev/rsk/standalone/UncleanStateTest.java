package dev.rsk.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UncleanStateTest {

  @TempDir Path dir;

  /** An application directory as Kafka Streams leaves it: after kill -9 (no checkpoints) and after a clean stop. */
  private Path app() throws Exception {
    final Path app = Files.createDirectories(dir.resolve("stats").resolve("rsk-stats"));
    Files.writeString(app.resolve("kafka-streams-process-metadata"), "{\"processId\":\"x\"}");
    Files.writeString(app.resolve(".lock"), "");
    for (final String task : List.of("0_0", "0_1", "1_3")) {
      Files.writeString(Files.createDirectories(app.resolve(task).resolve("rocksdb").resolve("store"))
          .resolve("000001.sst"), "data");
    }
    Files.writeString(app.resolve("0_1").resolve(".checkpoint"), "0\n1\nt 1 42\n"); // cleanly closed
    Files.writeString(Files.createDirectories(app.resolve("global").resolve("rocksdb")).resolve("CURRENT"), "g");
    Files.createDirectories(app.resolve("not-a-task"));
    return app;
  }

  /** Kafka Streams properties of {@code applicationId} with its state under {@code <dir>/stats}. */
  private Properties streams(final String applicationId, final String guarantee) {
    final Properties p = new Properties();
    p.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("stats").toString());
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
    return p;
  }

  @Test
  void deletesOnlyTheTaskDirectoriesWithoutACheckpoint() throws Exception {
    final Path app = app();

    final List<String> wiped = UncleanState.wipe(app);

    assertThat(wiped).containsExactly("0_0", "1_3");
    assertThat(app.resolve("0_0")).doesNotExist();
    assertThat(app.resolve("1_3")).doesNotExist();
    assertThat(app.resolve("0_1").resolve("rocksdb").resolve("store").resolve("000001.sst")).exists();
    assertThat(app.resolve("0_1").resolve(".checkpoint")).exists();
    assertThat(app.resolve("global").resolve("rocksdb").resolve("CURRENT")).exists();
    assertThat(app.resolve("kafka-streams-process-metadata")).exists();
    assertThat(app.resolve(".lock")).exists();
    assertThat(app.resolve("not-a-task")).exists();
    assertThat(UncleanState.wipe(app)).isEmpty();
  }

  @Test
  void afterACleanStopKeepsEveryTaskDirectoryOnce() throws Exception {
    final Path app = app();
    final Properties p = streams("rsk-stats", StreamsConfig.EXACTLY_ONCE_V2);

    UncleanState.markCleanStop(p);

    assertThat(UncleanState.wipe(p)).isEmpty();
    assertThat(app.resolve("0_0").resolve("rocksdb").resolve("store").resolve("000001.sst")).exists();
    assertThat(app.resolve("1_3")).exists();
    assertThat(app.resolve(UncleanState.CLEAN_STOP)).doesNotExist();
    // the marker is consumed: a crash after this start wipes again
    assertThat(UncleanState.wipe(p)).containsExactly("0_0", "1_3");
  }

  @Test
  void aCleanStopOfAnApplicationThatNeverStartedLeavesNoMarker() {
    final Properties p = streams("never-started", StreamsConfig.EXACTLY_ONCE_V2);

    UncleanState.markCleanStop(p);

    assertThat(dir.resolve("stats")).doesNotExist();
  }

  @Test
  void appliesOnlyToExactlyOnceApplicationsAndToleratesAMissingDirectory() throws Exception {
    final Path app = app();
    final Properties p = streams("rsk-stats", StreamsConfig.AT_LEAST_ONCE);

    assertThat(UncleanState.wipe(p)).isEmpty();
    assertThat(app.resolve("0_0")).exists();

    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    assertThat(UncleanState.wipe(p)).containsExactly("0_0", "1_3");

    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "never-started");
    assertThat(UncleanState.wipe(p)).isEmpty();
  }
}
