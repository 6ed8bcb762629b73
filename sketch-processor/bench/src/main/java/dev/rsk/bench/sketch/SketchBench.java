package dev.rsk.bench.sketch;

import dev.rsk.sketch.ObjectDag;
import dev.rsk.sketch.RecursiveSketcher;
import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchSpec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Objects sketched per second, one thread: the 85-object tree of {@link BenchDags} (16 modules, 84
 * input edges), every module with {@code k} attributes. Scores are objects/s (one operation = one
 * object). Target: at least 300,000 objects/s at d = 1024, k = 16.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class SketchBench {
  @Param({"256", "1024", "4096"})
  public int d;

  @Param({"4", "16", "64"})
  public int k;

  private RecursiveSketcher sketcher;
  private ObjectDag dag;

  @Setup
  public void setup() {
    sketcher = new RecursiveSketcher(SketchSpec.defaults().withD(d));
    dag = ObjectDag.of(BenchDags.tree(k, 1), "r");
    sketcher.sketch(dag); // fill the matrix cache
  }

  /** The engine: signed permutations, cached E columns, SIMD-friendly loops. */
  @Benchmark
  @OperationsPerInvocation(BenchDags.OBJECTS)
  public Sketch recursive() {
    return sketcher.sketch(dag);
  }
}
