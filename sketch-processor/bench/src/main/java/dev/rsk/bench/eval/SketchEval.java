package dev.rsk.bench.eval;

import dev.rsk.sketch.ObjectDag;
import dev.rsk.sketch.RecursiveSketcher;
import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchException;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.bench.eval.AccuracyChecks.Bias;
import dev.rsk.bench.eval.AccuracyChecks.Similarity;
import dev.rsk.bench.eval.AccuracyChecks.StreamCount;
import dev.rsk.bench.eval.AccuracyChecks.Structure;
import dev.rsk.bench.eval.SyntheticDags.Dag;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

/**
 * The accuracy table of {@code ./rsk sketch-eval}: every acceptance check of the design page,
 * measured on seeded synthetic DAGs against the exact oracle, for one {@code d} and seed (alpha =
 * beta = 1/2). Synthetic data always comes from {@link #DATA_SEED}, so a run is reproducible.
 */
public final class SketchEval {
  /** Seed of the synthetic DAGs (not of the sketch). */
  public static final long DATA_SEED = 20190609L;

  /** One row of the table. */
  public record Row(String check, String measured, String target, Boolean pass) {}

  private SketchEval() {}

  /** Prints the table for {@code d} and {@code seed}; returns 0 if every check passes, 1 otherwise. */
  public static int run(final PrintStream out, final int d, final long seed) {
    final SketchSpec spec;
    try {
      spec = SketchSpec.defaults().withD(d).withSeed(seed);
    } catch (final SketchException e) {
      out.println("sketch-eval: " + e.getMessage());
      return 2;
    }
    final long start = System.nanoTime();
    out.printf(Locale.ROOT, "Recursive sketch accuracy: d=%d seed=%d alpha=%.2f beta=%.2f scheme=%d%n",
        spec.d(), spec.seed(), spec.alpha(), spec.beta(), spec.schemeVersion());
    out.printf(Locale.ROOT, "Synthetic layered DAGs (about 16 objects, depth 3, data seed %d), exact oracle.%n%n",
        DATA_SEED);
    final List<Row> rows = evaluate(spec);
    print(out, rows);
    final long failed = rows.stream().filter(r -> Boolean.FALSE.equals(r.pass())).count();
    out.printf(Locale.ROOT, "%n%s (%d checks failed) in %.1f s%n", failed == 0 ? "PASS" : "FAIL", failed,
        (System.nanoTime() - start) / 1e9);
    return failed == 0 ? 0 : 1;
  }

  /** Computes every row; {@code pass == null} marks an informational row. */
  public static List<Row> evaluate(final SketchSpec spec) {
    final boolean timing = System.getenv("RSK_EVAL_TIMING") != null;
    final long t0 = System.nanoTime();
    final List<Row> rows = new ArrayList<>() {
      @Override
      public boolean add(final Row r) {
        if (timing) {
          System.err.printf(Locale.ROOT, "%6.2f s  %s%n", (System.nanoTime() - t0) / 1e9, r.check());
        }
        return super.add(r);
      }
    };
    final long seed = DATA_SEED;
    final double sqrtD = Math.sqrt(spec.d());

    final double law = AccuracyChecks.noiseLawRatio(spec, seed, 200);
    rows.add(new Row("1 noise law: median |readout - truth| / (||s|| sqrt((k+1)/d))",
        f(law), "[0.80, 1.20]", law >= 0.8 && law <= 1.2));
    final double slope = AccuracyChecks.noiseLawSlope(spec, seed, 60);
    rows.add(new Row("1 noise law: log-log slope vs d over {512, 2048, 8192}",
        f(slope), "-0.50 +- 0.05", Math.abs(slope + 0.5) <= 0.05));

    final double[] unrolled = AccuracyChecks.unrolledRatios(spec, seed, 200);
    for (int i = 0; i < 3; i++) {
      rows.add(new Row("2 unrolled readout error / law, depth " + (i + 1),
          f(unrolled[i]), "[0.70, 1.30]", unrolled[i] >= 0.7 && unrolled[i] <= 1.3));
    }

    final Bias bias = AccuracyChecks.bias(spec, seed, 16, 20);
    rows.add(new Row("3 presence bias over " + bias.seeds() + " matrix seeds: t statistic (relative bias "
        + f(100 * bias.presenceRelative()) + "%)", f(bias.presenceT()), "|t| < 3", Math.abs(bias.presenceT()) < 3));
    rows.add(new Row("3 attribute readout bias: t statistic", f(bias.attributeT()), "|t| < 3",
        Math.abs(bias.attributeT()) < 3));
    final StreamCount cats = AccuracyChecks.catStream(spec, seed, 100);
    rows.add(new Row("3 cats in a stream of 100 scenes, sum of per-sketch joint readouts: "
        + f(cats.perSketchJointCats()) + " of " + cats.trueCats(), f(100 * cats.perSketchRelativeError()) + "%",
        "<= 5%", cats.perSketchRelativeError() <= 0.05));
    rows.add(new Row("  same from the sum sketch, joint readout: " + f(cats.jointEstimatedCats()) + " of "
        + cats.trueCats(), f(100 * cats.jointRelativeError()) + "%", "", null));
    rows.add(new Row("  same with the plain presence readout: " + f(cats.estimatedCats()) + " of " + cats.trueCats(),
        f(100 * cats.relativeError()) + "%", "", null));
    final double presenceRms = AccuracyChecks.presenceRmsError(spec, seed, 200);
    rows.add(new Row("3 counting error per sketch, in depth-1 objects (RMS presence error / alpha)",
        f(presenceRms / spec.alpha()), "ref. 0.33 (d=1024), 0.19 (d=4096)", null));

    final double[] erasure = AccuracyChecks.erasureCurve(spec, seed, 100);
    for (int i = 1; i < erasure.length; i++) {
      final double q = AccuracyChecks.ERASURE_FRACTIONS[i];
      rows.add(new Row("4 erasure: rms error x sqrt(q) / error at q=1, q=" + q,
          f(erasure[i]), "[0.90, 1.10]", erasure[i] >= 0.9 && erasure[i] <= 1.1));
    }
    final double int8 = AccuracyChecks.int8Cost(spec, seed, 100);
    rows.add(new Row("4 int8 storage (d+5 bytes): rms readout error / float32's",
        String.format(Locale.ROOT, "%.4f", int8), "<= 1.05", int8 <= 1.05));

    final Similarity sim = AccuracyChecks.similarity(spec, seed, 200);
    rows.add(new Row("5 similarity: pairs with |cos(s,s') - cos(oracle)| <= 3/sqrt(d) (max "
        + f(sim.maxDeviation()) + "/sqrt(d), median " + f(sim.medianDeviation()) + ")",
        pct(sim.withinFraction()), ">= 98%", sim.withinFraction() >= 0.98));
    rows.add(new Row("5 similarity: independent inputs with |cos| <= 3/sqrt(d) (max "
        + f(sim.independentMax()) + "/sqrt(d))", pct(sim.independentBelowFraction()), ">= 98%",
        sim.independentBelowFraction() >= 0.98));

    final Structure st = AccuracyChecks.structure(spec, seed, 100, true);
    rows.add(new Row("6 structure recovery: recall of objects with mass >= 2 tau (" + st.heavyObjects()
        + " objects)", pct(st.recall()), ">= 95%", st.recall() >= 0.95));
    rows.add(new Row("6 structure recovery: false positives per sketch (nodes per sketch "
        + f(st.meanNodes()) + ")", f(st.falsePositivesPerSketch()), "<= 1", st.falsePositivesPerSketch() <= 1));
    final Structure blind = AccuracyChecks.structure(spec, seed, 100, false);
    rows.add(new Row("  same without a grammar (any root, slots 0-7, any module): recall, false positives/sketch",
        pct(blind.recall()) + ", " + f(blind.falsePositivesPerSketch()), "", null));

    final double[] attr = AccuracyChecks.attributeRecovery(spec, seed, 200);
    for (int i = 0; i < 3; i++) {
      rows.add(new Row("  attribute recovery of one object: median cosine(x_hat, x), depth " + (i + 1),
          f(attr[i]), i == 0 ? "ref. 0.94 (d=4096)" : i == 1 ? "ref. 0.5-0.6 (d=4096)" : "", null));
    }

    rows.addAll(JointEval.rows(spec));

    final long crc = determinismCrc(spec);
    final boolean same = crc == determinismCrc(spec);
    rows.add(new Row("7 determinism: CRC32 of a fixed DAG's sketch, twice with fresh sketchers",
        String.format(Locale.ROOT, "%08x", crc), "equal", same));
    rows.add(new Row("sketch cost of one ~16-object DAG: float32 bytes / int8 bytes",
        (4 * spec.d()) + " / " + (spec.d() + 5), "", null));
    return rows;
  }

  /** CRC32 of the bits of the sketch of the first synthetic DAG. */
  static long determinismCrc(final SketchSpec spec) {
    final Dag dag = SyntheticDags.layered(new SplittableRandom(DATA_SEED), "", true);
    final Sketch s = new RecursiveSketcher(spec).sketch(ObjectDag.of(dag.objects(), dag.rootId()));
    return crc(s.vector());
  }

  /** CRC32 of the IEEE bits of a vector, big-endian. */
  public static long crc(final float[] v) {
    final CRC32 crc = new CRC32();
    final ByteBuffer buf = ByteBuffer.allocate(4 * v.length);
    for (final float x : v) {
      buf.putInt(Float.floatToRawIntBits(x));
    }
    crc.update(buf.array());
    return crc.getValue();
  }

  private static void print(final PrintStream out, final List<Row> rows) {
    int w = 0;
    for (final Row r : rows) {
      w = Math.max(w, r.check().length());
    }
    final String fmt = "%-" + w + "s  %10s  %-34s %s%n";
    out.printf(Locale.ROOT, fmt, "check", "measured", "target", "");
    for (final Row r : rows) {
      out.printf(Locale.ROOT, fmt, r.check(), r.measured(), r.target(),
          r.pass() == null ? "info" : r.pass() ? "ok" : "FAIL");
    }
  }

  private static String f(final double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  private static String pct(final double v) {
    return String.format(Locale.ROOT, "%.1f%%", 100 * v);
  }

  /** {@code SketchEval [d] [seed]}. */
  public static void main(final String[] args) {
    final int d = args.length > 0 ? Integer.parseInt(args[0]) : SketchSpec.DEFAULT_D;
    final long seed = args.length > 1 ? Long.parseLong(args[1]) : SketchSpec.DEFAULT_SEED;
    final int rc = run(System.out, d, seed);
    if (rc != 0) {
      System.exit(rc);
    }
  }
}
