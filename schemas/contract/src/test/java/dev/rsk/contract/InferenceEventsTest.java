package dev.rsk.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rsk.avro.ModuleActivation;
import dev.rsk.avro.ModuleInput;
import dev.rsk.sketch.SketchInput;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One inference's events: the records built, and every invalid inference refused before sending. */
class InferenceEventsTest {

  private static final Instant T = Instant.parse("2026-02-03T04:05:06.789Z");

  @Test
  void buildsOneRecordPerObjectRootLastWithInputsSlotsAndWeights() {
    final float[] catAttributes = {0.5f, -1.25f};
    final List<ModuleActivation> events = new InferenceEvents("inf-1").eventTime(T).source("cam")
        .add("scene", "scene", new float[] {1f}, SketchInput.of("cat", null))
        .add("eye", "eye", new float[] {})
        .add("cat", "cat_detector", catAttributes, new SketchInput("eye", "left", 0.75f))
        .root("scene").build();
    catAttributes[0] = 99f; // the builder copied the array

    assertThat(events).extracting(ModuleActivation::getObjectId).containsExactly("eye", "cat", "scene");
    assertThat(events).extracting(ModuleActivation::getRoot).containsExactly(false, false, true);
    assertThat(events).allSatisfy(e -> {
      assertThat(e.getInferenceId()).isEqualTo("inf-1");
      assertThat(e.getEventTime()).isEqualTo(T);
      assertThat(e.getSource()).isEqualTo("cam");
    });
    final ModuleActivation cat = events.get(1);
    assertThat(cat.getModule()).isEqualTo("cat_detector");
    assertThat(cat.getAttributes()).containsExactly(0.5f, -1.25f);
    assertThat(cat.getInputs()).containsExactly(ModuleInput.newBuilder().setObjectId("eye").setSlot("left")
        .setWeight(0.75f).build());
    final ModuleInput sceneInput = events.get(2).getInputs().get(0);
    assertThat(sceneInput.getSlot()).isNull();
    assertThat(sceneInput.getWeight()).isEqualTo(1f);
  }

  @Test
  void refusesNonFiniteAttributesWhenAdded() {
    final InferenceEvents inference = new InferenceEvents("inf-nan");
    assertThatThrownBy(() -> inference.add("o", "m", new float[] {0f, Float.NaN}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inf-nan")
        .hasMessageContaining("attribute 1");
  }

  @Test
  void refusesAnInputThatIsNotAnObjectOfTheInference() {
    final InferenceEvents inference = new InferenceEvents("inf-x").add("a", "m", new float[] {1f},
        SketchInput.of("ghost", null)).root("a");
    assertThatThrownBy(inference::build).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("inf-x").hasMessageContaining("ghost");
  }

  @Test
  void refusesAnInferenceWithoutRoot() {
    final InferenceEvents inference = new InferenceEvents("inf-r").add("a", "m", new float[] {1f});
    assertThatThrownBy(inference::build).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no root");
  }

  @Test
  void refusesARootThatIsNotAnObject() {
    final InferenceEvents inference = new InferenceEvents("inf-r2").add("a", "m", new float[] {1f}).root("b");
    assertThatThrownBy(inference::build).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("b");
  }

  @Test
  void refusesCyclesDuplicatesLengthMismatchesAndNegativeWeights() {
    assertThatThrownBy(() -> new InferenceEvents("c").add("a", "m", new float[] {1f}, SketchInput.of("b", null))
        .add("b", "m", new float[] {1f}, SketchInput.of("a", null)).root("a").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cycle");
    assertThatThrownBy(() -> new InferenceEvents("d").add("a", "m", new float[] {1f}).add("a", "m", new float[] {1f}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
    assertThatThrownBy(() -> new InferenceEvents("l").add("a", "m", new float[] {1f}, SketchInput.of("b", null))
        .add("b", "m", new float[] {1f, 2f}).root("a").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("module m");
    assertThatThrownBy(() -> new InferenceEvents("w").add("a", "m", new float[] {1f},
        new SketchInput("b", null, -1f))).hasMessageContaining("weight");
    assertThatThrownBy(() -> new InferenceEvents("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new InferenceEvents("s").add("", "m", new float[] {1f}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new InferenceEvents("s").add("a", "", new float[] {1f}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("module");
  }

  @Test
  void refusesASecondRoot() {
    assertThatThrownBy(() -> new InferenceEvents("two").root("a").root("b"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already has root a");
  }
}
