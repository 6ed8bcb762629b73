package dev.rsk.bench.sketch;

import dev.rsk.sketch.ObjectDag;
import dev.rsk.sketch.PresenceIndex;
import dev.rsk.sketch.RecursiveSketcher;
import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchDecoder;
import dev.rsk.sketch.SketchSpec;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The JMH figures are wall-clock; on a shared, oversubscribed machine they undercount what one core
 * does. This measures the same work per second of this thread's CPU time (ThreadMXBean), after a
 * warm-up: objects sketched per CPU-second for d x k, unroll at d = 4096 (signed permutation vs
 * dense matrix) and presence of 1,000 modules at d = 1024. Run: {@code java -cp
 * query-api/target/rsk.jar dev.rsk.bench.sketch.CpuTimeThroughput}.
 */
public final class CpuTimeThroughput {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private CpuTimeThroughput() {}

  /** CPU nanoseconds per call of {@code work}, measured over at least {@code cpuMillis}. */
  static double cpuNanosPerCall(final Runnable work, final long cpuMillis) {
    for (int i = 0; i < 200; i++) {
      work.run();
    }
    final long start = THREADS.getCurrentThreadCpuTime();
    long calls = 0;
    long now;
    do {
      for (int i = 0; i < 20; i++) {
        work.run();
      }
      calls += 20;
      now = THREADS.getCurrentThreadCpuTime();
    } while (now - start < cpuMillis * 1_000_000L);
    return (double) (now - start) / calls;
  }

  public static void run(final PrintStream out) {
    out.println("objects per CPU-second (85-object tree, one thread):");
    out.printf(Locale.ROOT, "%8s %6s %16s%n", "d", "k", "objects/cpu-s");
    final Object[] sink = new Object[1];
    for (final int d : new int[] {256, 1024, 4096}) {
      for (final int k : new int[] {4, 16, 64}) {
        final RecursiveSketcher sketcher = new RecursiveSketcher(SketchSpec.defaults().withD(d));
        final ObjectDag dag = ObjectDag.of(BenchDags.tree(k, 1), "r");
        final double ns = cpuNanosPerCall(() -> sink[0] = sketcher.sketch(dag), 1500);
        out.printf(Locale.ROOT, "%8d %6d %16.0f%n", d, k, BenchDags.OBJECTS * 1e9 / ns);
      }
    }
    final SketchSpec s4096 = SketchSpec.defaults().withD(4096);
    final SketchDecoder dec4096 = new SketchDecoder(s4096);
    final Sketch sk4096 = new RecursiveSketcher(s4096).sketch(ObjectDag.of(BenchDags.tree(16, 1), "r"));
    final float[] r = new NaiveDenseSketcher(s4096).rotation("L0.0", "0");
    final float[] out4096 = new float[4096];
    final double perm = cpuNanosPerCall(() -> sink[0] = dec4096.unroll(sk4096, "L0.0", "0"), 1000);
    final double dense =
        cpuNanosPerCall(() -> NaiveDenseSketcher.multiply(r, 4096, 4096, sk4096.vector(), out4096), 3000);
    out.printf(Locale.ROOT, "unroll d=4096: signed permutation %.1f us, dense matrix %.1f us per CPU: %.0fx%n",
        perm / 1e3, dense / 1e3, dense / perm);
    final SketchSpec s1024 = SketchSpec.defaults();
    final Sketch sk1024 = new RecursiveSketcher(s1024).sketch(ObjectDag.of(BenchDags.tree(16, 1), "r"));
    final List<String> modules = new ArrayList<>();
    for (int i = 0; i < DecodeBench.MODULES; i++) {
      modules.add("module-" + i);
    }
    final PresenceIndex index = new PresenceIndex(s1024, modules);
    final SketchDecoder dec1024 = new SketchDecoder(s1024);
    final double idx = cpuNanosPerCall(() -> sink[0] = index.presence(sk1024), 1000);
    final double oneByOne = cpuNanosPerCall(() -> {
      double s = 0;
      for (final String m : modules) {
        s += dec1024.presence(sk1024, m);
      }
      sink[0] = s;
    }, 1000);
    out.printf(Locale.ROOT, "presence of 1,000 modules, d=1024: PresenceIndex %.0f us, one by one %.0f us (CPU time)%n",
        idx / 1e3, oneByOne / 1e3);
  }

  public static void main(final String[] args) {
    run(System.out);
  }
}
