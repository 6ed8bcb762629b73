package dev.rsk.stats.graph;

import dev.rsk.sketch.SketchSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.lucene.store.AlreadyClosedException;

/**
 * The approximate nearest-neighbour index of one partition: one {@link SpecIndex} per sketch-parameter key
 * (sketches of different parameters are never compared), derived from the partition's
 * {@code sketch-repository}. A Kafka Streams state store without a changelog.
 *
 * <p>The stream thread only {@link #enqueue}s the ids it wrote to the repository (a map put); the partition's
 * {@link Indexer}, run by the topology's one background {@link IndexerPool} thread, first rebuilds the graphs
 * from the repository, then reads each enqueued id's stored record and indexes it. An id leaves the <em>backlog</em>
 * only once a search can see it in the graph, so {@link #candidates} (graph candidates plus every backlog id) never
 * misses a committed sketch: the caller re-ranks them exactly against the repository. The backlog holds at most
 * {@link IndexSettings#backlogBound()} ids; when full, the stream thread does not wait: the partition is
 * marked not {@link #ready()} (answered by the exact scan) and the indexer rebuilds from the repository.
 */
public final class SimilarityIndex implements StateStore {

  private final String name;
  private final IndexSettings settings;
  private final ConcurrentHashMap<String, Long> backlog = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();
  private volatile Map<String, SpecIndex> bySpec = new ConcurrentHashMap<>();
  private volatile Indexer indexer;
  private volatile boolean open;
  private volatile boolean ready;
  /** Set by the stream thread when the backlog is full; the indexer then rebuilds. */
  private volatile boolean resync;
  /** Changes at every rebuild start: a search that saw it change falls back to the scan. */
  private final AtomicLong generation = new AtomicLong();
  private volatile long expireBefore = Long.MIN_VALUE;

  private final Set<SimilarityIndex> live;
  private final IndexerPool pool;

  /**
   * {@code live}: the open indexes of the topology, which this one joins while open (the metrics' gauges);
   * {@code pool}: the topology's indexing thread, shared by its partitions.
   */
  SimilarityIndex(final String name, final IndexSettings settings, final Set<SimilarityIndex> live,
      final IndexerPool pool) {
    this.name = name;
    this.settings = settings;
    this.live = live;
    this.pool = pool;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void init(final StateStoreContext context, final StateStore root) {
    context.register(root, (key, value) -> { }); // no changelog: nothing to restore
    open = true;
    live.add(this);
  }

  /** One index per value: every sketch parameter (vector lengths may differ: the index holds a prefix). */
  public static String specKey(final SketchSpec spec) {
    return "d=" + spec.d() + ";seed=" + spec.seed() + ";alpha=" + spec.alpha() + ";beta=" + spec.beta()
        + ";v=" + spec.schemeVersion();
  }

  IndexSettings settings() {
    return settings;
  }

  /** Starts the partition's indexer over {@code repository} (read only); a no-op when the index is disabled. */
  synchronized void start(final ReadOnlyKeyValueStore<String, byte[]> repository, final String task) {
    stop();
    if (!settings.enabled() || !open) {
      return;
    }
    indexer = new Indexer(this, repository, pool, "rsk-similarity-indexer-" + task);
    indexer.start();
  }

  /** Stops the indexer and waits for it (its repository iterator is closed before this returns). */
  synchronized void stop() {
    final Indexer i = indexer;
    indexer = null;
    if (i != null) {
      i.stop();
    }
    ready = false;
  }

  /** The stream thread wrote (or deleted) {@code id} in the repository: index it. Never blocks. */
  void enqueue(final String id) {
    final Indexer i = indexer;
    if (i == null) {
      return;
    }
    if (backlog.size() >= settings.backlogBound() && !backlog.containsKey(id)) {
      resync = true; // the rebuild will read this id's record from the repository
    } else {
      backlog.put(id, sequence.incrementAndGet());
    }
    i.wake();
  }

  /** Sketches with event time before {@code cutoffMs} leave the index (the repository's retention). */
  void expire(final long cutoffMs) {
    expireBefore = cutoffMs;
    final Indexer i = indexer;
    if (i != null) {
      i.wake();
    }
  }

  // --- the indexer's side ---

  ConcurrentHashMap<String, Long> backlog() {
    return backlog;
  }

  boolean takeResync() {
    final boolean r = resync;
    resync = false;
    return r;
  }

  long expireBefore() {
    return expireBefore;
  }

  /** A rebuild starts: searches fall back to the scan until {@link #rebuilt}. */
  void rebuilding() {
    ready = false;
    generation.incrementAndGet();
  }

  /** Swaps in the rebuilt graphs (a concurrent map, already refreshed) and closes the old ones. */
  void rebuilt(final Map<String, SpecIndex> fresh) {
    final Map<String, SpecIndex> old = bySpec;
    bySpec = fresh;
    ready = true;
    old.values().forEach(SpecIndex::close);
  }

  Map<String, SpecIndex> graphs() {
    return bySpec;
  }

  /** The indexer failed: never ready again until the task restarts (the scan answers meanwhile). */
  void failed() {
    ready = false;
    generation.incrementAndGet();
  }

  // --- the search side ---

  /** True once the graphs are rebuilt from the repository; before that (and when disabled) readers scan. */
  public boolean ready() {
    return open && ready;
  }

  /**
   * Candidates for the {@code k} nearest sketches of {@code specKey} to {@code query}: up to
   * {@code max(k, numCandidates)} graph neighbours passing {@code filter} (by prefix), plus every id in the
   * backlog (any parameters: not yet in the graph, or changed since). Null when the index is not ready or
   * began a rebuild meanwhile: then the caller scans.
   */
  public Candidates candidates(final String specKey, final float[] query, final int k,
      final SimilarityFilter filter) {
    final long gen = generation.get();
    if (!ready()) {
      return null;
    }
    // the backlog before the graph: an id leaves the backlog only after the graph shows it
    final Set<String> pending = Set.copyOf(backlog.keySet());
    final SpecIndex idx = bySpec.get(specKey);
    try {
      final List<String> graph = idx == null ? List.of()
          : idx.candidates(SpecIndex.quantize(query, idx.dims()), Math.max(k, settings.hnsw().numCandidates()),
              filter);
      if (generation.get() != gen || !ready()) {
        return null;
      }
      return new Candidates(graph.stream().filter(id -> !pending.contains(id)).toList(), pending,
          idx == null ? 0 : idx.size());
    } catch (AlreadyClosedException e) {
      return null; // swapped by a rebuild or closed with the task: scan
    }
  }

  /**
   * @param graph ids proposed by the graph (not in the backlog)
   * @param backlog ids written but not yet searchable through the graph
   * @param indexed sketches of the key in the graph
   */
  public record Candidates(List<String> graph, Set<String> backlog, long indexed) {}

  /** Ids enqueued but not yet searchable through the graph. */
  public int backlogSize() {
    return backlog.size();
  }

  /** Sketches in the graph of {@code specKey} (0 when not ready). */
  public int size(final String specKey) {
    final SpecIndex idx = bySpec.get(specKey);
    try {
      return idx == null || !ready() ? 0 : idx.size();
    } catch (AlreadyClosedException e) {
      return 0;
    }
  }

  /** Sketches in all graphs of this partition (as of their last refresh). */
  public long indexedCount() {
    long n = 0;
    for (final SpecIndex g : bySpec.values()) {
      try {
        n += g.size();
      } catch (AlreadyClosedException e) {
        // swapped by a rebuild meanwhile: the gauge reads again next time
      }
    }
    return n;
  }

  /** Bytes held in memory by all graphs of this partition. */
  public long ramBytes() {
    return bySpec.values().stream().mapToLong(SpecIndex::ramBytes).sum();
  }

  /** Whether the partition's indexer thread is running (tests: no thread outlives its task). */
  boolean indexing() {
    final Indexer i = indexer;
    return i != null && i.alive();
  }

  @Override
  public void flush() {
    // in memory, derived from the repository: nothing to flush
  }

  @Override
  public void close() {
    stop();
    open = false;
    live.remove(this);
    final Map<String, SpecIndex> old = bySpec;
    bySpec = new ConcurrentHashMap<>();
    old.values().forEach(SpecIndex::close);
    backlog.clear();
  }

  @Override
  public boolean persistent() {
    return false;
  }

  @Override
  public boolean isOpen() {
    return open;
  }
}
