package dev.rsk.stats.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A query searches one HNSW graph per Lucene segment, so the number of segments is the query's cost
 * (docs/graph.md "1M"). A bulk load (the indexer's rebuild) must end as one segment even when it is larger than
 * the ordinary writer buffer, which here is made tiny so that a few thousand sketches overflow it.
 */
class SpecIndexSegmentsTest {

  private static final int DIMS = 16;
  private static final int N = 2_000;
  /** About 500 sketches of 16 coordinates per flush. */
  private static final HnswParams TINY_BUFFER = new HnswParams(16, 100, 100, 0.25);

  @Test
  void aBulkLoadIsSearchableAsOneSegmentAndFindsEverySketch() {
    final List<byte[]> vectors = vectors(N);
    try (SpecIndex plain = new SpecIndex(TINY_BUFFER, DIMS); SpecIndex bulk = new SpecIndex(TINY_BUFFER, DIMS, true)) {
      for (int i = 0; i < N; i++) {
        plain.upsert("id-" + i, i, "s", List.of(), vectors.get(i));
        bulk.upsert("id-" + i, i, "s", List.of(), vectors.get(i));
      }
      plain.refresh();
      bulk.finishBulkLoad();
      assertThat(plain.segments()).as("the ordinary buffer flushes several segments").isGreaterThan(1);
      assertThat(bulk.segments()).isEqualTo(1);
      assertThat(bulk.size()).isEqualTo(N);
      // each sketch's own vector is its nearest neighbour (cosine 1)
      for (int i = 0; i < N; i += 97) {
        assertThat(bulk.candidates(vectors.get(i), 10, SimilarityFilter.NONE)).first().isEqualTo("id-" + i);
      }
      // after the load the ordinary buffer is back: later writes are refreshed as small segments
      for (int i = 0; i < 1_000; i++) {
        bulk.upsert("late-" + i, i, "s", List.of(), vectors.get(i));
      }
      bulk.refresh();
      assertThat(bulk.size()).isEqualTo(N + 1_000);
      assertThat(bulk.segments()).isGreaterThan(1);
    }
  }

  @Test
  void writesAfterTheLoadStayInAFewSegments() {
    final int loaded = 1_000;
    final int streamed = 1_000;
    final List<byte[]> vectors = vectors(loaded + streamed);
    int most = 0;
    try (SpecIndex index = new SpecIndex(TINY_BUFFER, DIMS, true)) {
      for (int i = 0; i < loaded; i++) {
        index.upsert("id-" + i, i, "s", List.of(), vectors.get(i));
      }
      index.finishBulkLoad();
      // then refreshed every 50 writes, as the indexer following the stream: 20 small segments, of which
      // Lucene's own policy keeps up to 10 (segments per tier)
      for (int i = loaded; i < loaded + streamed; i++) {
        index.upsert("id-" + i, i, "s", List.of(), vectors.get(i));
        if (i % 50 == 49) {
          index.refresh();
          most = Math.max(most, index.segments());
        }
      }
      assertThat(index.size()).isEqualTo(loaded + streamed);
      // the large one, at most SEGMENTS_PER_TIER others, and the one flushed by the refresh before they merge
      assertThat(most).isLessThanOrEqualTo(FewSegmentsMergePolicy.SEGMENTS_PER_TIER + 2);
      for (int i = loaded; i < loaded + streamed; i += 97) {
        assertThat(index.candidates(vectors.get(i), 10, SimilarityFilter.NONE)).first().isEqualTo("id-" + i);
      }
    }
  }

  private static List<byte[]> vectors(final int n) {
    final SplittableRandom r = new SplittableRandom(3L);
    final List<byte[]> out = new java.util.ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      final byte[] v = new byte[DIMS];
      for (int j = 0; j < DIMS; j++) {
        v[j] = (byte) (r.nextInt(255) - 127);
      }
      out.add(v);
    }
    return out;
  }
}
