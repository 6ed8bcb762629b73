package dev.rsk.stats.graph;

/**
 * Stores of the knowledge-graph node of the stats topology. {@link #ENTRIES} is a persistent RocksDB
 * store with a changelog (the durable truth); {@link #INDEX} is the in-memory HNSW index derived from
 * it, rebuilt from {@link #ENTRIES} whenever its task is initialised (after restore, a rebalance or a
 * crash), so the two never disagree for longer than one record.
 */
public final class GraphStores {

  /** Key-value store, key inference id, value {@link IndexEntry#encode()}. */
  public static final String ENTRIES = "similarity-entries";
  /** {@link SimilarityIndex}: per partition, one Lucene HNSW index per sketch-parameter key. */
  public static final String INDEX = "similarity-index";

  private GraphStores() {}
}
