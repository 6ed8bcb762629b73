package dev.rsk.bench.sketch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rsk.sketch.ObjectDag;
import dev.rsk.sketch.RecursiveSketcher;
import dev.rsk.sketch.SketchSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmarks compare like with like: the dense baseline computes the engine's sketch. */
class NaiveDenseSketcherTest {

  @Test
  void denseBaselineComputesTheSameSketchAsTheEngine() {
    final SketchSpec spec = SketchSpec.defaults().withD(64);
    final List<dev.rsk.sketch.SketchObject> tree = BenchDags.tree(5, 3);
    assertThat(tree).hasSize(BenchDags.OBJECTS);
    final float[] engine = new RecursiveSketcher(spec).sketch(ObjectDag.of(tree, "r")).vector();
    final float[] dense = new NaiveDenseSketcher(spec).sketch(tree, "r");
    for (int i = 0; i < spec.d(); i++) {
      assertThat(dense[i]).isCloseTo(engine[i], within(1e-4f));
    }
  }
}
