package dev.rsk.api.model;

import java.util.List;

/**
 * {@code GET /v1/inferences/{id}/related}: the inference's edges in the knowledge graph.
 *
 * @param parts the sub-components found in the inference's sketch and searched for
 * @param approximate true when any search used the HNSW indexes
 */
public record RelatedResponse(String inferenceId, int k, List<Edge> edges, List<Part> parts,
    List<InstanceStatus> instances, boolean stale, boolean approximate) {

  /**
   * One edge.
   *
   * @param reason {@code similar}: the whole sketches are near; {@code shares-part}: the stored sketch is
   *     near the query's sub-sketch at {@code path}
   * @param path for {@code shares-part}, the tag path of the query's sub-component ({@code scene[0]},
   *     {@code scene[0]/cat[1]}); else null
   * @param score the cosine behind the edge
   */
  public record Edge(String inferenceId, String reason, String path, double score, String eventTime,
      String source) {}

  /**
   * A sub-component of the query inference.
   *
   * @param path its tag path, root first, each step {@code module[slot]}
   * @param modules the modules structure recovery found under it, heaviest first (the input and, through
   *     the identity copies, its heavier descendants)
   */
  public record Part(String path, List<String> modules) {}
}
