package dev.rsk.bench.eval;

import dev.rsk.bench.eval.SyntheticNetworks.Inference;
import dev.rsk.bench.eval.SyntheticNetworks.Network;
import dev.rsk.sketch.DecodedInference;
import dev.rsk.sketch.DecodedInference.Method;
import dev.rsk.sketch.DecodedInference.ModuleCount;
import dev.rsk.sketch.DecodedNode;
import dev.rsk.sketch.DecoderCache;
import dev.rsk.sketch.JointDecoder;
import dev.rsk.sketch.RecursiveSketcher;
import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.sketch.Sketches;
import dev.rsk.sketch.StructureCatalogue;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * The joint decoder's checks (recursive-sketch.md section 6), against the exact truth of {@link
 * SyntheticNetworks} inferences: decoded counts, structure, attributes and how honest their standard
 * errors are. The structure is learned from 300 other complete inferences of each network, as the
 * pipeline learns it. Pure functions of their arguments.
 */
public final class JointChecks {
  /** Complete inferences the structure is learned from. */
  public static final int LEARN_FROM = 300;

  private JointChecks() {}

  /** Accuracy figures over many inferences. */
  public record Accuracy(
      int inferences, double countRmse, double precision, double recall, int heavyPositions,
      double depth1Cosine, Map<Method, Integer> methods, double columns, double depth3Rmse, int depth3Counts) {}

  /** Calibration: the fraction of decoded values within two standard errors of the truth. */
  public record Calibration(int values, double within2Se, int counts, double countsWithin, int attributes,
      double attributesWithin, Map<Method, Integer> methods) {}

  /** The networks of the accuracy target: depth 2 and 3, fan-out 4 and 8, 30 modules each. */
  public static List<Network> networks(final long seed) {
    return List.of(SyntheticNetworks.random(seed, 2, 8), SyntheticNetworks.random(seed + 1, 3, 4),
        SyntheticNetworks.random(seed + 2, 3, 8), SyntheticNetworks.random(seed + 3, 3, 6));
  }

  /**
   * Decodes {@code perNetwork} inferences of each network (unit weights unless {@code weighted}) after
   * {@code storage} (identity, truncation, int8...). Count RMSE is over every (module, depth <= 2) the
   * structure allows, zeros included; precision is over reported nodes (a node is right when its
   * position holds objects); recall over positions whose effective weight (count times {@code
   * alpha^depth}) reaches {@code 2 tau}; the cosine is the mean over depth-1 nodes with {@code k >= 2}.
   */
  public static Accuracy accuracy(final SketchSpec spec, final List<Network> nets, final long seed,
      final int perNetwork, final boolean weighted, final UnaryOperator<Sketch> storage) {
    final RecursiveSketcher sketcher = new RecursiveSketcher(spec);
    final DecoderCache cache = new DecoderCache();
    final SplittableRandom rnd = new SplittableRandom(seed);
    double se2 = 0;
    long nCounts = 0;
    double se3 = 0;
    long n3 = 0;
    long reported = 0;
    long right = 0;
    long heavy = 0;
    long found = 0;
    double cos = 0;
    long nCos = 0;
    double columns = 0;
    final Map<Method, Integer> methods = new EnumMap<>(Method.class);
    for (final Network net : nets) {
      final JointDecoder dec = cache.forStructure(spec, SyntheticNetworks.learn(net, rnd, LEARN_FROM));
      for (int i = 0; i < perNetwork; i++) {
        final Inference inf = SyntheticNetworks.inference(net, rnd, weighted);
        final Sketch s = storage.apply(sketcher.sketch(inf.dag()));
        final DecodedInference r = dec.decode(s);
        methods.merge(r.method(), 1, Integer::sum);
        columns += r.columns();
        final Map<String, Double> trueCounts = groupCounts(inf);
        for (final ModuleCount c : r.modules()) {
          final double e = c.count() - trueCounts.getOrDefault(c.module() + "@" + c.depth(), 0.0);
          if (c.depth() >= 0 && c.depth() <= 2) {
            se2 += e * e;
            nCounts++;
          } else if (c.depth() == 3) {
            se3 += e * e;
            n3++;
          }
        }
        final Map<String, DecodedNode> nodes = new HashMap<>();
        r.roots().forEach(n -> collect(n, nodes));
        for (final Map.Entry<String, DecodedNode> n : nodes.entrySet()) {
          reported++;
          final double[] t = inf.truth().get(n.getKey());
          right += t != null ? 1 : 0;
          if (t != null && n.getValue().depth() == 1 && t.length >= 3) {
            cos += cosine(n.getValue().meanAttributes(), t);
            nCos++;
          }
        }
        final double tau = s.significanceThreshold();
        for (final Map.Entry<String, double[]> t : inf.truth().entrySet()) {
          final double eff = t.getValue()[0] * Math.pow(spec.alpha(), SyntheticNetworks.depth(t.getKey()));
          if (eff >= 2 * tau) {
            heavy++;
            found += nodes.containsKey(t.getKey()) ? 1 : 0;
          }
        }
      }
    }
    final int n = nets.size() * perNetwork;
    return new Accuracy(n, Math.sqrt(se2 / nCounts), (double) right / Math.max(1, reported),
        (double) found / Math.max(1, heavy), (int) heavy, cos / Math.max(1, nCos), methods, columns / n,
        Math.sqrt(se3 / Math.max(1, n3)), (int) n3);
  }

  /**
   * The fraction of decoded values within two standard errors of the truth: every (module, depth)
   * count the structure allows, every module's total over depths, and every mean attribute of a reported node that
   * holds objects.
   */
  public static Calibration calibration(final SketchSpec spec, final List<Network> nets, final long seed,
      final int perNetwork, final UnaryOperator<Sketch> storage) {
    return calibration(spec, nets, seed, perNetwork, storage, 1.0);
  }

  /** {@link #calibration} with every standard error multiplied by {@code seScale} (to show the check bites). */
  public static Calibration calibration(final SketchSpec spec, final List<Network> nets, final long seed,
      final int perNetwork, final UnaryOperator<Sketch> storage, final double seScale) {
    final RecursiveSketcher sketcher = new RecursiveSketcher(spec);
    final DecoderCache cache = new DecoderCache();
    final SplittableRandom rnd = new SplittableRandom(seed);
    long counts = 0;
    long countsIn = 0;
    long attrs = 0;
    long attrsIn = 0;
    final Map<Method, Integer> methods = new EnumMap<>(Method.class);
    for (final Network net : nets) {
      final JointDecoder dec = cache.forStructure(spec, SyntheticNetworks.learn(net, rnd, LEARN_FROM));
      for (int i = 0; i < perNetwork; i++) {
        final Inference inf = SyntheticNetworks.inference(net, rnd, true);
        final DecodedInference r = dec.decode(storage.apply(sketcher.sketch(inf.dag())));
        methods.merge(r.method(), 1, Integer::sum);
        final Map<String, Double> trueCounts = groupCounts(inf);
        for (final ModuleCount c : r.modules()) {
          counts++;
          final double truth = trueCounts.getOrDefault(c.module() + "@" + c.depth(), 0.0);
          countsIn += Math.abs(c.count() - truth) <= 2 * seScale * c.countStdError() ? 1 : 0;
        }
        for (final ModuleCount c : r.totals()) {
          counts++;
          final double truth = trueCounts.entrySet().stream().filter(e -> e.getKey().startsWith(c.module() + "@"))
              .mapToDouble(Map.Entry::getValue).sum();
          countsIn += Math.abs(c.count() - truth) <= 2 * seScale * c.countStdError() ? 1 : 0;
        }
        final Map<String, DecodedNode> nodes = new HashMap<>();
        r.roots().forEach(n -> collect(n, nodes));
        for (final Map.Entry<String, DecodedNode> n : nodes.entrySet()) {
          final double[] t = inf.truth().get(n.getKey());
          if (t == null) {
            continue;
          }
          final DecodedNode node = n.getValue();
          for (int j = 0; j < node.meanAttributes().length; j++) {
            attrs++;
            final double err = Math.abs(node.meanAttributes()[j] - t[j + 1] / t[0]);
            attrsIn += err <= 2 * seScale * node.meanAttributeStdErrors()[j] ? 1 : 0;
          }
        }
      }
    }
    return new Calibration((int) (counts + attrs), (double) (countsIn + attrsIn) / (counts + attrs),
        (int) counts, (double) countsIn / counts, (int) attrs, (double) attrsIn / Math.max(1, attrs), methods);
  }

  /** Counts read from a sum of sketches against the truth: worst relative error over (module, depth <= 2). */
  public record SumCount(int sketches, double worstRelativeError, String worst, Method method, double wheels,
      double wheelsStdError, double trueWheels) {}

  /**
   * Sums the sketches of {@code days} days of {@code perDay} street-camera scenes (int8-stored, as the
   * repository keeps them, when {@code int8}) and decodes the sum once: the count of every module at
   * every depth <= 2 against the exact total.
   */
  public static SumCount streetMonth(final SketchSpec spec, final long seed, final int days, final int perDay,
      final boolean int8) {
    final RecursiveSketcher sketcher = new RecursiveSketcher(spec);
    final SplittableRandom rnd = new SplittableRandom(seed);
    final Network net = SyntheticNetworks.street();
    final JointDecoder dec = new DecoderCache().forStructure(spec, SyntheticNetworks.learn(net, rnd, LEARN_FROM));
    final Map<String, Double> truth = new HashMap<>();
    Sketch sum = null;
    for (int i = 0; i < days * perDay; i++) {
      final Inference inf = SyntheticNetworks.inference(net, rnd, false);
      groupCounts(inf).forEach((k, v) -> truth.merge(k, v, Double::sum));
      Sketch s = sketcher.sketch(inf.dag());
      s = int8 ? Sketches.fromInt8(spec, Sketches.toInt8(s)) : s;
      sum = sum == null ? s : Sketches.sum(sum, s);
    }
    final DecodedInference r = dec.decode(sum);
    double worst = 0;
    String which = "";
    for (final Map.Entry<String, Double> t : truth.entrySet()) {
      final String[] md = t.getKey().split("@");
      final int depth = Integer.parseInt(md[1]);
      if (depth > 2) {
        continue;
      }
      final double got = r.count(md[0], depth).map(ModuleCount::count).orElse(0.0);
      final double rel = Math.abs(got - t.getValue()) / t.getValue();
      if (rel >= worst) {
        worst = rel;
        which = t.getKey();
      }
    }
    final ModuleCount wheels = r.count("wheel", 2).orElseThrow();
    return new SumCount(days * perDay, worst, which, r.method(), wheels.count(), wheels.countStdError(),
        truth.getOrDefault("wheel@2", 0.0));
  }

  /** A storage form: truncation to a fraction {@code q}, then int8 when asked. */
  public static UnaryOperator<Sketch> storage(final double q, final boolean int8) {
    return s -> {
      final Sketch t = Sketches.truncate(s, q);
      return int8 ? Sketches.fromInt8(t.spec(), Sketches.toInt8(t)) : t;
    };
  }

  /** True count per "module@depth". */
  static Map<String, Double> groupCounts(final Inference inf) {
    final Map<String, Double> out = new HashMap<>();
    inf.truth().forEach((k, v) -> out.merge(SyntheticNetworks.module(k) + "@" + SyntheticNetworks.depth(k), v[0],
        Double::sum));
    return out;
  }

  static void collect(final DecodedNode n, final Map<String, DecodedNode> out) {
    out.put(SyntheticNetworks.key(n.tagPath(), n.module()), n);
    n.children().forEach(c -> collect(c, out));
  }

  /** Cosine of decoded means and the true weighted mean ({@code t[1:] / t[0]}). */
  private static double cosine(final double[] x, final double[] t) {
    double ab = 0, aa = 0, bb = 0;
    for (int j = 0; j < x.length; j++) {
      final double y = t[j + 1] / t[0];
      ab += x[j] * y;
      aa += x[j] * x[j];
      bb += y * y;
    }
    return aa == 0 || bb == 0 ? 0 : ab / Math.sqrt(aa * bb);
  }
}
