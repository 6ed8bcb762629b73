package dev.rsk.stats.query.lang;

import dev.rsk.sketch.SketchSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of a memory query's answer that some partitions give; partials of disjoint partitions add up
 * ({@link #merge}). Plain fields, so it travels as JSON between instances.
 *
 * @param scanned stored inferences read
 * @param inferences inferences in range
 * @param matched inferences where the expression was true
 * @param matchedVariance the spread of {@code matched}: sum over inferences of {@code p (1 - p)} for decisions
 *     calibrated by the scan ({@link Calibrations}), of the probability of being wrong for the others
 * @param matchedExact whether no decoded term decided any inference
 * @param bucketInferences per bucket, inferences in range
 * @param bucketMatched per bucket, matched
 * @param hourMatched per hour of the day in the query's zone, matched
 * @param exactSums per select item: the exact attribute sum of a one-module mean over matched inferences
 * @param exactCounts per select item: the objects of that module in the matched inferences
 * @param exactComplete per select item: whether every matched inference with the module carried its sums
 * @param sums the summed sketches of the matched inferences, one per spec and vector length (only when a
 *     select item may need decoding)
 * @param overBudget whether the scan stopped at the time budget (the partial is then incomplete)
 * @param exactPathMeans whether {@code exactSums}, {@code exactCounts} and {@code exactComplete} cover the
 *     means of paths too; absent (null, read as false) in the JSON of an older instance, which summed
 *     one-module means only, so that a rolling upgrade decodes path means rather than mix. Never null here.
 * @param undecided inferences in range whose expression rests on a term neither the record nor the sketch
 *     could read ({@link Truth#undecided()}); absent (null, read as 0) from an older instance
 * @param matchedBias the expected drift of {@code matched}, sum of {@code p - decision} over the calibrated
 *     decisions: it adds up across partitions, its square does not; absent (null, read as 0) from an instance
 *     older than session 32, which put its decisions' drift into {@code matchedVariance}
 */
public record QueryPartial(long scanned, long inferences, long matched, double matchedVariance,
    boolean matchedExact, long[] bucketInferences, long[] bucketMatched, long[] hourMatched, double[] exactSums,
    long[] exactCounts, boolean[] exactComplete, List<SumPart> sums, boolean overBudget, Boolean exactPathMeans,
    Long undecided, Double matchedBias) {

  public QueryPartial {
    exactPathMeans = Boolean.TRUE.equals(exactPathMeans);
    undecided = undecided == null ? 0L : undecided;
    matchedBias = matchedBias == null ? 0.0 : matchedBias;
  }

  /** The sum of the sketch vectors of {@code count} matched inferences made with one spec. */
  public record SumPart(int d, long seed, double alpha, double beta, int schemeVersion, long count, float[] sum) {

    public SketchSpec spec() {
      return new SketchSpec(d, seed, alpha, beta, schemeVersion);
    }

    static SumPart of(final SketchSpec s, final float[] sum, final long count) {
      return new SumPart(s.d(), s.seed(), s.alpha(), s.beta(), s.schemeVersion(), count, sum);
    }

    String key() {
      return d + ";" + seed + ";" + alpha + ";" + beta + ";" + schemeVersion + ";" + sum.length;
    }
  }

  /** The partial of no partition. */
  public static QueryPartial empty(final QueryPlan plan) {
    final int n = plan.select().size();
    final boolean[] complete = new boolean[n];
    java.util.Arrays.fill(complete, true);
    return new QueryPartial(0, 0, 0, 0, true, new long[plan.buckets()], new long[plan.buckets()], new long[24],
        new double[n], new long[n], complete, List.of(), false, true, 0L, 0.0);
  }

  /** This and {@code o} added (disjoint partitions of the same query). */
  public QueryPartial merge(final QueryPartial o) {
    final Map<String, SumPart> merged = new LinkedHashMap<>();
    for (final SumPart s : concat(sums, o.sums)) {
      merged.merge(s.key(), s, (a, b) -> {
        final float[] out = a.sum.clone();
        for (int i = 0; i < out.length; i++) {
          out[i] += b.sum[i];
        }
        return new SumPart(a.d, a.seed, a.alpha, a.beta, a.schemeVersion, a.count + b.count, out);
      });
    }
    final boolean[] complete = exactComplete.clone();
    for (int i = 0; i < complete.length; i++) {
      complete[i] &= o.exactComplete[i];
    }
    return new QueryPartial(scanned + o.scanned, inferences + o.inferences, matched + o.matched,
        matchedVariance + o.matchedVariance, matchedExact && o.matchedExact, add(bucketInferences,
        o.bucketInferences), add(bucketMatched, o.bucketMatched), add(hourMatched, o.hourMatched),
        add(exactSums, o.exactSums), add(exactCounts, o.exactCounts), complete, new ArrayList<>(merged.values()),
        overBudget || o.overBudget, exactPathMeans && o.exactPathMeans, undecided + o.undecided,
        matchedBias + o.matchedBias);
  }

  private static List<SumPart> concat(final List<SumPart> a, final List<SumPart> b) {
    final List<SumPart> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static long[] add(final long[] a, final long[] b) {
    final long[] out = a.clone();
    for (int i = 0; i < out.length; i++) {
      out[i] += b[i];
    }
    return out;
  }

  private static double[] add(final double[] a, final double[] b) {
    final double[] out = a.clone();
    for (int i = 0; i < out.length; i++) {
      out[i] += b[i];
    }
    return out;
  }
}
