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
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background thread of one partition's {@link SimilarityIndex}: rebuilds the graphs from the repository
 * (at start, and when the backlog overflowed), then indexes the backlog's ids in batches, reading each id's
 * current record from the repository (a deleted one leaves the index). Backlog ids are removed only after
 * {@link SpecIndex#refresh} made them searchable, and only if not enqueued again meanwhile. The repository is
 * read in chunks with short-lived iterators (each closed), so no RocksDB snapshot is pinned for the whole
 * rebuild. Stopped (and joined) when its task closes.
 */
final class Indexer {

  private static final Logger LOG = LoggerFactory.getLogger(Indexer.class);
  /** Ids indexed between two looks at the stop flag, expiry and resync. */
  private static final int BATCH = 1_000;
  /** Repository records read per iterator during a rebuild. */
  private static final int CHUNK = 10_000;
  /**
   * Refresh (make the graph show what was indexed) after this many sketches or this long, whichever first.
   * Each refresh writes a Lucene segment, with a fixed cost, and segments cost merges and per-segment searches;
   * until then the sketches stay in the backlog, which every search re-ranks exactly (a few us each).
   */
  private static final long REFRESH_NANOS = Duration.ofSeconds(10).toNanos();
  private static final int REFRESH_EVERY = 1_000;
  private static final long IDLE_PARK_NANOS = Duration.ofMillis(100).toNanos();
  private static final Duration JOIN = Duration.ofSeconds(30);

  private final SimilarityIndex index;
  private final ReadOnlyKeyValueStore<String, byte[]> repository;
  private final Thread thread;
  private volatile boolean stopping;
  private long expired = Long.MIN_VALUE;

  Indexer(final SimilarityIndex index, final ReadOnlyKeyValueStore<String, byte[]> repository, final String name) {
    this.index = index;
    this.repository = repository;
    this.thread = new Thread(this::run, name);
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  void wake() {
    LockSupport.unpark(thread);
  }

  boolean alive() {
    return thread.isAlive();
  }

  /** Asks the thread to stop and waits for it (bounded). */
  void stop() {
    stopping = true;
    LockSupport.unpark(thread);
    try {
      thread.join(JOIN.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      LOG.warn("similarity indexer {} did not stop within {}", thread.getName(), JOIN);
    }
  }

  private void run() {
    try {
      rebuild();
      long lastRefresh = System.nanoTime();
      // indexed but not yet refreshed: id -> the backlog sequence indexed (such ids stay in the backlog until the
      // refresh, and must not be indexed again unless enqueued again meanwhile)
      final Map<String, Long> applied = new HashMap<>();
      while (!stopping) {
        if (index.takeResync()) {
          applied.clear();
          rebuild();
          continue;
        }
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
        if (!applied.isEmpty() && (applied.size() >= REFRESH_EVERY || System.nanoTime() - lastRefresh > REFRESH_NANOS)) {
          index.graphs().values().forEach(SpecIndex::refresh);
          applied.forEach((id, seq) -> index.backlog().remove(id, seq));
          applied.clear();
          lastRefresh = System.nanoTime();
        }
        if (batch.isEmpty()) {
          LockSupport.parkNanos(IDLE_PARK_NANOS);
        }
      }
    } catch (RuntimeException e) {
      if (!stopping) {
        // the partition is answered by the exact scan until its task restarts
        LOG.error("similarity indexer {} failed; this partition's searches scan until the task restarts",
            thread.getName(), e);
        index.failed();
      }
    }
  }

  /** Fresh graphs from every stored record; the backlog (cleared first) holds what changes meanwhile. */
  private void rebuild() {
    index.rebuilding();
    index.backlog().clear();
    final long t0 = System.nanoTime();
    final Map<String, SpecIndex> fresh = new ConcurrentHashMap<>();
    long n = 0;
    String after = null;
    boolean more = true;
    try {
      while (more && !stopping) {
        more = false;
        try (KeyValueIterator<String, byte[]> it = after == null ? repository.all() : repository.range(after, null)) {
          int inChunk = 0;
          while (it.hasNext() && !stopping) {
            final KeyValue<String, byte[]> kv = it.next();
            if (kv.key.equals(after)) {
              continue;
            }
            index(kv.key, kv.value, fresh);
            after = kv.key;
            n++;
            if (++inChunk == CHUNK) {
              more = true;
              break;
            }
          }
        }
      }
      if (stopping) {
        fresh.values().forEach(SpecIndex::close);
        return;
      }
      fresh.values().forEach(SpecIndex::refresh);
    } catch (RuntimeException e) {
      fresh.values().forEach(SpecIndex::close);
      throw e;
    }
    expired = Long.MIN_VALUE;
    index.rebuilt(fresh);
    LOG.info("similarity index {} rebuilt from the repository: {} sketches in {} ms", thread.getName(), n,
        (System.nanoTime() - t0) / 1_000_000);
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
        k -> new SpecIndex(index.settings().hnsw(), Math.min(index.settings().prefixLength(), h.spec().d())));
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
