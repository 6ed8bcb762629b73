package dev.rsk.sketch;

import dev.rsk.bench.eval.SketchEval;
import java.util.List;
import java.util.Locale;

/**
 * The pinned sketch: a fixed small DAG under the default spec. {@code main} prints the bits so that
 * another JVM can be compared with this one.
 */
final class GoldenSketch {
  private GoldenSketch() {}

  static Sketch sketch() {
    final List<SketchObject> dag = List.of(
        new SketchObject("scene", "scene", new float[] {0.25f, -0.5f, 1f}, List.of(
            new SketchInput("cat", null, 1f), new SketchInput("dog", "right", 0.75f))),
        new SketchObject("cat", "cat", new float[] {1f, 2f}, List.of(
            new SketchInput("eye", null, 1f), new SketchInput("tail", "tail", 0.5f))),
        new SketchObject("dog", "dog", new float[] {-1f, 0.125f}, List.of(new SketchInput("eye", null, 2f))),
        SketchObject.leaf("eye", "eye", 0.3f),
        SketchObject.leaf("tail", "tail"));
    return new RecursiveSketcher(SketchSpec.defaults()).sketch(ObjectDag.of(dag, "scene"));
  }

  /** First 8 coordinates as IEEE bit patterns, then the CRC32 of all of them. */
  static String fingerprint(final Sketch s) {
    final StringBuilder b = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      b.append(String.format(Locale.ROOT, "%08x ", Float.floatToRawIntBits(s.vector()[i])));
    }
    return b.append(String.format(Locale.ROOT, "crc=%08x", SketchEval.crc(s.vector()))).toString();
  }

  public static void main(final String[] args) {
    System.out.println(fingerprint(sketch()));
  }
}
