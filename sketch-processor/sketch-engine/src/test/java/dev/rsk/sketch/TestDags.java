package dev.rsk.sketch;

import java.util.List;

/** DAGs shared by the engine's tests and the evaluation's (through the engine's test-jar). */
public final class TestDags {
  private TestDags() {}

  /** A scene with a cat (two eyes, a tail), a dog sharing the cat's first eye, and a zero-weight lamp. */
  public static List<SketchObject> smallDag() {
    return List.of(
        new SketchObject("scene", "scene", new float[] {0.5f, -1f}, List.of(
            new SketchInput("cat", "left", 1f), new SketchInput("dog", "right", 0.5f),
            new SketchInput("lamp", null, 0f))),
        new SketchObject("cat", "animal", new float[] {1f, 2f, 3f}, List.of(
            new SketchInput("eye1", null, 1f), new SketchInput("eye2", null, 0.8f),
            new SketchInput("tail", "tail", 1.5f))),
        new SketchObject("dog", "animal", new float[] {-1f, 0f, 4f}, List.of(
            new SketchInput("eye1", "0", 1f))),
        SketchObject.leaf("eye1", "eye", 0.25f),
        SketchObject.leaf("eye2", "eye", -0.75f),
        SketchObject.leaf("tail", "tail", 0.1f, 0.2f, 0.3f, 0.4f, 0.5f),
        SketchObject.leaf("lamp", "lamp"));
  }
}
