package dev.rsk.bench.eval;

import dev.rsk.sketch.ObjectDag;
import dev.rsk.sketch.RecoveredNode;
import dev.rsk.sketch.RecursiveSketcher;
import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchDecoder;
import dev.rsk.sketch.SketchObject;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.sketch.Sketches;
import dev.rsk.sketch.StructureCatalogue;
import dev.rsk.sketch.TagStep;
import dev.rsk.bench.eval.SyntheticDags.Dag;
import dev.rsk.bench.eval.SyntheticDags.Placement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The acceptance checks of the design page, measured against the {@link ExactOracle} on seeded
 * {@link SyntheticDags}. Each method returns the measured figures; {@link SketchEval} and the tests
 * compare them with the targets. All pure functions of their arguments.
 */
public final class AccuracyChecks {
  /** Dimensions of the noise-law slope fit. */
  public static final int[] SLOPE_DIMENSIONS = {512, 2048, 8192};
  /** Truncation fractions of the erasure curve. */
  public static final double[] ERASURE_FRACTIONS = {1, 0.5, 0.25, 0.1};

  private AccuracyChecks() {}

  /** Sketch plus oracle of one generated DAG. */
  record Sample(Dag dag, Sketch sketch, ExactOracle oracle) {}

  static List<Sample> samples(final SketchSpec spec, final long dataSeed, final int n, final boolean weighted) {
    final RecursiveSketcher sketcher = new RecursiveSketcher(spec);
    final SplittableRandom rnd = new SplittableRandom(dataSeed);
    final List<Sample> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      final Dag dag = SyntheticDags.layered(rnd, "", weighted);
      out.add(new Sample(dag, sketcher.sketch(ObjectDag.of(dag.objects(), dag.rootId())),
          ExactOracle.of(dag.objects(), dag.rootId(), spec.alpha(), spec.beta())));
    }
    return out;
  }

  // ---------------------------------------------------------------- 1. noise law

  /** Median of {@code ||readout - v(root path, M)|| / (||s|| sqrt((k + 1) / d))} over modules present. */
  public static double noiseLawRatio(final SketchSpec spec, final long dataSeed, final int dags) {
    return median(readoutErrors(spec, samples(spec, dataSeed, dags, true), 1.0, false));
  }

  /** Least-squares slope of log(median relative readout error) against log(d) over {@link #SLOPE_DIMENSIONS}. */
  public static double noiseLawSlope(final SketchSpec spec, final long dataSeed, final int dags) {
    final double[] x = new double[SLOPE_DIMENSIONS.length];
    final double[] y = new double[SLOPE_DIMENSIONS.length];
    for (int i = 0; i < x.length; i++) {
      final SketchSpec s = spec.withD(SLOPE_DIMENSIONS[i]);
      // absolute error over ||s|| sqrt(k+1): the law predicts d^-1/2
      final double[] rel = readoutErrors(s, samples(s, dataSeed, dags, true), 1.0, false);
      x[i] = Math.log(SLOPE_DIMENSIONS[i]);
      y[i] = Math.log(median(rel) / Math.sqrt(SLOPE_DIMENSIONS[i]));
    }
    return slope(x, y);
  }

  /**
   * Readout errors at the root path for each (sample, module present), divided by the law {@code
   * ||s|| sqrt((k + 1) / d)} of the full sketch, after truncation to {@code q} (and int8 storage).
   */
  static double[] readoutErrors(
      final SketchSpec spec, final List<Sample> samples, final double q, final boolean int8) {
    final SketchDecoder dec = new SketchDecoder(spec);
    final List<Double> out = new ArrayList<>();
    for (final Sample smp : samples) {
      Sketch s = Sketches.truncate(smp.sketch(), q);
      if (int8) {
        s = Sketches.fromInt8(spec, Sketches.toInt8(s));
      }
      final double norm = smp.sketch().norm();
      for (final Map.Entry<ExactOracle.Key, double[]> b : smp.oracle().blocks().entrySet()) {
        if (!b.getKey().path().isEmpty()) {
          continue;
        }
        final double[] v = b.getValue();
        final double[] r = dec.readout(s, b.getKey().module(), v.length - 1);
        out.add(distance(r, v) / (norm * Math.sqrt(v.length / (double) spec.d())));
      }
    }
    return toArray(out);
  }

  // ---------------------------------------------------------------- 2. unrolled readout

  /**
   * Median unrolled readout error over the law, for objects at depth 1, 2 and 3 (index 0..2),
   * unrolling along each object's tagged path and comparing with {@code v(path, M)}.
   */
  public static double[] unrolledRatios(final SketchSpec spec, final long dataSeed, final int dags) {
    final SketchDecoder dec = new SketchDecoder(spec);
    final List<List<Double>> byDepth = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (final Sample smp : samples(spec, dataSeed, dags, true)) {
      final double norm = smp.sketch().norm();
      for (final Placement p : smp.dag().placements()) {
        if (p.depth() < 1 || p.depth() > 3) {
          continue;
        }
        final double[] v = smp.oracle().v(p.path(), p.module());
        final double[] r = dec.readout(dec.unroll(smp.sketch(), p.path()), p.module(), v.length - 1);
        byDepth.get(p.depth() - 1).add(distance(r, v) / (norm * Math.sqrt(v.length / (double) spec.d())));
      }
    }
    final double[] out = new double[3];
    for (int i = 0; i < 3; i++) {
      out[i] = median(toArray(byDepth.get(i)));
    }
    return out;
  }

  /**
   * Median cosine between a single object's recovered attributes ({@code r[1:] / r[0]} after
   * unrolling along its path) and its true attributes, at depth 1, 2, 3 (index 0..2), unit weights.
   */
  public static double[] attributeRecovery(final SketchSpec spec, final long dataSeed, final int dags) {
    final SketchDecoder dec = new SketchDecoder(spec);
    final List<List<Double>> byDepth = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (final Sample smp : samples(spec, dataSeed, dags, false)) {
      for (final Placement p : smp.dag().placements()) {
        if (p.depth() < 1 || p.depth() > 3 || p.attributes().length < 2) {
          continue;
        }
        final double[] xhat = dec.attributesAt(smp.sketch(), p.path(), p.module(), p.attributes().length);
        byDepth.get(p.depth() - 1).add(cosine(xhat, p.attributes()));
      }
    }
    final double[] out = new double[3];
    for (int i = 0; i < 3; i++) {
      out[i] = median(toArray(byDepth.get(i)));
    }
    return out;
  }

  // ---------------------------------------------------------------- 3. counts and means

  /** Bias of presence and of the attribute readout, as t statistics over matrix seeds. */
  public record Bias(double presenceT, double presenceRelative, double attributeT, int seeds) {}

  /**
   * Unbiasedness over the randomness of the matrices: for each of {@code seeds} seeds, the mean error
   * of presence (and of the attribute coordinates of the readout) over {@code dags} DAGs and every
   * module present; then the t statistic of those per-seed means. Unbiased means {@code |t| < 3}.
   */
  public static Bias bias(final SketchSpec spec, final long dataSeed, final int seeds, final int dags) {
    final double[] presence = new double[seeds];
    final double[] attribute = new double[seeds];
    double truthSum = 0;
    long truthN = 0;
    for (int s = 0; s < seeds; s++) {
      final SketchSpec sp = spec.withSeed(spec.seed() + 1_000_003L * (s + 1));
      final SketchDecoder dec = new SketchDecoder(sp);
      double pe = 0;
      double ae = 0;
      long pn = 0;
      long an = 0;
      for (final Sample smp : samples(sp, dataSeed + s, dags, true)) {
        for (final Map.Entry<ExactOracle.Key, double[]> b : smp.oracle().blocks().entrySet()) {
          if (!b.getKey().path().isEmpty()) {
            continue;
          }
          final double[] v = b.getValue();
          final double[] r = dec.readout(smp.sketch(), b.getKey().module(), v.length - 1);
          pe += Math.sqrt(2) * (r[0] - v[0]);
          truthSum += Math.sqrt(2) * v[0];
          truthN++;
          pn++;
          for (int i = 1; i < v.length; i++) {
            ae += r[i] - v[i];
            an++;
          }
        }
      }
      presence[s] = pe / pn;
      attribute[s] = ae / an;
    }
    return new Bias(tStat(presence), mean(presence) / (truthSum / truthN), tStat(attribute), seeds);
  }

  /** Counting cats in a stream: estimated and true number of cats in the sum of the scene sketches. */
  public record StreamCount(
      int scenes, long trueCats, double estimatedCats, double jointEstimatedCats, double perSketchJointCats) {
    public double perSketchRelativeError() {
      return Math.abs(perSketchJointCats - trueCats) / trueCats;
    }

    public double relativeError() {
      return Math.abs(estimatedCats - trueCats) / trueCats;
    }

    public double jointRelativeError() {
      return Math.abs(jointEstimatedCats - trueCats) / trueCats;
    }
  }

  /**
   * Sums the sketches of {@code scenes} room scenes and estimates the number of cats as {@code
   * presence(sum, cat) / alpha} (cats sit one level under the root, unit weights), plainly and with
   * {@link SketchDecoder#jointPresence} over a catalogue learned from 200 other scenes.
   */
  public static StreamCount catStream(final SketchSpec spec, final long dataSeed, final int scenes) {
    final RecursiveSketcher sketcher = new RecursiveSketcher(spec);
    final SplittableRandom rnd = new SplittableRandom(dataSeed);
    final SketchDecoder dec = new SketchDecoder(spec);
    final StructureCatalogue.Builder b = new StructureCatalogue.Builder();
    final SplittableRandom past = new SplittableRandom(dataSeed ^ 0x5DEECE66DL);
    for (int i = 0; i < 200; i++) {
      final Dag dag = SyntheticDags.scene(past);
      b.add(ObjectDag.of(dag.objects(), dag.rootId()));
    }
    final StructureCatalogue catalogue = b.build();
    Sketch sum = null;
    long cats = 0;
    double perSketch = 0;
    for (int i = 0; i < scenes; i++) {
      final Dag dag = SyntheticDags.scene(rnd);
      cats += dag.count("cat");
      final Sketch s = sketcher.sketch(ObjectDag.of(dag.objects(), dag.rootId()));
      perSketch += dec.jointPresence(s, catalogue).get("cat") / spec.alpha();
      sum = sum == null ? s : Sketches.sum(sum, s);
    }
    final double joint = dec.jointPresence(sum, catalogue).get("cat") / spec.alpha();
    return new StreamCount(scenes, cats, dec.count(sum, "cat", 1), joint, perSketch);
  }

  /**
   * RMS error of {@code presence(s, M)} against the exact effective-weight mass, over every module
   * present in {@code dags} unit-weight layered sketches (about 16 objects each).
   */
  public static double presenceRmsError(final SketchSpec spec, final long dataSeed, final int dags) {
    final SketchDecoder dec = new SketchDecoder(spec);
    final List<Double> err = new ArrayList<>();
    for (final Sample smp : samples(spec, dataSeed, dags, false)) {
      for (final Map.Entry<ExactOracle.Key, double[]> b : smp.oracle().blocks().entrySet()) {
        if (b.getKey().path().isEmpty()) {
          err.add(dec.presence(smp.sketch(), b.getKey().module()) - Math.sqrt(2) * b.getValue()[0]);
        }
      }
    }
    return rms(toArray(err));
  }

  // ---------------------------------------------------------------- 4. erasure

  /**
   * {@code rms error(q) * sqrt(q) / rms error(1)} for each of {@link #ERASURE_FRACTIONS}: constant
   * (1.0) when errors grow as {@code 1/sqrt(q)}.
   */
  public static double[] erasureCurve(final SketchSpec spec, final long dataSeed, final int dags) {
    final List<Sample> samples = samples(spec, dataSeed, dags, true);
    final double[] out = new double[ERASURE_FRACTIONS.length];
    final double base = rms(readoutErrors(spec, samples, 1.0, false));
    for (int i = 0; i < out.length; i++) {
      final double q = ERASURE_FRACTIONS[i];
      out[i] = rms(readoutErrors(spec, samples, q, false)) * Math.sqrt(q) / base;
    }
    return out;
  }

  /** RMS readout error of the int8 form over that of float32 (1.0 = no accuracy cost). */
  public static double int8Cost(final SketchSpec spec, final long dataSeed, final int dags) {
    final List<Sample> samples = samples(spec, dataSeed, dags, true);
    return rms(readoutErrors(spec, samples, 1.0, true)) / rms(readoutErrors(spec, samples, 1.0, false));
  }

  // ---------------------------------------------------------------- 5. similarity

  /** Similarity figures, in units of {@code 1/sqrt(d)}. */
  public record Similarity(
      int pairs, double withinFraction, double maxDeviation, double medianDeviation,
      double independentBelowFraction, double independentMax) {}

  /**
   * {@code |cos(s, s') - cos(oracle, oracle')| * sqrt(d)} over {@code pairs} pairs of DAGs of one
   * vocabulary (half of them a DAG and a copy with perturbed attributes, half unrelated DAGs), and
   * {@code |cos| * sqrt(d)} for pairs from disjoint vocabularies (independent inputs).
   */
  public static Similarity similarity(final SketchSpec spec, final long dataSeed, final int pairs) {
    final RecursiveSketcher sketcher = new RecursiveSketcher(spec);
    final SplittableRandom rnd = new SplittableRandom(dataSeed);
    final double sqrtD = Math.sqrt(spec.d());
    final double[] dev = new double[pairs];
    final double[] indep = new double[pairs];
    for (int i = 0; i < pairs; i++) {
      final Dag a = SyntheticDags.layered(rnd, "", true);
      final Dag b = (i % 2 == 0) ? perturb(a, rnd, 0.3 + 0.7 * rnd.nextDouble()) : SyntheticDags.layered(rnd, "", true);
      final Sketch sa = sketcher.sketch(ObjectDag.of(a.objects(), a.rootId()));
      final Sketch sb = sketcher.sketch(ObjectDag.of(b.objects(), b.rootId()));
      final double oc = ExactOracle.of(a.objects(), a.rootId(), spec.alpha(), spec.beta())
          .cosine(ExactOracle.of(b.objects(), b.rootId(), spec.alpha(), spec.beta()));
      dev[i] = Math.abs(Sketches.cosine(sa, sb) - oc) * sqrtD;
      final Dag c = SyntheticDags.layered(rnd, "other.", true);
      indep[i] = Math.abs(Sketches.cosine(sa, sketcher.sketch(ObjectDag.of(c.objects(), c.rootId())))) * sqrtD;
    }
    return new Similarity(pairs, fractionAtMost(dev, 3), max(dev), median(dev), fractionAtMost(indep, 3), max(indep));
  }

  private static Dag perturb(final Dag dag, final SplittableRandom rnd, final double sigma) {
    final List<SketchObject> objects = new ArrayList<>();
    for (final SketchObject o : dag.objects()) {
      final float[] x = o.attributes().clone();
      for (int i = 0; i < x.length; i++) {
        x[i] += (float) (sigma * SyntheticDags.gaussian(rnd));
      }
      objects.add(new SketchObject(o.id(), o.module(), x, o.inputs()));
    }
    return new Dag(objects, dag.rootId(), dag.placements());
  }

  // ---------------------------------------------------------------- 6. structure recovery

  /** Structure recovery figures. */
  public record Structure(int sketches, int heavyObjects, double recall, double falsePositivesPerSketch,
      double meanNodes) {}

  /**
   * Recovers the structure of {@code dags} layered sketches. With {@code grammar}, the catalogue is
   * learned from 200 other DAGs of the vocabulary (roots, slots and input modules seen, as the
   * processor would); without, every module and positional slots {@code "0".."7"} are candidates.
   * Recall: objects whose exact mass under their tagged path is {@code >= 2 tau} that appear as a
   * recovered node at that path with their module. False positive: a recovered node whose exact mass
   * at its path is below {@code tau / 2}.
   */
  public static Structure structure(final SketchSpec spec, final long dataSeed, final int dags, final boolean grammar) {
    final SketchDecoder dec = new SketchDecoder(spec);
    final StructureCatalogue catalogue;
    if (grammar) {
      final StructureCatalogue.Builder b = new StructureCatalogue.Builder();
      final SplittableRandom rnd = new SplittableRandom(dataSeed ^ 0x5DEECE66DL);
      for (int i = 0; i < 200; i++) {
        final Dag dag = SyntheticDags.layered(rnd, "", true);
        b.add(ObjectDag.of(dag.objects(), dag.rootId()));
      }
      catalogue = b.build();
    } else {
      catalogue = StructureCatalogue.of(SyntheticDags.layeredCatalogue(""));
    }
    int heavy = 0;
    int found = 0;
    int falsePositives = 0;
    long nodes = 0;
    final List<Sample> samples = samples(spec, dataSeed, dags, true);
    for (final Sample smp : samples) {
      final double tau = dec.threshold(smp.sketch());
      final RecoveredNode root = dec.recoverStructure(smp.sketch(), catalogue);
      final Set<String> recovered = new HashSet<>();
      final List<RecoveredNode> all = new ArrayList<>();
      collect(root, all);
      nodes += all.size();
      for (final RecoveredNode n : all) {
        recovered.add(n.tagPath() + "|" + n.module());
        final List<TagStep> path = n.tagPath().stream().map(TagStep::parse).toList();
        if (smp.oracle().presence(path, n.module()) < tau / 2) {
          falsePositives++;
        }
      }
      for (final Placement p : smp.dag().placements()) {
        if (smp.oracle().presence(p.path(), p.module()) >= 2 * tau) {
          heavy++;
          final List<String> key = p.path().stream().map(TagStep::toString).toList();
          if (recovered.contains(key + "|" + p.module())) {
            found++;
          }
        }
      }
    }
    return new Structure(dags, heavy, heavy == 0 ? Double.NaN : (double) found / heavy,
        (double) falsePositives / dags, (double) nodes / dags);
  }

  private static void collect(final RecoveredNode n, final List<RecoveredNode> out) {
    out.add(n);
    n.childrenBySlot().values().forEach(l -> l.forEach(c -> collect(c, out)));
  }

  // ---------------------------------------------------------------- small statistics

  static double distance(final double[] a, final double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (a[i] - b[i]) * (a[i] - b[i]);
    }
    return Math.sqrt(s);
  }

  static double cosine(final double[] a, final float[] b) {
    double ab = 0, aa = 0, bb = 0;
    for (int i = 0; i < a.length; i++) {
      ab += a[i] * b[i];
      aa += a[i] * a[i];
      bb += (double) b[i] * b[i];
    }
    return aa == 0 || bb == 0 ? 0 : ab / Math.sqrt(aa * bb);
  }

  static double median(final double[] v) {
    final double[] s = v.clone();
    Arrays.sort(s);
    final int n = s.length;
    return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  static double rms(final double[] v) {
    double s = 0;
    for (final double x : v) {
      s += x * x;
    }
    return Math.sqrt(s / v.length);
  }

  static double mean(final double[] v) {
    double s = 0;
    for (final double x : v) {
      s += x;
    }
    return s / v.length;
  }

  static double tStat(final double[] v) {
    final double m = mean(v);
    double ss = 0;
    for (final double x : v) {
      ss += (x - m) * (x - m);
    }
    final double sd = Math.sqrt(ss / (v.length - 1));
    return m / (sd / Math.sqrt(v.length));
  }

  static double slope(final double[] x, final double[] y) {
    final double mx = mean(x);
    final double my = mean(y);
    double num = 0, den = 0;
    for (int i = 0; i < x.length; i++) {
      num += (x[i] - mx) * (y[i] - my);
      den += (x[i] - mx) * (x[i] - mx);
    }
    return num / den;
  }

  static double max(final double[] v) {
    double m = Double.NEGATIVE_INFINITY;
    for (final double x : v) {
      m = Math.max(m, x);
    }
    return m;
  }

  static double fractionAtMost(final double[] v, final double bound) {
    int n = 0;
    for (final double x : v) {
      n += x <= bound ? 1 : 0;
    }
    return (double) n / v.length;
  }

  private static double[] toArray(final List<Double> list) {
    final double[] a = new double[list.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = list.get(i);
    }
    return a;
  }
}
