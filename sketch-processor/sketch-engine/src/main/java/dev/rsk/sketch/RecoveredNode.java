package dev.rsk.sketch;

import java.util.Collections;
import java.util.HashMap;
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

  /**
   * The depth of each module in this recovered structure (this node at depth 0): the shallowest tag
   * path where it is a direct input. Unrolling a slot shows the direct input and, through the identity
   * copies, its descendants; a node whose module also appears below a sibling in the same slot is such
   * an echo and is skipped. A heuristic over a noisy recovery: a module recovered only as an echo gets
   * no depth.
   */
  public Map<String, Integer> moduleDepths() {
    final Map<String, Integer> out = new HashMap<>();
    collectDepths(0, out);
    return out;
  }

  private void collectDepths(final int depth, final Map<String, Integer> out) {
    out.merge(module, depth, Math::min);
    for (final List<RecoveredNode> siblings : childrenBySlot.values()) {
      for (final RecoveredNode child : siblings) {
        if (!isEcho(child, siblings)) {
          child.collectDepths(depth + 1, out);
        }
      }
    }
  }

  private static boolean isEcho(final RecoveredNode child, final List<RecoveredNode> siblings) {
    for (final RecoveredNode sibling : siblings) {
      if (sibling != child && sibling.hasBelow(child.module())) {
        return true;
      }
    }
    return false;
  }

  private boolean hasBelow(final String m) {
    for (final List<RecoveredNode> children : childrenBySlot.values()) {
      for (final RecoveredNode c : children) {
        if (c.module().equals(m) || c.hasBelow(m)) {
          return true;
        }
      }
    }
    return false;
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
