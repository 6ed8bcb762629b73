package dev.rsk.sketch;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One node of the structure recovered from a sketch alone ({@link SketchDecoder#recoverStructure}).
 *
 * @param module the module found present
 * @param tagPath the tag path it was found under, root first, each step rendered {@code
 *     module[slot]} (see {@link TagStep}); empty for the root
 * @param presence {@code sqrt(2) * readout[0]}: the estimated effective-weight mass of the module
 *     under this tag path
 * @param meanAttributes {@code readout[1:] / readout[0]}: the mass-weighted mean attributes there
 * @param childrenBySlot for each slot of this node's module: the modules found present after
 *     unrolling {@code R_{module,slot}} (the direct input and, through the identity copies, its
 *     heavier descendants), in decreasing presence; only slots with at least one child appear
 */
public record RecoveredNode(
    String module,
    List<String> tagPath,
    double presence,
    double[] meanAttributes,
    Map<String, List<RecoveredNode>> childrenBySlot) {
  public RecoveredNode {
    tagPath = List.copyOf(tagPath);
    childrenBySlot = Collections.unmodifiableMap(new LinkedHashMap<>(childrenBySlot));
  }

  /** Number of nodes in this subtree. */
  public int subtreeSize() {
    int n = 1;
    for (final List<RecoveredNode> list : childrenBySlot.values()) {
      for (final RecoveredNode c : list) {
        n += c.subtreeSize();
      }
    }
    return n;
  }
}
