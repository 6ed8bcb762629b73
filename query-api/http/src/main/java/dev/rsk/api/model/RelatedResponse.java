package dev.rsk.api.model;

import java.util.List;

/**
 * {@code GET /v1/inferences/{id}/related}: the inference's edges in the knowledge graph.
 *
 * @param parts the sub-components found in the inference's sketch and searched for, as paths
 *     {@code module/slot/child}
 * @param approximate true when any search used the HNSW indexes
 */
public record RelatedResponse(String inferenceId, int k, List<Edge> edges, List<String> parts,
    List<InstanceStatus> instances, boolean stale, boolean approximate) {

  /**
   * One edge.
   *
   * @param reason {@code similar}: the whole sketches are near; {@code shares-part}: the stored sketch is
   *     near the query's sub-sketch at {@code path}
   * @param path for {@code shares-part}, the query's sub-component {@code module/slot/child}; else null
   * @param score the cosine behind the edge
   */
  public record Edge(String inferenceId, String reason, String path, double score, String eventTime,
      String source) {}
}
