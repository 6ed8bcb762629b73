package dev.rsk.bench.eval;

import dev.rsk.bench.eval.JointChecks.Accuracy;
import dev.rsk.bench.eval.JointChecks.Calibration;
import dev.rsk.bench.eval.JointChecks.SumCount;
import dev.rsk.bench.eval.SketchEval.Row;
import dev.rsk.bench.eval.SyntheticNetworks.Network;
import dev.rsk.sketch.SketchSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The joint decoder's rows of {@code ./rsk sketch-eval} (issue 11's targets): accuracy on random
 * 30-module networks and the street camera at the run's {@code d}, counts from a month of summed
 * street sketches, and the calibration of the standard errors where noise dominates, at fixed
 * dimensions (so the same regimes are checked whatever {@code --d}): int8 storage at d = 1024, a
 * 256-coordinate prefix of d = 1024 sketches, d = 256, and a 543-column structure at d = 512.
 */
final class JointEval {
  /** Data seed of these rows (distinct from the tests'). */
  static final long SEED = 20250101L;
  /** Calibration bounds: the fraction of values within two standard errors. */
  static final double CAL_MIN = 0.90;
  static final double CAL_MAX = 0.99;

  private JointEval() {}

  static List<Row> rows(final SketchSpec spec) {
    final List<Row> rows = new ArrayList<>();
    final List<Network> nets = JointChecks.networks(11);
    final Accuracy acc = JointChecks.accuracy(spec, nets, SEED, 40, false, s -> s);
    final String how = " (" + acc.inferences() + " inferences of 4 random 30-module networks, depth 2-3, fan-out 4-8,"
        + " shared children; " + acc.methods() + ")";
    rows.add(new Row("8 joint decode: count RMSE per (module, depth <= 2)" + how, f(acc.countRmse()), "<= 0.30",
        acc.countRmse() <= 0.3));
    rows.add(new Row("8 joint decode: structure precision (nodes reported that exist)", pct(acc.precision()), ">= 98%",
        acc.precision() >= 0.98));
    rows.add(new Row("8 joint decode: structure recall, positions with effective weight >= 2 tau ("
        + acc.heavyPositions() + ")", pct(acc.recall()), ">= 98%", acc.recall() >= 0.98));
    rows.add(new Row("8 joint decode: depth-1 attribute cosine, mean", f(acc.depth1Cosine()), ">= 0.98",
        acc.depth1Cosine() >= 0.98));
    rows.add(new Row("  joint decode: count RMSE at depth 3 (" + acc.depth3Counts() + " counts; no target: each level "
        + "multiplies the mass by alpha)", f(acc.depth3Rmse()), "", null));
    final Accuracy street = JointChecks.accuracy(spec, List.of(SyntheticNetworks.street()), SEED, 100, false, s -> s);
    rows.add(new Row("8 street camera: count RMSE per (module, depth <= 2), 100 scenes " + street.methods(),
        f(street.countRmse()), "<= 0.30", street.countRmse() <= 0.3));
    final SumCount month = JointChecks.streetMonth(spec, SEED, 30, 100, true);
    rows.add(new Row(String.format(Locale.ROOT, "8 street month: sum of %d int8 sketches, worst count error at depth"
        + " <= 2 (%s; wheels %.1f +- %.1f of %.0f)", month.sketches(), month.worst(), month.wheels(),
        month.wheelsStdError(), month.trueWheels()), pct(month.worstRelativeError()), "<= 3%",
        month.worstRelativeError() <= 0.03));
    final SketchSpec d1024 = SketchSpec.defaults().withSeed(spec.seed());
    final Network wide = nets.get(2);
    calibration(rows, "int8 storage, street camera, d = 1024",
        JointChecks.calibration(d1024, List.of(SyntheticNetworks.street()), SEED, 100, JointChecks.storage(1, true)));
    calibration(rows, "256-coordinate prefix of d = 1024, street camera",
        JointChecks.calibration(d1024, List.of(SyntheticNetworks.street()), SEED + 1, 100,
            JointChecks.storage(0.25, false)));
    calibration(rows, "d = 256, 4 random networks", JointChecks.calibration(d1024.withD(256), nets, SEED + 2, 25,
        JointChecks.storage(1, false)));
    // 300 inferences: the sparse fit reports few nodes here, and the attribute row needs a few hundred values
    calibration(rows, "d = 512, 543-column network, int8 half prefix", JointChecks.calibration(d1024.withD(512),
        List.of(wide), SEED + 3, 300, JointChecks.storage(0.5, true)));
    final Accuracy small = JointChecks.accuracy(d1024.withD(256), nets, SEED, 25, false, s -> s);
    rows.add(new Row("  d too small (d = 256, networks " + small.methods() + "): count RMSE, precision, recall, cosine",
        f(small.countRmse()) + ", " + pct(small.precision()) + ", " + pct(small.recall()) + ", "
            + f(small.depth1Cosine()), "", null));
    return rows;
  }

  /** Two rows: counts and attributes, each checked in [90%, 99%] on its own. */
  static void calibration(final List<Row> rows, final String regime, final Calibration c) {
    rows.add(new Row("9 calibration, " + regime + ": counts within 2 SE (" + c.counts() + " counts; " + c.methods()
        + ")", pct(c.countsWithin()), "[90%, 99%]", c.countsWithin() >= CAL_MIN && c.countsWithin() <= CAL_MAX));
    rows.add(new Row("9 calibration, " + regime + ": attributes within 2 SE (" + c.attributes() + " mean attributes of "
        + "reported nodes)", pct(c.attributesWithin()), "[90%, 99%]",
        c.attributesWithin() >= CAL_MIN && c.attributesWithin() <= CAL_MAX));
  }

  private static String f(final double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  private static String pct(final double v) {
    return String.format(Locale.ROOT, "%.1f%%", 100 * v);
  }
}
