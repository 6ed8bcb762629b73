package dev.rsk.sketch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ObjectDag's module-level shape: root module, counted edges, depths; expected values by hand. */
class ObjectDagShapeTest {

  @Test
  void smallDagEdgesAreCountedPerModuleSlotAndInputWithPositionalSlotsForUnnamedOnes() {
    final ObjectDag dag = ObjectDag.of(TestDags.smallDag(), "scene");

    assertThat(dag.rootModule()).isEqualTo("scene");
    // cat and dog both feed eye1 on slot 0 of an animal: two object edges of one kind
    assertThat(dag.edges()).containsExactly(
        new ModuleEdge("animal", "0", "eye", 2),
        new ModuleEdge("animal", "1", "eye", 1),
        new ModuleEdge("animal", "tail", "tail", 1),
        new ModuleEdge("scene", "2", "lamp", 1),
        new ModuleEdge("scene", "left", "animal", 1),
        new ModuleEdge("scene", "right", "animal", 1));
  }

  @Test
  void smallDagDepthsCountEachObjectOnceAtEachDistinctDepth() {
    final Map<String, int[]> depths = ObjectDag.of(TestDags.smallDag(), "scene").moduleDepths();

    assertThat(depths.keySet()).containsExactly("animal", "eye", "lamp", "scene", "tail");
    assertThat(depths.get("scene")).containsExactly(1);
    assertThat(depths.get("animal")).containsExactly(0, 2);
    assertThat(depths.get("lamp")).containsExactly(0, 1);
    // eye1 is reached through cat and through dog, both at depth 2: counted once there
    assertThat(depths.get("eye")).containsExactly(0, 0, 2);
    assertThat(depths.get("tail")).containsExactly(0, 0, 1);
  }

  @Test
  void anInputSharedAcrossLevelsOccursAtBothDepths() {
    final ObjectDag dag = ObjectDag.of(List.of(
        new SketchObject("r", "A", new float[0], List.of(
            new SketchInput("b", "x", 1f), new SketchInput("c", "y", 1f))),
        new SketchObject("b", "B", new float[0], List.of(new SketchInput("c", "z", 1f))),
        SketchObject.leaf("c", "C")), "r");

    assertThat(dag.moduleDepths().get("C")).containsExactly(0, 1, 1);
    assertThat(dag.moduleDepths().get("B")).containsExactly(0, 1);
    assertThat(dag.edges()).containsExactly(
        new ModuleEdge("A", "x", "B", 1), new ModuleEdge("A", "y", "C", 1), new ModuleEdge("B", "z", "C", 1));
  }

  @Test
  void aVirtualRootIsPartOfTheShapeAsSketched() {
    final ObjectDag dag = ObjectDag.partial(List.of(SketchObject.leaf("p", "person"),
        SketchObject.leaf("q", "person"), SketchObject.leaf("b", "bicycle")), null);

    assertThat(dag.rootModule()).isEqualTo(ObjectDag.VIRTUAL_ROOT_MODULE);
    assertThat(dag.edges()).containsExactly(
        new ModuleEdge(ObjectDag.VIRTUAL_ROOT_MODULE, ObjectDag.VIRTUAL_ROOT_SLOT, "bicycle", 1),
        new ModuleEdge(ObjectDag.VIRTUAL_ROOT_MODULE, ObjectDag.VIRTUAL_ROOT_SLOT, "person", 2));
    assertThat(dag.moduleDepths().get("person")).containsExactly(0, 2);
  }
}
