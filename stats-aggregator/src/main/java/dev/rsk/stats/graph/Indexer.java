package dev.rsk.stats.graph;

import dev.rsk.sketch.Sketches;
import dev.rsk.stats.serde.RepositoryCodec;
import java.util.Arrays;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The indexing of one partition's {@link SimilarityIndex}, run in bounded steps by the topology's shared
 * {@link IndexerPool} thread: rebuilds the graphs from the repository (at start, and when the backlog
 * overflowed), a chunk per step, then indexes the backlog's ids in batches, reading each id's current record
 * from the repository (a deleted one leaves the index). Backlog ids are removed only after
 * {@link SpecIndex#refresh} made them searchable, and only if not enqueued again meanwhile. The repository is
 * read in chunks with short-lived iterators (each closed), so no RocksDB snapshot is pinned for the whole
 * rebuild. Stopped when its task closes: {@link #stop} waits for a running step (bounded).
 */
final class Indexer {

  private static final Logger LOG = LoggerFactory.getLogger(Indexer.class);
  /** Ids indexed per step (then the pool turns to the next partition, and looks at stop, expiry, resync). */
  private static final int BATCH = 1_000;
  /** Repository records read per iterator (and per step) during a rebuild. */
  private static final int CHUNK = 1_000;
  /**
   * Refresh (make the graph show what was indexed) after this many sketches or {@link IndexSettings#refresh()},
   * whichever first. Each refresh writes a Lucene segment, with a fixed cost, and segments cost merges and
   * per-segment searches; until then the sketches stay in the backlog, which every search re-ranks exactly (a
   * few us each).
   */
  private static final int REFRESH_EVERY = 1_000;
  private static final Duration JOIN = Duration.ofSeconds(30);

  private final SimilarityIndex index;
  private final ReadOnlyKeyValueStore<String, byte[]> repository;
  private final IndexerPool pool;
  private final String name;
  private final long refreshNanos;
  /** Held while a step runs; {@link #stop} takes it to wait for the running step. */
  private final ReentrantLock stepLock = new ReentrantLock();
  private volatile boolean stopping;
  private boolean failed;
  private boolean started;
  private long expired = Long.MIN_VALUE;
  /**
   * Indexed but not yet refreshed: id -> the backlog sequence indexed (such ids stay in the backlog until the
   * refresh, and must not be indexed again unless enqueued again meanwhile).
   */
  private final Map<String, Long> applied = new HashMap<>();
  private long lastRefresh = System.nanoTime();
  /** The graphs being rebuilt (null when not rebuilding), the last key read, records read, start time. */
  private Map<String, SpecIndex> fresh;
  private String after;
  private long rebuiltCount;
  private long rebuildStart;

  Indexer(final SimilarityIndex index, final ReadOnlyKeyValueStore<String, byte[]> repository,
      final IndexerPool pool, final String name) {
    this.index = index;
    this.repository = repository;
    this.pool = pool;
    this.name = name;
    this.refreshNanos = index.settings().refresh().toNanos();
  }

  void start() {
    pool.add(this);
  }

  void wake() {
    pool.enqueued();
  }

  boolean alive() {
    return !stopping && !failed && pool.alive();
  }

  /** Leaves the pool and waits for a running step (bounded); drops a rebuild in progress. */
  void stop() {
    stopping = true;
    pool.remove(this);
    try {
      if (stepLock.tryLock(JOIN.toMillis(), TimeUnit.MILLISECONDS)) {
        try {
          dropRebuild();
        } finally {
          stepLock.unlock();
        }
      } else {
        LOG.warn("similarity indexer {} did not stop within {}", name, JOIN);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One bounded piece of work; false when there was nothing to do. Called by the pool's thread only. */
  boolean step() {
    if (!stepLock.tryLock()) {
      return false; // being stopped
    }
    try {
      if (stopping || failed) {
        return false;
      }
      if (!started || index.takeResync()) {
        started = true;
        startRebuild();
      }
      if (fresh != null) {
        rebuildChunk();
        return true;
      }
      return indexBatch();
    } catch (RuntimeException e) {
      if (!stopping) {
        // the partition is answered by the exact scan until its task restarts
        LOG.error("similarity indexer {} failed; this partition's searches scan until the task restarts", name, e);
        failed = true;
        index.failed();
      }
      dropRebuild();
      return false;
    } finally {
      stepLock.unlock();
    }
  }

  private boolean indexBatch() {
    expire();
    final List<Map.Entry<String, Long>> batch = new ArrayList<>(BATCH);
    for (final Map.Entry<String, Long> e : index.backlog().entrySet()) {
      if (batch.size() == BATCH) {
        break;
      }
      if (!e.getValue().equals(applied.get(e.getKey()))) {
        batch.add(Map.entry(e.getKey(), e.getValue()));
      }
    }
    for (final Map.Entry<String, Long> e : batch) {
      apply(e.getKey(), index.graphs());
      applied.put(e.getKey(), e.getValue());
    }
    if (!applied.isEmpty() && (applied.size() >= REFRESH_EVERY || System.nanoTime() - lastRefresh > refreshNanos)) {
      index.graphs().values().forEach(SpecIndex::refresh);
      applied.forEach((id, seq) -> index.backlog().remove(id, seq));
      applied.clear();
      lastRefresh = System.nanoTime();
    }
    return !batch.isEmpty();
  }

  /** Fresh graphs from every stored record; the backlog (cleared first) holds what changes meanwhile. */
  private void startRebuild() {
    dropRebuild();
    applied.clear();
    index.rebuilding();
    index.backlog().clear();
    fresh = new ConcurrentHashMap<>();
    after = null;
    rebuiltCount = 0;
    rebuildStart = System.nanoTime();
  }

  /** Indexes the next chunk of the repository; after the last, swaps the fresh graphs in. */
  private void rebuildChunk() {
    boolean more = false;
    try (KeyValueIterator<String, byte[]> it = after == null ? repository.all() : repository.range(after, null)) {
      int inChunk = 0;
      while (it.hasNext() && !stopping) {
        final KeyValue<String, byte[]> kv = it.next();
        if (kv.key.equals(after)) {
          continue;
        }
        index(kv.key, kv.value, fresh);
        after = kv.key;
        rebuiltCount++;
        if (++inChunk == CHUNK) {
          more = true;
          break;
        }
      }
    }
    if (more || stopping) {
      return;
    }
    fresh.values().forEach(SpecIndex::finishBulkLoad); // one segment per graph: one HNSW search (docs/graph.md)
    expired = Long.MIN_VALUE;
    index.rebuilt(fresh);
    fresh = null;
    lastRefresh = System.nanoTime();
    LOG.info("similarity index {} rebuilt from the repository: {} sketches in {} ms", name, rebuiltCount,
        (System.nanoTime() - rebuildStart) / 1_000_000);
  }

  private void dropRebuild() {
    if (fresh != null) {
      fresh.values().forEach(SpecIndex::close);
      fresh = null;
    }
  }

  /** Indexes the current record of {@code id} (none: removes it everywhere). */
  private void apply(final String id, final Map<String, SpecIndex> graphs) {
    final byte[] bytes = repository.get(id);
    if (bytes == null) {
      graphs.values().forEach(g -> g.delete(id));
      return;
    }
    final String key = index(id, bytes, graphs);
    // a sketch whose parameters changed leaves its former index (rare: an id re-sketched differently)
    graphs.forEach((k, g) -> {
      if (!k.equals(key)) {
        g.delete(id);
      }
    });
  }

  /** Adds {@code bytes}' sketch under its key (creating the graph); returns the key, null if unreadable. */
  private String index(final String id, final byte[] bytes, final Map<String, SpecIndex> graphs) {
    final RepositoryCodec.Header h;
    try {
      h = RepositoryCodec.header(bytes);
    } catch (SerializationException e) {
      return null; // the stats processor refuses such a store before this runs (docs/api.md, Migration)
    }
    final String key = SimilarityIndex.specKey(h.spec());
    final SpecIndex g = graphs.computeIfAbsent(key,
        k -> new SpecIndex(index.settings().hnsw(), Math.min(index.settings().prefixLength(), h.spec().d()),
            graphs == fresh));
    final int from = h.vectorOffset() + Sketches.INT8_HEADER_BYTES;
    final byte[] prefix = Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + g.dims()));
    g.upsert(id, h.eventTime(), h.source(), h.modules(), prefix);
    return key;
  }

  /** Applies the latest retention cutoff once. */
  private void expire() {
    final long cutoff = index.expireBefore();
    if (cutoff > expired) {
      index.graphs().values().forEach(g -> g.deleteOlderThan(cutoff));
      expired = cutoff;
    }
  }
}
