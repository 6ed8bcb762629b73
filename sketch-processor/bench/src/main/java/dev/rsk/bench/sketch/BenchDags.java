package dev.rsk.bench.sketch;

import dev.rsk.sketch.SketchInput;
import dev.rsk.sketch.SketchObject;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** The DAG the benchmarks sketch: a complete 4-ary tree of depth 3 (85 objects, 16 modules). */
final class BenchDags {
  /** Objects in {@link #tree}. */
  static final int OBJECTS = 85;

  private BenchDags() {}

  /** Every module has {@code k} attributes; modules are {@code L<depth>.<i>} with i in 0..3. */
  static List<SketchObject> tree(final int k, final long seed) {
    final SplittableRandom rnd = new SplittableRandom(seed);
    final List<SketchObject> out = new ArrayList<>();
    build(out, rnd, k, 0, 0, "r");
    return out;
  }

  private static String build(
      final List<SketchObject> out, final SplittableRandom rnd, final int k, final int depth, final int index,
      final String id) {
    final List<SketchInput> inputs = new ArrayList<>();
    if (depth < 3) {
      for (int j = 0; j < 4; j++) {
        inputs.add(new SketchInput(build(out, rnd, k, depth + 1, j, id + j), null, 1f));
      }
    }
    final float[] x = new float[k];
    for (int i = 0; i < k; i++) {
      x[i] = (float) (2 * rnd.nextDouble() - 1);
    }
    out.add(new SketchObject(id, "L" + depth + "." + index, x, inputs));
    return id;
  }
}
