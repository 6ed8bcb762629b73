package dev.rsk.stats.query.lang;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.sketch.DecoderCache;
import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.query.lang.EvaluatorTest.SceneRecord;
import dev.rsk.stats.testing.StreetScenes;
import dev.rsk.stats.testing.StreetScenes.Scene;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One scan's accumulation on small hand-built records whose counts, buckets, hours and sums are worked out by
 * hand: the range is [from, to) to the millisecond, a record counts in the bucket and local hour of its event
 * time, only matched records add exact sums and sketches, and sketches add up per spec and vector length.
 */
class QueryAccumulatorTest {

  private static final long HOUR = 3_600_000L;
  private static final long T0 = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();
  private static final DecoderCache DECODERS = new DecoderCache();
  private static final SketchSpec A = SketchSpec.of(16, 1L, 0.5, 0.5);
  private static final SketchSpec B = SketchSpec.of(16, 2L, 0.5, 0.5);

  /** A stored inference with exact counts, per-module attribute sums (absent: NaN) and no edges. */
  record Rec(long eventTime, Map<String, Integer> counts, Map<String, double[]> sums, Sketch sketch)
      implements QueryRecord {

    public String inferenceId() {
      return "r" + eventTime;
    }

    public String source() {
      return "";
    }

    public int count(final String module) {
      return counts.getOrDefault(module, 0);
    }

    public double attributeSum(final String module, final int index) {
      final double[] s = sums.get(module);
      return s == null ? Double.NaN : s[index];
    }

    public boolean hasEdges() {
      return false;
    }

    public boolean edge(final String parent, final String input) {
      throw new AssertionError("no edges");
    }

    public java.util.Set<String> parents(final String input) {
      throw new AssertionError("no edges");
    }
  }

  private static Sketch sketch(final SketchSpec spec, final float... head) {
    final float[] v = new float[spec.d()];
    System.arraycopy(head, 0, v, 0, head.length);
    return new Sketch(spec, v);
  }

  private static Rec rec(final long t, final Map<String, Integer> counts) {
    return new Rec(t, counts, Map.of(), sketch(A, 1f));
  }

  @Test
  void theRangeIsFromInclusiveToExclusiveAndRecordsCountInTheirBucketAndLocalHour() {
    // [T0, T0 + 3 h) in buckets of an hour; the zone is UTC+2, so T0 is 02:00 local
    final QueryPlan plan = QueryPlan.parse("car", List.of("count"), T0, T0 + 3 * HOUR, HOUR, ZoneOffset.ofHours(2));
    final QueryAccumulator acc = new QueryAccumulator(plan, DECODERS);
    final Map<String, Integer> car = Map.of("car", 1);
    final Map<String, Integer> none = Map.of();
    acc.add(rec(T0 - 1, car)); // before the range
    acc.add(rec(T0, car)); // bucket 0, 02:00
    acc.add(rec(T0 + HOUR - 1, car)); // bucket 0, 02:59
    acc.add(rec(T0 + HOUR, none)); // bucket 1, not matched
    acc.add(rec(T0 + HOUR + 1, car)); // bucket 1, 03:00
    acc.add(rec(T0 + 3 * HOUR - 1, car)); // bucket 2, 04:59
    acc.add(rec(T0 + 3 * HOUR, car)); // at the end: out
    final QueryPartial p = acc.partial();
    assertThat(p.scanned()).isEqualTo(7);
    assertThat(p.inferences()).isEqualTo(5);
    assertThat(p.matched()).isEqualTo(4);
    assertThat(p.bucketInferences()).containsExactly(2, 2, 1);
    assertThat(p.bucketMatched()).containsExactly(2, 1, 1);
    final long[] hours = new long[24];
    hours[2] = 2;
    hours[3] = 1;
    hours[4] = 1;
    assertThat(p.hourMatched()).containsExactly(hours);
    // exact terms only: no error, and nothing summed for a count
    assertThat(p.matchedVariance()).isZero();
    assertThat(p.matchedExact()).isTrue();
    assertThat(p.sums()).isEmpty();
    assertThat(p.overBudget()).isFalse();
    acc.overBudget();
    assertThat(acc.partial().overBudget()).isTrue();
  }

  @Test
  void exactMeansSumOneModulesAttributesOverMatchedRecordsOnly() {
    final QueryPlan plan = QueryPlan.parse("!cat", List.of("count", "mean(car[1])", "mean(person/car[0])",
        "mean(person[0])"), T0, T0 + HOUR, HOUR, ZoneOffset.UTC);
    final QueryAccumulator acc = new QueryAccumulator(plan, DECODERS);
    // 2 cars with attribute-1 sum 3.0, then 1 car with 0.5: mean(car[1]) = 3.5 / 3
    acc.add(new Rec(T0, Map.of("car", 2), Map.of("car", new double[] {9.0, 3.0}), sketch(A, 1f)));
    acc.add(new Rec(T0 + 1, Map.of("car", 1), Map.of("car", new double[] {7.0, 0.5}), sketch(A, 1f)));
    // no car: its (absent) sums are not read, so the mean stays complete
    acc.add(new Rec(T0 + 2, Map.of("person", 1), Map.of("person", new double[] {0.25}), sketch(A, 1f)));
    // not matched (a cat) and out of range: their sums are not added
    acc.add(new Rec(T0 + 3, Map.of("car", 4, "cat", 1), Map.of("car", new double[] {100, 100}), sketch(A, 1f)));
    acc.add(new Rec(T0 + HOUR, Map.of("car", 4), Map.of("car", new double[] {100, 100}), sketch(A, 1f)));
    final QueryPartial p = acc.partial();
    assertThat(p.matched()).isEqualTo(3);
    assertThat(p.exactSums()).containsExactly(0.0, 3.5, 0.0, 0.25);
    assertThat(p.exactCounts()).containsExactly(0, 3, 0, 1);
    assertThat(p.exactComplete()).containsExactly(true, true, true, true);
  }

  @Test
  void aMatchedRecordWithoutSumsMakesItsMeanIncompleteAndAddsNothing() {
    final QueryPlan plan = QueryPlan.parse(null, List.of("mean(car[0])", "mean(person[0])"), T0, T0 + HOUR, HOUR,
        ZoneOffset.UTC);
    final QueryAccumulator acc = new QueryAccumulator(plan, DECODERS);
    acc.add(new Rec(T0, Map.of("car", 1, "person", 2), Map.of("person", new double[] {1.5}), sketch(A, 1f)));
    acc.add(new Rec(T0, Map.of("car", 3, "person", 1), Map.of("car", new double[] {6.0}, "person",
        new double[] {0.5}), sketch(A, 1f)));
    final QueryPartial p = acc.partial();
    assertThat(p.exactSums()).containsExactly(6.0, 2.0);
    assertThat(p.exactCounts()).containsExactly(3, 3);
    assertThat(p.exactComplete()).containsExactly(false, true);
  }

  @Test
  void matchedSketchesAddUpPerSpecAndVectorLengthWhenAMassOrMeanIsSelected() {
    final QueryPlan plan = QueryPlan.parse("car", List.of("mass(car)"), T0, T0 + HOUR, HOUR, ZoneOffset.UTC);
    final QueryAccumulator acc = new QueryAccumulator(plan, DECODERS);
    final Map<String, Integer> car = Map.of("car", 1);
    // spec A, B, A again (the last key changes back), then a 4-coordinate prefix of spec A, then unmatched
    acc.add(new Rec(T0, car, Map.of(), sketch(A, 1f, 2f)));
    acc.add(new Rec(T0, car, Map.of(), sketch(B, 0f, 0f, 5f)));
    acc.add(new Rec(T0, car, Map.of(), sketch(A, 0.5f, 0f, 0f, 0f, 4f)));
    acc.add(new Rec(T0, car, Map.of(), new Sketch(A, new float[] {1f, 1f, 1f, 1f})));
    acc.add(new Rec(T0, Map.of(), Map.of(), sketch(A, 100f)));
    final List<QueryPartial.SumPart> sums = acc.partial().sums();
    assertThat(sums).hasSize(3);
    final float[] a = new float[16];
    a[0] = 1.5f;
    a[1] = 2f;
    a[4] = 4f;
    assertThat(sums.get(0).spec()).isEqualTo(A);
    assertThat(sums.get(0).count()).isEqualTo(2);
    assertThat(sums.get(0).sum()).containsExactly(a);
    final float[] b = new float[16];
    b[2] = 5f;
    assertThat(sums.get(1).spec()).isEqualTo(B);
    assertThat(sums.get(1).count()).isEqualTo(1);
    assertThat(sums.get(1).sum()).containsExactly(b);
    assertThat(sums.get(2).spec()).isEqualTo(A);
    assertThat(sums.get(2).count()).isEqualTo(1);
    assertThat(sums.get(2).sum()).containsExactly(1f, 1f, 1f, 1f);
  }

  @Test
  void aOneModuleMeanAlsoKeepsTheSketchesButACountOrFractionDoesNot() {
    final Map<String, Integer> car = Map.of("car", 1);
    for (final String item : List.of("count", "fraction", "hours")) {
      final QueryAccumulator acc = new QueryAccumulator(
          QueryPlan.parse(null, List.of(item), T0, T0 + HOUR, HOUR, ZoneOffset.UTC), DECODERS);
      acc.add(new Rec(T0, car, Map.of(), sketch(A, 1f)));
      assertThat(acc.partial().sums()).as(item).isEmpty();
    }
    final QueryAccumulator mean = new QueryAccumulator(
        QueryPlan.parse(null, List.of("count", "mean(car[0])"), T0, T0 + HOUR, HOUR, ZoneOffset.UTC), DECODERS);
    mean.add(new Rec(T0, car, Map.of("car", new double[] {2.0}), sketch(A, 3f)));
    assertThat(mean.partial().sums()).singleElement().satisfies(s -> {
      assertThat(s.count()).isEqualTo(1);
      assertThat(s.sum()[0]).isEqualTo(3f);
    });
  }

  @Test
  void decodedTermsAddTheirErrorAndMakeTheCountInexact() {
    // without edges person/bicycle is decoded: the rider is found with p close to 1, the parked bicycle is
    // not with a small p; each decision adds the chance it is wrong, 1 - p when true and p when false
    final StreetScenes scenes = new StreetScenes(EvaluatorTest.SPEC, 2);
    final Scene riding = scenes.scene("r", T0, "c", 1, 1, 1, 0);
    final Scene parked = scenes.scene("p", T0 + 1, "c", 1, 1, 0, 1);
    final Expr where = QueryParser.where("person/bicycle");
    final Evaluator evaluator = new Evaluator(DECODERS, ZoneOffset.UTC);
    final Truth r = evaluator.eval(where, new SceneRecord(riding.record(), null));
    final Truth q = evaluator.eval(where, new SceneRecord(parked.record(), null));
    assertThat(r.value()).isTrue();
    assertThat(q.value()).isFalse();
    assertThat(1 - r.p()).isPositive();
    assertThat(q.p()).isPositive();

    final QueryPlan plan = QueryPlan.parse("person/bicycle", List.of("count"), T0, T0 + HOUR, HOUR,
        ZoneOffset.UTC);
    final QueryAccumulator acc = new QueryAccumulator(plan, DECODERS);
    acc.add(new SceneRecord(parked.record(), null));
    // an exact record after the decoded ones does not make the scan exact again
    final Scene exact = scenes.scene("e", T0 + 2, "c", 1, 1, 1, 0);
    acc.add(new SceneRecord(riding.record(), null));
    acc.add(new SceneRecord(exact.record(), EvaluatorTest.edges(exact)));
    // out of range: neither counted nor adding error
    acc.add(new SceneRecord(scenes.scene("o", T0 + HOUR, "c", 1, 1, 1, 0).record(), null));
    final QueryPartial p = acc.partial();
    assertThat(p.inferences()).isEqualTo(3);
    assertThat(p.matched()).isEqualTo(2);
    assertThat(p.matchedExact()).isFalse();
    assertThat(p.matchedVariance()).isEqualTo((1 - r.p()) + q.p() + 0.0);
  }

  /** A partial without exactPathMeans (an older instance's): one-module means stay exact, path means decode. */
  @Test
  void aPartialThatDoesNotCoverPathMeansKeepsOneModuleMeansExact() {
    final QueryPlan plan = QueryPlan.parse(null, List.of("mean(car[0])", "mean(street/car[0])"), T0, T0 + HOUR,
        HOUR, ZoneOffset.UTC);
    final QueryPartial older = new QueryPartial(1, 1, 1, 0, true, new long[] {1}, new long[] {1}, new long[24],
        new double[] {3.0, 3.0}, new long[] {2, 2}, new boolean[] {true, true}, List.of(), false, null, null, null);
    final QueryAnswer a = QueryAnswer.of(plan, older, DECODERS);
    assertThat(a.values().get("mean(car[0])")).isEqualTo(new QueryAnswer.Value(1.5, 0, true));
    // nothing to decode (no sums kept): null, not the exact-looking 1.5
    assertThat(a.values().get("mean(street/car[0])")).isEqualTo(new QueryAnswer.Value(null, 0, false));
    assertThat(QueryAnswer.of(plan, older.merge(QueryPartial.empty(plan)), DECODERS).values()
        .get("mean(street/car[0])").exact()).isFalse();
  }
}
