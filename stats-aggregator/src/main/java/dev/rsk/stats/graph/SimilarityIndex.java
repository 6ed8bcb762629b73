package dev.rsk.stats.graph;

import dev.rsk.stats.query.SimilarMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * The approximate nearest-neighbour index of one partition: one {@link SpecIndex} per sketch-parameter
 * key, so sketches of different parameters are never compared. A Kafka Streams state store without a
 * changelog: it is derived state, rebuilt by {@link SimilarityIndexProcessor#init} from
 * {@link GraphStores#ENTRIES} (restored from its changelog first), then kept in step record by record.
 * Until that rebuild it is not {@link #ready()} and readers fall back to the exact scan.
 */
public final class SimilarityIndex implements StateStore {

  private final String name;
  private final HnswParams params;
  private final Map<String, SpecIndex> bySpec = new ConcurrentHashMap<>();
  private volatile boolean open;
  private volatile boolean ready;

  SimilarityIndex(final String name, final HnswParams params) {
    this.name = name;
    this.params = params;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void init(final StateStoreContext context, final StateStore root) {
    context.register(root, (key, value) -> { }); // no changelog: nothing to restore
    open = true;
  }

  /**
   * Drops everything and indexes {@code entries} (the partition's {@link GraphStores#ENTRIES}); returns
   * the latest event time seen (Long.MIN_VALUE if none).
   */
  long rebuild(final KeyValueIterator<String, byte[]> entries) {
    ready = false;
    closeAll();
    long maxTime = Long.MIN_VALUE;
    while (entries.hasNext()) {
      final IndexEntry e = IndexEntry.decode(entries.next().value);
      upsert(e, null);
      maxTime = Math.max(maxTime, e.eventTime());
    }
    bySpec.values().forEach(SpecIndex::optimize);
    ready = true;
    return maxTime;
  }

  /** Indexes {@code e}; {@code oldSpecKey} is the key its previous version was indexed under, or null. */
  void upsert(final IndexEntry e, final String oldSpecKey) {
    if (oldSpecKey != null && !oldSpecKey.equals(e.specKey())) {
      delete(e.inferenceId(), oldSpecKey);
    }
    bySpec.computeIfAbsent(e.specKey(), k -> new SpecIndex(params)).upsert(e);
  }

  void delete(final String inferenceId, final String specKey) {
    final SpecIndex idx = bySpec.get(specKey);
    if (idx != null) {
      idx.delete(inferenceId);
    }
  }

  /** Ids older than {@code cutoffMs}, with their spec keys, at most {@code max}. */
  List<KeyValue<String, String>> olderThan(final long cutoffMs, final int max) {
    final List<KeyValue<String, String>> out = new ArrayList<>();
    for (final Map.Entry<String, SpecIndex> e : bySpec.entrySet()) {
      if (out.size() < max) {
        e.getValue().olderThan(cutoffMs, max - out.size()).forEach(id -> out.add(KeyValue.pair(id, e.getKey())));
      }
    }
    return out;
  }

  /** True once rebuilt from the entries store; before that, search is refused. */
  public boolean ready() {
    return open && ready;
  }

  /**
   * The about-k nearest among sketches of {@code specKey} (an empty list if none), see
   * {@link SpecIndex#search}.
   *
   * @throws InvalidStateStoreException when the index is closed or not yet rebuilt
   */
  public List<SimilarMatch> search(final String specKey, final float[] query, final int k,
      final SimilarityFilter filter, final String excludeId) {
    requireReady();
    final SpecIndex idx = bySpec.get(specKey);
    try {
      return idx == null ? List.of() : idx.search(query, k, params.numCandidates(), filter, excludeId);
    } catch (org.apache.lucene.store.AlreadyClosedException e) {
      // the task closed or began a rebuild during the search: the reader retries like any migrating store
      throw new InvalidStateStoreException("similarity index " + name + " closed during a search");
    }
  }

  /** Number of indexed sketches of {@code specKey}. */
  public int size(final String specKey) {
    requireReady();
    final SpecIndex idx = bySpec.get(specKey);
    try {
      return idx == null ? 0 : idx.size();
    } catch (org.apache.lucene.store.AlreadyClosedException e) {
      throw new InvalidStateStoreException("similarity index " + name + " closed during a search");
    }
  }

  /** Bytes held in memory by all indexes of this partition. */
  public long ramBytes() {
    return bySpec.values().stream().mapToLong(SpecIndex::ramBytes).sum();
  }

  private void requireReady() {
    if (!ready()) {
      throw new InvalidStateStoreException("similarity index " + name + " is not open or not rebuilt yet");
    }
  }

  private void closeAll() {
    bySpec.values().forEach(SpecIndex::close);
    bySpec.clear();
  }

  @Override
  public void flush() {
    // in memory, derived from the entries store: nothing to flush
  }

  @Override
  public void close() {
    open = false;
    ready = false;
    closeAll();
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
