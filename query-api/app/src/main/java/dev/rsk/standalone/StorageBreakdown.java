package dev.rsk.standalone;

import dev.rsk.streams.RocksDbMemory;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * Bytes on disk of a standalone stack's RocksDB stores under the data directory (summed over partitions and window
 * segments; their info logs left out), and the offline compaction of those stores ({@link #compactRocksDb}), which
 * drops the values an overwrite or delete superseded (RocksDB does it by itself as a store grows; a short run
 * leaves them). Used by {@code rsk bench-storage}, beside the Kafka topics' log bytes of
 * {@link dev.rsk.kafka.LogBytes}.
 */
public final class StorageBreakdown {

  /** A window store's segment directory: {@code <store>.<segment start>}. */
  private static final Pattern SEGMENT = Pattern.compile("\\.\\d+$");

  private StorageBreakdown() {}

  /**
   * Bytes of the RocksDB stores under {@code stateDir} (a Kafka Streams {@code state.dir}) per store name: every
   * directory holding a RocksDB {@code CURRENT} file, named by the store (window segments folded into their store).
   */
  public static Map<String, Long> rocksDbBytes(final Path stateDir) {
    final Map<String, Long> out = new TreeMap<>();
    for (final Path db : rocksDbs(stateDir)) {
      final Path parent = db.getParent().getFileName();
      // key-value stores live in <task>/rocksdb/<store>; window segments in <task>/<store>/<store>.<start>
      final String name = "rocksdb".equals(parent.toString()) ? db.getFileName().toString()
          : SEGMENT.matcher(db.getFileName().toString()).replaceAll("");
      out.merge(name, dataBytes(db), Long::sum);
    }
    return out;
  }

  /** Compacts every RocksDB under {@code stateDir} (closed: the stack is stopped) with the stores' compression. */
  public static void compactRocksDb(final Path stateDir) throws RocksDBException {
    RocksDB.loadLibrary();
    for (final Path db : rocksDbs(stateDir)) {
      final List<byte[]> families;
      try (Options listing = new Options()) {
        families = RocksDB.listColumnFamilies(listing, db.toString());
      }
      final List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
      final List<ColumnFamilyOptions> cfOptions = new ArrayList<>();
      for (final byte[] family : families) {
        // the compression (zstd at the bottommost level, where a full compaction writes) and 16 KB blocks, as
        // RocksDbMemory configures the stores, so the compacted files are what the server would write (4 KB blocks
        // compress worse and index more)
        final ColumnFamilyOptions o = RocksDbMemory.compress(new ColumnFamilyOptions())
            .setTableFormatConfig(new BlockBasedTableConfig().setBlockSize(16 << 10));
        cfOptions.add(o);
        descriptors.add(new ColumnFamilyDescriptor(family, o));
      }
      final List<ColumnFamilyHandle> handles = new ArrayList<>();
      try (DBOptions options = new DBOptions(); RocksDB rocks = RocksDB.open(options, db.toString(), descriptors,
          handles)) {
        for (final ColumnFamilyHandle h : handles) {
          rocks.compactRange(h);
        }
        handles.forEach(ColumnFamilyHandle::close);
      } finally {
        cfOptions.forEach(ColumnFamilyOptions::close);
      }
    }
  }

  private static List<Path> rocksDbs(final Path stateDir) {
    if (!Files.isDirectory(stateDir)) {
      return List.of();
    }
    try (Stream<Path> paths = Files.walk(stateDir)) {
      return paths.filter(p -> p.getFileName().toString().equals("CURRENT") && Files.isRegularFile(p))
          .map(Path::getParent).sorted().toList();
    } catch (final IOException e) {
      throw new UncheckedIOException("cannot list " + stateDir, e);
    }
  }

  /**
   * Bytes of a RocksDB directory but its info logs ({@code LOG}, {@code LOG.old.*}: diagnostics, rewritten each time
   * a store opens, the offline compaction included).
   */
  private static long dataBytes(final Path db) {
    try (Stream<Path> paths = Files.walk(db)) {
      return paths.filter(p -> Files.isRegularFile(p) && !p.getFileName().toString().startsWith("LOG"))
          .mapToLong(p -> p.toFile().length()).sum();
    } catch (final IOException e) {
      throw new UncheckedIOException("cannot size " + db, e);
    }
  }

  /** Prints one line per entry, largest first: bytes and bytes per inference. */
  public static void print(final PrintStream out, final String title, final Map<String, Long> bytes,
      final long inferences) {
    out.printf(Locale.ROOT, "%s (%,d B, %,.0f B per inference):%n", title, sum(bytes),
        (double) sum(bytes) / inferences);
    bytes.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> out.printf(Locale.ROOT, "  %-58s %,14d B %,8.0f B%n", e.getKey(), e.getValue(),
            (double) e.getValue() / inferences));
  }

  public static long sum(final Map<String, Long> bytes) {
    return bytes.values().stream().mapToLong(Long::longValue).sum();
  }
}
