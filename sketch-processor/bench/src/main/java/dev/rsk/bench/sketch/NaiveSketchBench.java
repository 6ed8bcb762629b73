package dev.rsk.bench.sketch;

import dev.rsk.sketch.SketchObject;
import dev.rsk.sketch.SketchSpec;
import java.util.List;
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
 * The same sketches with dense matrices ({@link NaiveDenseSketcher}), objects/s, beside {@link
 * SketchBench}. d = 4096 is left out: its 16 modules x 4 slots of dense R would need 4 GiB.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
public class NaiveSketchBench {
  @Param({"256", "1024"})
  public int d;

  @Param({"4", "16", "64"})
  public int k;

  private NaiveDenseSketcher naive;
  private List<SketchObject> objects;

  @Setup
  public void setup() {
    naive = new NaiveDenseSketcher(SketchSpec.defaults().withD(d));
    objects = BenchDags.tree(k, 1);
    naive.sketch(objects, "r"); // materialise the dense matrices
  }

  @Benchmark
  @OperationsPerInvocation(BenchDags.OBJECTS)
  public float[] naiveDense() {
    return naive.sketch(objects, "r");
  }
}
