package dev.rsk.stats.query.lang;

import dev.rsk.sketch.DecoderCache;
import dev.rsk.sketch.Sketch;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The final answer of a memory query from the merged partial of every partition.
 *
 * <p>Accuracy. {@code matched} counts decisions; {@code matchedStdError} is the root mean square error of that
 * count, {@code sqrt(matchedVariance + matchedBias^2)} ({@link QueryPartial}): the spread of the decisions and
 * their expected one-way drift near the threshold ({@link Calibrations}), 0 when every term was exact. A {@code
 * mean} is exact when every matched inference carried its attribute sums and, for a path, its edges showed
 * which objects the path selects ({@link Evaluator#selected}); otherwise a path {@code mean}, and every {@code
 * mass}, are decoded once from the sum of the matched inferences'
 * sketches (sketches are linear): the sum's norm carries the correlation of similar scenes into the
 * error, as {@link Sketch#readoutStdError()} of the sum. A {@code mass} adds every final branch of the
 * path (unbiased; standard error {@code sqrt(branches)} times the sum's); a path {@code mean} is the ratio
 * of the significant branches' summed readouts, with the delta-method error {@code sigma_c sqrt(n (1 +
 * m^2)) / |sum r0|} widened to Fieller's interval near r0 = 0 ({@link #fieller}), {@code sigma_c =
 * readoutStdError / sqrt(2)}; null when no branch is significant or r0 is within 1.96 errors of 0.
 * Sums of different specs are decoded apart and added (independent noise, added in quadrature).
 *
 * <p>{@code undecided} counts the inferences whose expression rests on a comparison the record showed was
 * there but neither it nor the sketch could read: each was decided false with p = 0.5, and {@code
 * matchedStdError} does not cover these one-way errors, so the truth may lie up to {@code undecided} above
 * {@code matched} (or below it, under a {@code !}).
 */
public record QueryAnswer(long scanned, long inferences, long matched, double matchedStdError, boolean exact,
    long[] bucketInferences, long[] bucketMatched, long[] hourMatched, Map<String, Value> values, long undecided) {

  /**
   * One selected value.
   *
   * @param value null when there is nothing to average (no object, or none found in the sketches)
   */
  public record Value(Double value, double stdError, boolean exact) {}

  public static QueryAnswer of(final QueryPlan plan, final QueryPartial p, final DecoderCache decoders) {
    return of(plan, p, decoders, Slots.POSITIONAL);
  }

  /** With the slots a decoded path tries ({@link Slots}). */
  public static QueryAnswer of(final QueryPlan plan, final QueryPartial p, final DecoderCache decoders,
      final Slots slots) {
    final double se = Math.sqrt(p.matchedVariance() + p.matchedBias() * p.matchedBias());
    final boolean exact = p.matchedExact();
    final Map<String, Value> values = new LinkedHashMap<>();
    final PathDecoder paths = new PathDecoder(decoders, slots);
    for (int i = 0; i < plan.select().size(); i++) {
      final SelectItem item = plan.select().get(i);
      if (item instanceof SelectItem.Count) {
        values.put(item.text(), new Value((double) p.matched(), exact ? 0 : se, exact));
      } else if (item instanceof SelectItem.Fraction) {
        final double n = Math.max(1, p.inferences());
        values.put(item.text(), new Value(p.matched() / n, exact ? 0 : se / n, exact));
      } else if (item instanceof SelectItem.Mean m) {
        values.put(item.text(), p.exactComplete()[i] && (m.path().single() || p.exactPathMeans())
            ? exactMean(p, i) : decodedMean(p, m, paths));
      } else if (item instanceof SelectItem.Mass m) {
        values.put(item.text(), mass(p, m, paths));
      }
    }
    return new QueryAnswer(p.scanned(), p.inferences(), p.matched(), exact ? 0 : se, exact, p.bucketInferences(),
        p.bucketMatched(), p.hourMatched(), values, p.undecided());
  }

  private static Value exactMean(final QueryPartial p, final int i) {
    final long n = p.exactCounts()[i];
    return new Value(n == 0 ? null : p.exactSums()[i] / n, 0, true);
  }

  private static Value decodedMean(final QueryPartial p, final SelectItem.Mean m, final PathDecoder paths) {
    double r0 = 0;
    double ri = 0;
    double var = 0;
    for (final QueryPartial.SumPart part : p.sums()) {
      final Sketch sum = new Sketch(part.spec(), part.sum());
      final PathDecoder.Branches b = paths.decode(sum, m.path(), m.index());
      final double sc = b.sigma() / Math.sqrt(2.0);
      for (int j = 0; j < b.presence().length; j++) {
        if (b.presence()[j] >= b.tau()) {
          r0 += b.readouts()[j][0];
          ri += b.readouts()[j][m.index() + 1];
          var += sc * sc;
        }
      }
    }
    if (var == 0) {
      return new Value(null, 0, false);
    }
    return fieller(ri, r0, var);
  }

  /** The z of a two-sided 95% interval. */
  private static final double Z95 = 1.959964;

  /**
   * The ratio {@code ri / r0} of two readouts with independent errors of variance {@code var} each, with the
   * half-width of its 95% Fieller interval over 1.96 as the standard error. The delta method ({@code
   * sqrt(var (1 + m^2)) / |r0|}) is too small when {@code r0} is within a few errors of 0, which is where a
   * path found at the significance threshold sits (ErrorBarsTest: 14 of 17 within two errors); Fieller's
   * interval widens there, and is unbounded when {@code r0} is not 1.96 errors from 0: the mean is then
   * null (too noisy to say).
   */
  static Value fieller(final double ri, final double r0, final double var) {
    final double z2v = Z95 * Z95 * var;
    final double a = r0 * r0 - z2v;
    final double disc = ri * ri * r0 * r0 - a * (ri * ri - z2v);
    if (a <= 0 || disc < 0) {
      return new Value(null, 0, false);
    }
    final double halfWidth = Math.sqrt(disc) / a;
    return new Value(ri / r0, halfWidth / Z95, false);
  }

  private static Value mass(final QueryPartial p, final SelectItem.Mass m, final PathDecoder paths) {
    double mass = 0;
    double var = 0;
    for (final QueryPartial.SumPart part : p.sums()) {
      final PathDecoder.Branches b = paths.decode(new Sketch(part.spec(), part.sum()), m.path(), -1);
      for (final double y : b.presence()) {
        mass += y;
        var += b.sigma() * b.sigma();
      }
    }
    return new Value(mass, Math.sqrt(var), false);
  }
}
