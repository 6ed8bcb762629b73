package dev.rsk.bench.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The directory size the storage report prints: every regular file under the directory, at any depth. */
class StorageReportTest {

  @TempDir Path dir;

  @Test
  void sumsTheRegularFilesAtEveryDepth() throws Exception {
    Files.write(dir.resolve("a.sst"), new byte[3]);
    Files.write(Files.createDirectories(dir.resolve("0_1/rocksdb/store")).resolve("000001.sst"), new byte[5]);
    Files.write(dir.resolve("0_1/rocksdb/store/LOG"), new byte[7]); // info logs count here
    Files.createDirectories(dir.resolve("empty"));
    assertThat(StorageReport.directoryBytes(dir)).isEqualTo(3 + 5 + 7);
  }

  @Test
  void aMissingDirectoryIsAnError() {
    assertThatThrownBy(() -> StorageReport.directoryBytes(dir.resolve("absent")))
        .isInstanceOf(UncheckedIOException.class).hasMessageContaining("absent");
  }
}
