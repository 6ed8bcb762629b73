package dev.rsk.stats.graph;

import java.time.Duration;

/**
 * The knobs of the similarity index (server keys {@code rsk.similarity.*}, docs/graph.md "Knobs").
 *
 * @param enabled false: no index is built and {@code /v1/similar} always scans (exact)
 * @param prefixLength m: the index holds the first m int8 coordinates of each stored sketch (all of them if d
 *     is smaller); candidates are re-ranked with the whole stored vector
 * @param backlogBound most sketches per partition written but not yet searchable through the graph; past it
 *     the partition is answered by the exact scan while the indexer rebuilds from the repository
 * @param hnsw the graph's own knobs ({@link HnswParams#numCandidates()}: candidates re-ranked per partition)
 * @param refresh the longest an indexed sketch waits before the graph shows it (the indexer also refreshes
 *     after every {@code 1,000} sketches); until then it stays in the backlog, which every search re-ranks
 *     exactly, so this costs search time, never a missed sketch. Each refresh writes a Lucene segment.
 */
public record IndexSettings(boolean enabled, int prefixLength, int backlogBound, HnswParams hnsw, Duration refresh) {

  /** 256 int8 coordinates per graph node (docs/graph.md "Choosing the defaults": 128 missed recall at 1M). */
  public static final int DEFAULT_PREFIX = 256;
  public static final int DEFAULT_BACKLOG = 100_000;
  /**
   * M = 16, efConstruction = 100, 100 candidates per partition re-ranked (at 1M, 50 gave recall@10 0.969 and 100
   * gave 0.987: docs/graph.md "1M"), 32 MB writer buffer per index.
   */
  public static final HnswParams DEFAULT_HNSW = new HnswParams(16, 100, 100, 32);
  /** A segment per 10 s at most while sketches arrive slower than 1,000 per refresh. */
  public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(10);
  public static final IndexSettings DEFAULTS =
      new IndexSettings(true, DEFAULT_PREFIX, DEFAULT_BACKLOG, DEFAULT_HNSW, DEFAULT_REFRESH);
  /** No index: every similarity search scans. */
  public static final IndexSettings DISABLED =
      new IndexSettings(false, DEFAULT_PREFIX, DEFAULT_BACKLOG, DEFAULT_HNSW, DEFAULT_REFRESH);

  public IndexSettings {
    if (prefixLength < 1 || prefixLength > HnswParams.MAX_DIMENSIONS) {
      throw new IllegalArgumentException("prefix length must be in [1, " + HnswParams.MAX_DIMENSIONS + "]: "
          + prefixLength);
    }
    if (backlogBound < 1) {
      throw new IllegalArgumentException("backlog bound must be >= 1: " + backlogBound);
    }
    if (hnsw == null) {
      throw new IllegalArgumentException("hnsw parameters missing");
    }
    if (refresh == null || refresh.isNegative() || refresh.isZero()) {
      throw new IllegalArgumentException("refresh interval must be positive: " + refresh);
    }
  }

  /** These settings with another refresh interval. */
  public IndexSettings withRefresh(final Duration interval) {
    return new IndexSettings(enabled, prefixLength, backlogBound, hnsw, interval);
  }
}
