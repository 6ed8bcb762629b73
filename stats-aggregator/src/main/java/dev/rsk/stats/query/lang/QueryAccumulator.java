package dev.rsk.stats.query.lang;

import dev.rsk.sketch.DecoderCache;
import dev.rsk.sketch.SketchSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Accumulates one scan's {@link QueryPartial}: evaluates the {@code where} on each record in range, counts
 * it per bucket and hour, and for the matched ones adds the exact sums of means (of one module, or of a
 * path whose objects the record's edges tell: {@link Evaluator#selected}) and (when a
 * {@code mean} or {@code mass} is selected) the sketch vector to the sum of its spec, which
 * {@link QueryAnswer} decodes once at the end. Not thread-safe: one per scan.
 */
public final class QueryAccumulator {

  private final QueryPlan plan;
  private final Evaluator evaluator;
  private final boolean keepSums;
  private final long[] bucketInferences;
  private final long[] bucketMatched;
  private final long[] hourMatched = new long[24];
  private final double[] exactSums;
  private final long[] exactCounts;
  private final boolean[] exactComplete;
  private final LocalClock clock;
  private final Map<SumKey, float[]> sums = new LinkedHashMap<>();
  private final Map<SumKey, Long> sumCounts = new LinkedHashMap<>();
  private SumKey lastKey;
  private float[] lastSum;
  private long scanned;
  private long inferences;
  private long matched;
  private long undecided;
  private double variance;
  private final Calibrations calibrations = new Calibrations();
  private boolean exact = true;
  private boolean overBudget;

  public QueryAccumulator(final QueryPlan plan, final DecoderCache decoders) {
    this(plan, decoders, Slots.POSITIONAL);
  }

  /** With the slots a decoded path tries ({@link Slots}). */
  public QueryAccumulator(final QueryPlan plan, final DecoderCache decoders, final Slots slots) {
    this.plan = plan;
    this.evaluator = new Evaluator(decoders, plan.zone(), slots, plan.pathsFromSketches());
    this.clock = new LocalClock(plan.zone());
    this.keepSums = plan.select().stream()
        .anyMatch(s -> s instanceof SelectItem.Mean || s instanceof SelectItem.Mass);
    this.bucketInferences = new long[plan.buckets()];
    this.bucketMatched = new long[plan.buckets()];
    final int n = plan.select().size();
    this.exactSums = new double[n];
    this.exactCounts = new long[n];
    this.exactComplete = new boolean[n];
    Arrays.fill(exactComplete, true);
  }

  /** Counts one stored inference (ignored when out of range). */
  public void add(final QueryRecord r) {
    scanned++;
    final long t = r.eventTime();
    if (t < plan.fromMs() || t >= plan.toMs()) {
      return;
    }
    inferences++;
    final int bucket = (int) ((t - plan.fromMs()) / plan.bucketMs());
    bucketInferences[bucket]++;
    final Truth truth = evaluator.eval(plan.where(), r);
    if (truth.calibration() != null) {
      calibrations.add(truth);
    } else {
      variance += truth.variance();
    }
    exact &= truth.exact();
    if (truth.undecided()) {
      undecided++;
    }
    if (!truth.value()) {
      return;
    }
    matched++;
    bucketMatched[bucket]++;
    hourMatched[clock.hour(t)]++;
    for (int i = 0; i < plan.select().size(); i++) {
      if (plan.select().get(i) instanceof SelectItem.Mean m) {
        addExact(i, m, r);
      }
    }
    if (keepSums) {
      addSketch(r);
    }
  }

  /** Marks the scan as stopped at the time budget. */
  public void overBudget() {
    overBudget = true;
  }

  /** Adds the objects the mean's path selects and their exact sum, or marks the item inexact. */
  private void addExact(final int item, final SelectItem.Mean m, final QueryRecord r) {
    final int n = evaluator.selected(m.path(), r);
    if (n == 0) {
      return;
    }
    final double sum = n < 0 ? Double.NaN : r.attributeSum(m.path().last(), m.index());
    if (Double.isNaN(sum)) {
      exactComplete[item] = false;
    } else {
      exactSums[item] += sum;
      exactCounts[item] += n;
    }
  }

  /** Sums of the vectors of one spec and length. */
  private record SumKey(SketchSpec spec, int length) {}

  private void addSketch(final QueryRecord r) {
    final SumKey key = new SumKey(r.spec(), r.vectorLength());
    if (!key.equals(lastKey)) {
      // records of a scan share one spec and length but for aged ones: one map lookup per change
      lastKey = key;
      lastSum = sums.computeIfAbsent(key, k -> new float[k.length()]);
    }
    r.addVectorTo(lastSum);
    sumCounts.merge(key, 1L, Long::sum);
  }

  public QueryPartial partial() {
    final List<QueryPartial.SumPart> parts = new ArrayList<>();
    sums.forEach((k, v) -> parts.add(QueryPartial.SumPart.of(k.spec(), v, sumCounts.get(k))));
    final Calibrations.Errors calibrated = calibrations.errors();
    return new QueryPartial(scanned, inferences, matched, variance + calibrated.spread(), exact,
        bucketInferences.clone(), bucketMatched.clone(), hourMatched.clone(), exactSums.clone(), exactCounts.clone(),
        exactComplete.clone(), parts, overBudget, true, undecided, calibrated.bias());
  }
}
