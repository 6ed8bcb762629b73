package dev.rsk.sketch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rsk.sketch.SketchException.Reason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObjectDagTest {

  private static SketchObject obj(final String id, final String module, final float[] x, final String... inputs) {
    return new SketchObject(id, module, x, Arrays.stream(inputs).map(c -> new SketchInput(c, null, 1f)).toList());
  }

  @Test
  void compilesChildrenBeforeParentsAndCountsModules() {
    final ObjectDag dag =
        ObjectDag.of(
            List.of(
                obj("scene", "scene", new float[] {1}, "cat", "dog"),
                obj("cat", "cat", new float[] {1, 2}, "eye"),
                obj("dog", "dog", new float[] {3, 4}, "eye"),
                obj("eye", "eye", new float[] {5}),
                obj("stray", "eye", new float[] {6})),
            "scene");
    assertThat(dag.size()).isEqualTo(4);
    assertThat(dag.unreachable()).isEqualTo(1);
    assertThat(dag.rootId()).isEqualTo("scene");
    assertThat(dag.moduleCounts()).containsExactly(
        Map.entry("cat", 1), Map.entry("dog", 1), Map.entry("eye", 1),
        Map.entry("scene", 1));
    assertThat(dag.attributeLengths()).containsEntry("cat", 2).containsEntry("eye", 1);
    // exact moments over the same objects: the stray eye is unreachable and does not count
    final var moments = dag.attributeMoments();
    assertThat(moments.keySet()).containsExactly("cat", "dog", "eye", "scene");
    assertThat(moments.get("cat").sums()).containsExactly(1, 2);
    assertThat(moments.get("cat").squares()).containsExactly(1, 4);
    assertThat(moments.get("eye").sums()).containsExactly(5);
    assertThat(moments.get("eye").squares()).containsExactly(25);
    // the shared eye is compiled once and used twice
    assertThat(dag.ids[dag.nodeCount() - 1]).isEqualTo("scene");
    final int eye = List.of(dag.ids).indexOf("eye");
    assertThat(dag.uses[eye]).isEqualTo(2);
    for (int i = 0; i < dag.nodeCount(); i++) {
      for (final int c : dag.children[i]) {
        assertThat(c).isLessThan(i);
      }
    }
    // null slots resolve to the position
    final int scene = dag.nodeCount() - 1;
    assertThat(dag.slots[scene]).containsExactly("0", "1");
  }

  @Test
  void rejectsEachKindOfBadInputWithItsReason() {
    final float[] x = {1};
    assertReason(() -> ObjectDag.of(List.of(obj("a", "m", x, "b"), obj("b", "m", x, "a")), "a"), Reason.CYCLE);
    assertReason(() -> ObjectDag.of(List.of(obj("a", "m", x, "a")), "a"), Reason.CYCLE);
    // a cycle not reachable from the root is still an error
    assertReason(
        () -> ObjectDag.of(List.of(obj("r", "m", x), obj("a", "m", x, "b"), obj("b", "m", x, "a")), "r"),
        Reason.CYCLE);
    assertReason(() -> ObjectDag.of(List.of(obj("a", "m", x, "zzz")), "a"), Reason.MISSING_INPUT);
    assertReason(() -> ObjectDag.of(List.of(obj("a", "m", x)), "b"), Reason.UNKNOWN_ROOT);
    assertReason(() -> ObjectDag.of(List.of(obj("a", "m", x), obj("a", "m", x)), "a"), Reason.DUPLICATE_OBJECT);
    assertReason(
        () -> ObjectDag.of(List.of(obj("a", "m", x, "b"), obj("b", "m", new float[] {1, 2})), "a"),
        Reason.ATTRIBUTE_LENGTH_MISMATCH);
    assertReason(() -> obj("a", "m", new float[] {Float.NaN}), Reason.NON_FINITE_ATTRIBUTE);
    assertReason(() -> obj("a", "m", new float[] {Float.NEGATIVE_INFINITY}), Reason.NON_FINITE_ATTRIBUTE);
    assertReason(() -> new SketchInput("a", null, -1f), Reason.INVALID_WEIGHT);
    assertReason(() -> new SketchInput("a", null, Float.NaN), Reason.INVALID_WEIGHT);
    assertReason(() -> new SketchObject(null, "m", x, List.of()), Reason.INVALID_OBJECT);
    assertReason(
        () -> ObjectDag.of(List.of(obj("a", "m", new float[ObjectDag.MAX_ATTRIBUTES + 1])), "a"),
        Reason.LIMIT_EXCEEDED);
  }

  @Test
  void partialDropsAndCountsMissingInputsAndPutsAVirtualRootOverOutputs() {
    final float[] x = {1};
    final ObjectDag dag =
        ObjectDag.partial(
            List.of(obj("cat", "cat", x, "eye", "gone"), obj("dog", "dog", x, "gone2"), obj("eye", "eye", x)),
            null);
    assertThat(dag.missingInputs()).isEqualTo(2);
    assertThat(dag.hasVirtualRoot()).isTrue();
    assertThat(dag.rootId()).isNull();
    assertThat(dag.size()).isEqualTo(3);
    assertThat(dag.moduleCounts()).doesNotContainKey(ObjectDag.VIRTUAL_ROOT_MODULE).hasSize(3);
    final int root = dag.nodeCount() - 1;
    assertThat(dag.modules[root]).isEqualTo(ObjectDag.VIRTUAL_ROOT_MODULE);
    assertThat(dag.children[root]).hasSize(2); // cat and dog; eye is cat's input
    // strict mode refuses the same objects
    assertReason(() -> ObjectDag.of(List.of(obj("cat", "cat", x, "gone")), "cat"), Reason.MISSING_INPUT);
    // a named root that is absent is an error even in partial mode; cycles still throw
    assertReason(() -> ObjectDag.partial(List.of(obj("a", "m", x)), "b"), Reason.UNKNOWN_ROOT);
    assertReason(
        () -> ObjectDag.partial(List.of(obj("a", "m", x, "b"), obj("b", "m", x, "a")), null), Reason.CYCLE);
  }

  @Test
  void handlesDeepChainsWithoutRecursion() {
    final ArrayList<SketchObject> chain = new ArrayList<>();
    final int n = 50_000;
    for (int i = 0; i < n; i++) {
      chain.add(i + 1 < n ? obj("o" + i, "m", new float[0], "o" + (i + 1)) : obj("o" + i, "m", new float[0]));
    }
    final ObjectDag dag = ObjectDag.of(chain, "o0");
    assertThat(dag.size()).isEqualTo(n);
    final Sketch s = new RecursiveSketcher(SketchSpec.defaults().withD(64)).sketch(dag);
    assertThat(s.norm()).isFinite().isPositive();
  }

  private static void assertReason(final Runnable r, final Reason reason) {
    assertThatThrownBy(r::run)
        .isInstanceOfSatisfying(SketchException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
