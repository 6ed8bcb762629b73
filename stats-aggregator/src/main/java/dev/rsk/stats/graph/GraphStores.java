package dev.rsk.stats.graph;

/**
 * Stores of the knowledge-graph node of the stats topology. {@link #INDEX} is in memory and has no changelog:
 * it is derived from {@code sketch-repository} (the durable truth), rebuilt from it in the background whenever
 * its task is initialised (first start, after restore, a rebalance or a crash).
 */
public final class GraphStores {

  /** {@link SimilarityIndex}: per partition, one Lucene HNSW index per sketch-parameter key. */
  public static final String INDEX = "similarity-index";

  private GraphStores() {}
}
