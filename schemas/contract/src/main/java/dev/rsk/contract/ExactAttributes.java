package dev.rsk.contract;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.sketch.AttributeMoments;
import dev.rsk.sketch.ObjectDag;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fills the exact attribute sums that travel beside the sketch ({@code attributeSums},
 * {@code attributeSquares}) from the DAG's objects, the same objects {@code moduleCounts} counts.
 */
public final class ExactAttributes {

  private ExactAttributes() {}

  /** Sets both fields of {@code b} from {@link ObjectDag#attributeMoments()}; returns {@code b}. */
  public static InferenceSketch.Builder fill(final InferenceSketch.Builder b, final ObjectDag dag) {
    final Map<String, AttributeMoments> moments = dag.attributeMoments();
    final Map<String, List<Double>> sums = new HashMap<>(moments.size() * 2);
    final Map<String, List<Double>> squares = new HashMap<>(moments.size() * 2);
    moments.forEach((module, m) -> {
      sums.put(module, boxed(m.sums()));
      squares.put(module, boxed(m.squares()));
    });
    return b.setAttributeSums(sums).setAttributeSquares(squares);
  }

  private static List<Double> boxed(final double[] x) {
    return Arrays.stream(x).boxed().toList();
  }
}
