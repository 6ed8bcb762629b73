package dev.rsk.api.internal;

import dev.rsk.api.model.SketchParamsJson;
import dev.rsk.stats.query.SimilarMatch;
import java.util.List;

/** JSON bodies of the knowledge-graph {@code /internal/v1} routes. */
public final class GraphDtos {

  private GraphDtos() {}

  /**
   * A similarity query through the HNSW index (or exact), with filters, sent to one instance.
   *
   * @param fromMs inclusive event-time bound, null for none
   * @param toMs exclusive event-time bound, null for none
   * @param source required source, null for any
   * @param modules modules that must be present, null or empty for any
   */
  public record IndexedQuery(float[] vector, SketchParamsJson params, int k, String excludeId, boolean exact,
      Long fromMs, Long toMs, String source, List<String> modules, List<Integer> partitions, boolean stale) {}

  /** Its answer; {@code approximate} when any partition was answered by its index. */
  public record IndexedAnswer(List<SimilarMatch> matches, long scanned, boolean approximate) {}
}
