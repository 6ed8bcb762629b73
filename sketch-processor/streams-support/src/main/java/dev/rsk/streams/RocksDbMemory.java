package dev.rsk.streams;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Properties;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBufferManager;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.RocksDBConfigSetter;

/**
 * The off-heap memory of a role's RocksDB stores (the aggregator's, the processor's), bounded and shared: one LRU
 * block cache of
 * {@code bytes} for every store (index and filter blocks included), and a write buffer manager that charges
 * every memtable to the same cache, at most half of it. Without it Kafka Streams gives every RocksDB instance
 * its own 50 MB cache and up to three 16 MB memtables, and a window store is one instance per segment, so the
 * aggregator's memory grew with partitions and retention, and the processor's pending-objects stores held up to
 * 48 MB of memtables per partition. Stores are LZ4-compressed (Streams' default is none),
 * their bottommost level, where nearly all of a store's data ends up once compacted, zstd ({@link #compress}).
 *
 * <p>Wiring ({@link #configure}): the config setter class is {@link Setter}, which Kafka Streams instantiates
 * per store; it finds this object in the Streams configuration under {@link #CONFIG_KEY} (no static state, so
 * two instances in one JVM keep separate bounds). Close it after the Kafka Streams instance.
 */
public final class RocksDbMemory implements AutoCloseable {

  /** The Streams configuration key holding the instance's {@link RocksDbMemory} object. */
  public static final String CONFIG_KEY = "rsk.rocksdb.memory";
  /** Default bound of the aggregator (rsk server): 256 MB for all its stores. */
  public static final long DEFAULT_BYTES = 256L << 20;
  /**
   * Default bound of the processor: 64 MB for all its stores (pending objects of the inferences in flight, each
   * deleted once sketched, and one length per module), of which at most 32 MB of memtables.
   */
  public static final long PROCESSOR_DEFAULT_BYTES = 64L << 20;
  /** The gauge of {@link #usedBytes()}, tagged {@code role}. */
  public static final String USED_METRIC = "rsk.rocksdb.memory.used";
  /** RocksDB data block size (Streams' default is 4 KB; a 4 KB sum row and its key fit in one block of 16). */
  static final long BLOCK_BYTES = 16L << 10;

  /** Compression of the levels that are rewritten often (fast). */
  public static final CompressionType COMPRESSION = CompressionType.LZ4_COMPRESSION;
  /** Compression of the bottommost level, written once per compaction: smaller (docs/exact-stats.md). */
  public static final CompressionType BOTTOMMOST_COMPRESSION = CompressionType.ZSTD_COMPRESSION;

  private final long bytes;
  private final Cache cache;
  private final WriteBufferManager writeBuffers;
  private boolean closed;

  public RocksDbMemory(final long bytes) {
    if (bytes < (1L << 20)) {
      throw new IllegalArgumentException("RocksDB memory bound must be at least 1 MB: " + bytes);
    }
    this.bytes = bytes;
    RocksDB.loadLibrary(); // before any native object (Kafka Streams loads it only when it opens a store)
    // strict capacity off: a read never fails when pinned blocks exceed the bound for a moment;
    // high-priority pool (index and filter blocks) a tenth of the cache
    this.cache = new LRUCache(bytes, -1, false, 0.1);
    this.writeBuffers = new WriteBufferManager(bytes / 2, cache);
  }

  /** The bound in bytes. */
  public long bytes() {
    return bytes;
  }

  /**
   * Bytes the shared cache holds now: data, index and filter blocks, and the memtables charged to it by the write
   * buffer manager (about the instance's RocksDB memory; it may exceed {@link #bytes()} for a moment while pinned
   * blocks are read, the cache not being strict); 0 once closed (a native call on a closed cache would crash).
   */
  public synchronized long usedBytes() {
    return closed ? 0 : cache.getUsage();
  }

  /** Registers the gauge {@link #USED_METRIC} of {@link #usedBytes()}, tagged {@code role} (stats, processor). */
  public void bindTo(final MeterRegistry registry, final String role) {
    Gauge.builder(USED_METRIC, this, RocksDbMemory::usedBytes).tag("role", role)
        .description("Bytes held by the role's shared RocksDB cache, memtables included (bound: "
            + "rsk.rocksdb.memory.bytes)").baseUnit("bytes").register(registry);
  }

  /** Puts the config setter and this object into {@code streams} (Kafka Streams properties). */
  public void configure(final Properties streams) {
    streams.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, Setter.class);
    streams.put(CONFIG_KEY, this);
  }

  void apply(final Options options) {
    // Kafka Streams hands the setter options with its block-based table config (whose cache this replaces)
    final BlockBasedTableConfig table = options.tableFormatConfig() instanceof BlockBasedTableConfig streams
        ? streams : new BlockBasedTableConfig();
    table.setBlockCache(cache);
    table.setCacheIndexAndFilterBlocks(true);
    table.setCacheIndexAndFilterBlocksWithHighPriority(true);
    table.setPinTopLevelIndexAndFilter(true);
    table.setBlockSize(BLOCK_BYTES);
    options.setTableFormatConfig(table);
    options.setWriteBufferManager(writeBuffers);
    compress(options);
  }

  /**
   * Sets the stores' compression on {@code options}: {@link #COMPRESSION}, and {@link #BOTTOMMOST_COMPRESSION}
   * for the bottommost level.
   *
   * @return {@code options}
   */
  public static Options compress(final Options options) {
    return options.setCompressionType(COMPRESSION).setBottommostCompressionType(BOTTOMMOST_COMPRESSION);
  }

  /**
   * {@link #compress(Options)} for a column family (offline compactions, so their files are what the server writes).
   */
  public static ColumnFamilyOptions compress(final ColumnFamilyOptions options) {
    return options.setCompressionType(COMPRESSION).setBottommostCompressionType(BOTTOMMOST_COMPRESSION);
  }

  /** Whether {@link #close()} ran: the native cache is freed and {@link #usedBytes()} reads 0. */
  public synchronized boolean isClosed() {
    return closed;
  }

  @Override
  public synchronized void close() {
    closed = true;
    writeBuffers.close();
    cache.close();
  }

  /**
   * The {@code rocksdb.config.setter} of the stats and processor topologies: applies the instance's
   * {@link RocksDbMemory} found under {@link #CONFIG_KEY}; without one (the class configured by hand), only the
   * compression.
   */
  public static final class Setter implements RocksDBConfigSetter {

    @Override
    public void setConfig(final String storeName, final Options options, final Map<String, Object> configs) {
      if (configs.get(CONFIG_KEY) instanceof RocksDbMemory memory) {
        memory.apply(options);
      } else {
        compress(options);
      }
    }

    @Override
    public void close(final String storeName, final Options options) {
      // the cache and write buffer manager are shared by every store: closed with the RocksDbMemory
    }
  }
}
