package dev.rsk.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.CompressionType;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

/** The config setter on real RocksDB instances: one shared bounded cache, LZ4 on disk. */
class RocksDbMemoryTest {

  @TempDir
  Path dir;

  @Test
  void storesShareOneBoundedCacheAndAreCompressedOnDisk() throws Exception {
    final long bound = 8L << 20;
    try (RocksDbMemory memory = new RocksDbMemory(bound);
        Options a = new Options().setCreateIfMissing(true);
        Options b = new Options().setCreateIfMissing(true)) {
      final Map<String, Object> streamsConfigs = Map.of(RocksDbMemory.CONFIG_KEY, memory);
      new RocksDbMemory.Setter().setConfig("a", a, streamsConfigs);
      new RocksDbMemory.Setter().setConfig("b", b, streamsConfigs);
      assertThat(a.compressionType()).isEqualTo(CompressionType.LZ4_COMPRESSION);
      assertThat(a.bottommostCompressionType()).as("the level a full compaction writes")
          .isEqualTo(CompressionType.ZSTD_COMPRESSION);
      try (RocksDB dbA = RocksDB.open(a, dir.resolve("a").toString());
          RocksDB dbB = RocksDB.open(b, dir.resolve("b").toString());
          FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
        // 4 MB of repetitive rows (like the aggregates' mostly-zero counts) in each store
        final byte[] row = new byte[4096];
        Arrays.fill(row, 0, 64, (byte) 7);
        for (int i = 0; i < 1024; i++) {
          dbA.put(("k" + i).getBytes(), row);
          dbB.put(("k" + i).getBytes(), row);
        }
        // the same cache object serves both stores, with the configured capacity
        assertThat(dbA.getProperty("rocksdb.block-cache-capacity")).isEqualTo(Long.toString(bound));
        assertThat(dbB.getProperty("rocksdb.block-cache-capacity")).isEqualTo(Long.toString(bound));
        // memtables are charged to the cache (nothing was read, so without the charge its usage would be ~0):
        // it holds the two stores' unflushed 8 MB in the write buffer manager's dummy entries, less what the
        // manager already flushed at half the bound
        assertThat(Long.parseLong(dbA.getProperty("rocksdb.block-cache-usage"))).isGreaterThan(2L << 20);
        // the gauge rsk.rocksdb.memory.used reads the same shared cache
        assertThat(memory.usedBytes()).isGreaterThan(2L << 20);
        dbA.flush(flush);
        assertThat(sstBytes(dir.resolve("a"))).isPositive().isLessThan(1L << 20); // 4 MB raw
      }
    }
  }

  @Test
  void aClosedBoundReportsNothingUsedInsteadOfTouchingFreedMemory() {
    final RocksDbMemory memory = new RocksDbMemory(1L << 20);
    assertThat(memory.isClosed()).isFalse();
    memory.close();
    assertThat(memory.isClosed()).isTrue();
    assertThat(memory.usedBytes()).isZero();
  }

  @Test
  void withoutTheSharedObjectOnlyCompressionIsSet() {
    try (Options o = new Options()) {
      new RocksDbMemory.Setter().setConfig("x", o, Map.of());
      assertThat(o.compressionType()).isEqualTo(CompressionType.LZ4_COMPRESSION);
      assertThat(o.bottommostCompressionType()).isEqualTo(CompressionType.ZSTD_COMPRESSION);
    }
  }

  private static long sstBytes(final Path db) throws IOException {
    try (Stream<Path> files = Files.list(db)) {
      return files.filter(p -> p.toString().endsWith(".sst")).mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
