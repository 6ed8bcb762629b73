package dev.rsk.sketch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecoveredNodeTest {

  private static RecoveredNode leaf(final String module) {
    return new RecoveredNode(module, List.of(), 1, new double[0], Map.of());
  }

  /** A node with one slot per pair {@code slot, children}. */
  private static RecoveredNode node(final String module, final Object... slotsAndChildren) {
    final Map<String, List<RecoveredNode>> children = new LinkedHashMap<>();
    for (int i = 0; i < slotsAndChildren.length; i += 2) {
      @SuppressWarnings("unchecked")
      final List<RecoveredNode> list = (List<RecoveredNode>) slotsAndChildren[i + 1];
      children.put((String) slotsAndChildren[i], list);
    }
    return new RecoveredNode(module, List.of(), 1, new double[0], children);
  }

  @Test
  void depthsOfATreeCountStepsFromTheRoot() {
    final RecoveredNode root = node("scene",
        "0", List.of(node("cat", "0", List.of(leaf("eye")), "tail", List.of(leaf("tail")))),
        "1", List.of(leaf("dog")));
    assertThat(root.moduleDepths()).isEqualTo(Map.of("scene", 0, "cat", 1, "dog", 1, "eye", 2, "tail", 2));
    assertThat(root.subtreeSize()).isEqualTo(5);
  }

  @Test
  void theShallowestDirectInputWins() {
    // eye under scene[1] directly and under cat on scene[0]: another slot, so not an echo
    final RecoveredNode root = node("scene",
        "0", List.of(node("cat", "0", List.of(leaf("eye")))),
        "1", List.of(leaf("eye")));
    assertThat(root.moduleDepths()).isEqualTo(Map.of("scene", 0, "cat", 1, "eye", 1));
  }

  @Test
  void aModuleAlsoBelowASiblingInTheSameSlotIsAnEchoAndSkipped() {
    // unrolling scene[0] shows cat and, through cat's identity copy, cat's eye: the eye is at depth 2
    final RecoveredNode root = node("scene", "0", List.of(node("cat", "0", List.of(leaf("eye"))), leaf("eye")));
    assertThat(root.moduleDepths()).isEqualTo(Map.of("scene", 0, "cat", 1, "eye", 2));
    // the echo may come from deeper below the sibling
    final RecoveredNode deep = node("scene",
        "0", List.of(node("cat", "0", List.of(node("head", "0", List.of(leaf("eye"))))), leaf("eye")));
    assertThat(deep.moduleDepths()).isEqualTo(Map.of("scene", 0, "cat", 1, "head", 2, "eye", 3));
  }

  @Test
  void modulesRecoveredOnlyAsEchoesGetNoDepth() {
    // a and b each show the other below them in the same slot: both are echoes
    final RecoveredNode root =
        node("scene", "0", List.of(node("a", "0", List.of(leaf("b"))), node("b", "0", List.of(leaf("a")))));
    assertThat(root.moduleDepths()).isEqualTo(Map.of("scene", 0));
  }

  @Test
  void theRootModuleKeepsDepthZeroWhenItRecursBelow() {
    final RecoveredNode root = node("block", "0", List.of(node("layer", "0", List.of(leaf("block")))));
    assertThat(root.moduleDepths()).isEqualTo(Map.of("block", 0, "layer", 1));
  }
}
