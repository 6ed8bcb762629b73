package dev.rsk.stats.graph;

import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.sketch.Sketches;
import dev.rsk.stats.query.SimilarMatch;
import dev.rsk.stats.serde.RepositoryCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * How one similarity query ranks one partition's stored sketches ({@code sketch-repository}), by the exact scan
 * or by re-ranking a {@link SimilarityIndex}'s candidates: a stored sketch is compared only if it has the
 * query's parameters and is no longer than the query (an aged sketch on its prefix) and passes the filter; its
 * score is the cosine of the stored int8 vector with the query. So both paths give the same cosines, and the
 * approximate one differs from the exact one only by candidates the graph did not propose.
 */
public final class SimilarityRanking {

  private final float[] query;
  private final SketchSpec spec;
  private final int k;
  private final SimilarityFilter filter;
  private final String excludeId;

  /** The rules of one query; {@code filter} null: none; {@code excludeId}: left out of the results, or null. */
  public SimilarityRanking(final float[] query, final SketchSpec spec, final int k, final SimilarityFilter filter,
      final String excludeId) {
    this.query = query;
    this.spec = spec;
    this.k = k;
    this.filter = filter == null ? SimilarityFilter.NONE : filter;
    this.excludeId = excludeId;
  }

  /** The partition index's candidates for this query (null: not ready, scan instead). */
  public SimilarityIndex.Candidates candidates(final SimilarityIndex index) {
    return index.candidates(SimilarityIndex.specKey(spec), query, k, filter);
  }

  /** Whether the stored sketch of {@code h} is compared with the query at all (before filters). */
  private boolean comparable(final RepositoryCodec.Header h, final byte[] bytes) {
    return h.spec().equals(spec) && h.length(bytes) <= query.length;
  }

  /** The cosine of the stored sketch with the query (over the stored prefix). */
  private double cosine(final RepositoryCodec.Header h, final byte[] bytes) {
    final Sketch s = h.sketch(bytes);
    return Sketches.cosine(s.length() == query.length ? query : Arrays.copyOf(query, s.length()), s.vector());
  }

  /** The exact top k of a partition. */
  public Ranked scan(final ReadOnlyKeyValueStore<String, byte[]> repository) {
    final PriorityQueue<SimilarMatch> top = new PriorityQueue<>(Comparator.comparingDouble(SimilarMatch::cosine));
    long n = 0;
    try (KeyValueIterator<String, byte[]> it = repository.all()) {
      while (it.hasNext()) {
        final KeyValue<String, byte[]> kv = it.next();
        if (kv.key.equals(excludeId)) {
          continue;
        }
        final RepositoryCodec.Header h = RepositoryCodec.header(kv.value);
        if (comparable(h, kv.value) && filter.accepts(h)) {
          n++;
          offer(top, kv.key, h, kv.value);
        }
      }
    }
    return new Ranked(new ArrayList<>(top), n, false);
  }

  /** The top k among {@code c}'s candidates, by their stored vectors. */
  public Ranked rerank(final ReadOnlyKeyValueStore<String, byte[]> repository, final SimilarityIndex.Candidates c) {
    final PriorityQueue<SimilarMatch> top = new PriorityQueue<>(Comparator.comparingDouble(SimilarMatch::cosine));
    long scanned = c.indexed();
    for (final String id : c.graph()) {
      rerankOne(repository, id, top);
    }
    for (final String id : c.backlog()) {
      if (rerankOne(repository, id, top)) {
        scanned++; // not in the graph (yet, or in an older version): counted once more at worst
      }
    }
    if (excludeId != null && !c.backlog().contains(excludeId)) {
      final byte[] own = repository.get(excludeId);
      if (own != null && comparable(RepositoryCodec.header(own), own)) {
        scanned--; // the query's own sketch, in the graph
      }
    }
    return new Ranked(new ArrayList<>(top), Math.max(0, scanned), true);
  }

  /** Compares the stored sketch of {@code id}, if any and comparable; returns whether it was comparable. */
  private boolean rerankOne(final ReadOnlyKeyValueStore<String, byte[]> repository, final String id,
      final PriorityQueue<SimilarMatch> top) {
    if (id.equals(excludeId)) {
      return false;
    }
    final byte[] bytes = repository.get(id);
    if (bytes == null) {
      return false; // deleted since the graph saw it
    }
    final RepositoryCodec.Header h = RepositoryCodec.header(bytes);
    if (!comparable(h, bytes)) {
      return false;
    }
    if (filter.accepts(h)) {
      offer(top, id, h, bytes);
    }
    return true;
  }

  private void offer(final PriorityQueue<SimilarMatch> top, final String id, final RepositoryCodec.Header h,
      final byte[] bytes) {
    final double cos = cosine(h, bytes);
    if (top.size() < k || cos > top.peek().cosine()) {
      top.add(new SimilarMatch(id, cos, h.eventTime(), h.source()));
      if (top.size() > k) {
        top.poll();
      }
    }
  }

  /**
   * Top matches of a partition (unordered); {@code scanned}: comparable sketches compared (exact) or held by
   * the searched index (approximate, about: a sketch re-indexed meanwhile may count twice), the query's own left
   * out.
   */
  public record Ranked(List<SimilarMatch> matches, long scanned, boolean approximate) {}
}
