package dev.rsk.stats.concepts;

/** Names of the concept stores and processors, declared once. */
public final class ConceptStores {

  /**
   * Key-value store, key {@code specKey + "\0" + clusterId} (and {@code specKey + "\0"}: the key's first event
   * time), value a {@link MicroCluster}: every micro-cluster of the parameter keys this task clusters. Changelogged.
   */
  public static final String CLUSTERS = "concept-clusters";
  /** No data: calls the concept processor back before each commit. */
  public static final String COMMIT_HOOK = "concept-commit-hook";
  /**
   * Global key-value store, key concept id, value the latest {@code ConceptEvent} (Avro single-object encoding),
   * read from the concepts topic on every instance; what {@code GET /v1/concepts} answers from.
   */
  public static final String VIEW = "concepts-view";
  /**
   * Name of the repartition (by parameter key) of the sketches: topic
   * {@code <application.id>-concepts-by-key-repartition}.
   */
  public static final String REPARTITION = "concepts-by-key";

  private ConceptStores() {}
}
