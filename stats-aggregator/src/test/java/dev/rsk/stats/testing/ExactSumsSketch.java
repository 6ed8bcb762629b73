package dev.rsk.stats.testing;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.contract.NetworkStructure;
import dev.rsk.contract.SketchMapper;
import dev.rsk.sketch.SketchSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Sketch records of one module carrying exact attribute sums, for tests of the attribute statistics. */
public final class ExactSumsSketch {

  /** d = 64: the statistics read the sums, not the vector. */
  public static final SketchSpec SPEC = SketchSpec.of(64, 5L, 0.5, 0.5);

  private ExactSumsSketch() {}

  /**
   * A complete record {@code id} at {@code t} with {@code count} objects of {@code module}, whose attribute sums are
   * {@code sums} (k = their length; squares are the sums squared); its vector depends on id and time, so a
   * re-sketch differs from the first version.
   */
  public static InferenceSketch of(final String id, final long t, final String module, final int count,
      final double... sums) {
    final List<Float> v = new ArrayList<>();
    for (int i = 0; i < SPEC.d(); i++) {
      v.add((float) Math.sin(i + id.hashCode() + t));
    }
    final List<Double> s = new ArrayList<>();
    final List<Double> sq = new ArrayList<>();
    for (final double x : sums) {
      s.add(x);
      sq.add(x * x);
    }
    return InferenceSketch.newBuilder().setInferenceId(id).setSource("test").setEventTime(Instant.ofEpochMilli(t))
        .setSketchedAt(Instant.ofEpochMilli(t)).setParams(SketchMapper.params(SPEC)).setVector(v)
        .setObjectCount(count).setComplete(true).setMissingInputs(0)
        .setModuleCounts(Map.of(module, count)).setAttributeLengths(Map.of(module, sums.length))
        .setAttributeSums(Map.of(module, s)).setAttributeSquares(Map.of(module, sq))
        .setStructureVersion(NetworkStructure.NONE).setRootModule("").setEdges(List.of())
        .build();
  }
}
