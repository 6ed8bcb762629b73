package dev.rsk.bench.sketch;

import dev.rsk.bench.eval.JointChecks;
import dev.rsk.bench.eval.SyntheticNetworks;
import dev.rsk.bench.eval.SyntheticNetworks.Network;
import dev.rsk.sketch.DecodedInference;
import dev.rsk.sketch.DecoderCache;
import dev.rsk.sketch.JointDecoder;
import dev.rsk.sketch.RecursiveSketcher;
import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchDecoder;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.sketch.Sketches;
import dev.rsk.sketch.StructureCatalogue;
import java.util.Map;
import java.util.SplittableRandom;
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

/**
 * Decoding one d = 1024 sketch with the network's structure, average time per sketch. Target: the
 * joint decode at most 1 ms. Contenders in the same run: the street camera (251 columns, joint), a
 * random 30-module network of depth 3 (joint), a quarter prefix of the street sketch (sparse fit),
 * and the older {@code SketchDecoder#jointReadouts} (fit grown per sketch) that the joint decoder
 * replaces.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class JointDecodeBench {
  private JointDecoder street;
  private JointDecoder network;
  private Sketch streetSketch;
  private Sketch streetQuarter;
  private Sketch networkSketch;
  private SketchDecoder plain;
  private StructureCatalogue streetCatalogue;

  @Setup
  public void setup() {
    final SketchSpec spec = SketchSpec.defaults();
    final DecoderCache cache = new DecoderCache();
    final RecursiveSketcher sketcher = new RecursiveSketcher(spec);
    final SplittableRandom rnd = new SplittableRandom(42);
    final Network s = SyntheticNetworks.street();
    streetCatalogue = SyntheticNetworks.learn(s, rnd, JointChecks.LEARN_FROM);
    street = cache.forStructure(spec, streetCatalogue);
    streetSketch = sketcher.sketch(SyntheticNetworks.inference(s, rnd, false).dag());
    streetQuarter = Sketches.truncate(streetSketch, 0.25);
    final Network n = JointChecks.networks(11).get(1);
    network = cache.forStructure(spec, SyntheticNetworks.learn(n, rnd, JointChecks.LEARN_FROM));
    networkSketch = sketcher.sketch(SyntheticNetworks.inference(n, rnd, false).dag());
    plain = cache.forSpec(spec);
    // factor once per structure and row count, outside the measurement
    street.decode(streetSketch);
    street.decode(streetQuarter);
    network.decode(networkSketch);
  }

  /** Street camera, joint fit over 251 columns (factor cached). */
  @Benchmark
  public DecodedInference jointDecodeStreet() {
    return street.decode(streetSketch);
  }

  /** A 30-module network of depth 3, joint fit. */
  @Benchmark
  public DecodedInference jointDecodeNetwork() {
    return network.decode(networkSketch);
  }

  /** The street sketch truncated to 256 coordinates: more columns than rows, sparse fit. */
  @Benchmark
  public DecodedInference sparseDecodeStreetQuarter() {
    return street.decode(streetQuarter);
  }

  /** The fit the joint decoder replaces: blocks found and fitted per sketch. */
  @Benchmark
  public Map<String, double[]> oldJointReadoutsStreet() {
    return plain.jointReadouts(streetSketch, streetCatalogue);
  }

  /**
   * The same contenders per second of this thread's CPU time (the per-core figure; JMH's wall clock
   * undercounts on a loaded machine): {@code java -cp sketch-processor/bench/target/rsk-bench.jar
   * dev.rsk.bench.sketch.JointDecodeBench}.
   */
  public static void main(final String[] args) {
    final JointDecodeBench b = new JointDecodeBench();
    b.setup();
    final Object[] sink = new Object[1];
    System.out.printf(java.util.Locale.ROOT, "CPU time per decode, d = 1024: street joint %.0f us, network joint"
        + " %.0f us, street quarter prefix sparse %.0f us, old jointReadouts %.0f us%n",
        CpuTimeThroughput.cpuNanosPerCall(() -> sink[0] = b.jointDecodeStreet(), 2000) / 1e3,
        CpuTimeThroughput.cpuNanosPerCall(() -> sink[0] = b.jointDecodeNetwork(), 2000) / 1e3,
        CpuTimeThroughput.cpuNanosPerCall(() -> sink[0] = b.sparseDecodeStreetQuarter(), 2000) / 1e3,
        CpuTimeThroughput.cpuNanosPerCall(() -> sink[0] = b.oldJointReadoutsStreet(), 4000) / 1e3);
  }
}
