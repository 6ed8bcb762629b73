package dev.rsk.bench.sketch;

import dev.rsk.sketch.ObjectDag;
import dev.rsk.sketch.PresenceIndex;
import dev.rsk.sketch.RecursiveSketcher;
import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchDecoder;
import dev.rsk.sketch.SketchSpec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decoding costs, average time per operation. Targets: unrolling at d = 4096 at least 20 times
 * faster than a dense orthogonal matrix; presence of 1,000 modules in one d = 1024 sketch under 1 ms.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class DecodeBench {
  /** Modules tested by {@link #presence1000Modules}. */
  public static final int MODULES = 1000;

  private SketchDecoder decoder4096;
  private Sketch sketch4096;
  private float[] denseR4096;
  private final float[] out4096 = new float[4096];

  private SketchDecoder decoder1024;
  private Sketch sketch1024;
  private String[] modules;
  private PresenceIndex index;

  @Setup
  public void setup() {
    final SketchSpec s4096 = SketchSpec.defaults().withD(4096);
    decoder4096 = new SketchDecoder(s4096);
    sketch4096 = new RecursiveSketcher(s4096).sketch(ObjectDag.of(BenchDags.tree(16, 1), "r"));
    final float[] r = new NaiveDenseSketcher(s4096).rotation("L0.0", "0");
    denseR4096 = new float[r.length]; // R^T, row-major, so that the product below is the unroll
    for (int i = 0; i < 4096; i++) {
      for (int j = 0; j < 4096; j++) {
        denseR4096[j * 4096 + i] = r[i * 4096 + j];
      }
    }
    decoder4096.unroll(sketch4096, "L0.0", "0");

    final SketchSpec s1024 = SketchSpec.defaults();
    decoder1024 = new SketchDecoder(s1024);
    sketch1024 = new RecursiveSketcher(s1024).sketch(ObjectDag.of(BenchDags.tree(16, 1), "r"));
    modules = new String[MODULES];
    for (int i = 0; i < MODULES; i++) {
      modules[i] = "module-" + i;
      decoder1024.presence(sketch1024, modules[i]); // warm the cache: 1,000 presence columns, 4 MB
    }
    index = new PresenceIndex(s1024, java.util.List.of(modules));
  }

  /** {@code R^T u} with the signed permutation, d = 4096. */
  @Benchmark
  public Sketch unrollSignedPermutation() {
    return decoder4096.unroll(sketch4096, "L0.0", "0");
  }

  /** The same {@code R^T u} as a dense 4096 x 4096 matrix-vector product. */
  @Benchmark
  public float[] unrollDenseMatrix() {
    NaiveDenseSketcher.multiply(denseR4096, 4096, 4096, sketch4096.vector(), out4096);
    return out4096;
  }

  /** Presence of 1,000 modules in one d = 1024 sketch, with a {@link PresenceIndex} of them. */
  @Benchmark
  public double[] presence1000Modules() {
    return index.presence(sketch1024);
  }

  /** The same, one {@link SketchDecoder#presence(Sketch, String)} call (a dot product) per module. */
  @Benchmark
  public void presence1000ModulesOneByOne(final Blackhole bh) {
    for (final String m : modules) {
      bh.consume(decoder1024.presence(sketch1024, m));
    }
  }
}
