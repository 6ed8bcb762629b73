package dev.rsk.sketch;

import java.util.List;

/**
 * One node of the structure decoded by a {@link JointDecoder}: a position of the network (a root
 * module, then "input {@code slot} of a {@code module}" steps) where the fit finds objects.
 *
 * <p>A node is reported only when its count passes the significance test: {@code count >=}
 * {@value JointDecoder#SIGNIFICANCE_Z} {@code countStdError} and {@code count >=} {@value
 * JointDecoder#MIN_NODE_COUNT}; children are looked for only under reported nodes, so the tree has no
 * node without its parent.
 *
 * @param module the module found at this position
 * @param tagPath the steps from the root, root first, each rendered {@code module[slot]}; empty for a
 *     root
 * @param depth {@code tagPath.size()}
 * @param count the number of objects at this position, each weighted by the product of the input
 *     weights along its path (with unit weights: the number of objects); for a sum of sketches, the
 *     total over the summed inferences
 * @param countStdError its standard error (from the fit's residual and the factor of its Gram matrix;
 *     never 0: an exact fit states the storage precision)
 * @param meanAttributes the weighted mean attribute vector of those objects ({@code k} values)
 * @param meanAttributeStdErrors the standard error of each mean attribute (delta method)
 * @param children the reported nodes one step below, in the catalogue's (slot, module) order
 */
public record DecodedNode(
    String module,
    List<String> tagPath,
    int depth,
    double count,
    double countStdError,
    double[] meanAttributes,
    double[] meanAttributeStdErrors,
    List<DecodedNode> children) {
  public DecodedNode {
    tagPath = List.copyOf(tagPath);
    children = List.copyOf(children);
  }

  /** The slot of the parent this node feeds, null for a root. */
  public String slot() {
    return tagPath.isEmpty() ? null : TagStep.parse(tagPath.get(tagPath.size() - 1)).slot();
  }

  /** Number of nodes in this subtree. */
  public int subtreeSize() {
    int n = 1;
    for (final DecodedNode c : children) {
      n += c.subtreeSize();
    }
    return n;
  }
}
