package dev.rsk.stats.query.lang;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.sketch.SketchSpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The partial of no partition, and the sum of two, against figures added up by hand. */
class QueryPartialTest {

  private static final long T0 = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
  private static final long HOUR = 3_600_000L;

  private static long[] hours(final int... hourAndCount) {
    final long[] out = new long[24];
    for (int i = 0; i < hourAndCount.length; i += 2) {
      out[hourAndCount[i]] = hourAndCount[i + 1];
    }
    return out;
  }

  private static QueryPartial.SumPart part(final long seed, final long count, final float... sum) {
    return new QueryPartial.SumPart(16, seed, 0.5, 0.25, 1, count, sum);
  }

  @Test
  void theEmptyPartialHasZerosSizedByThePlanAndEverySelectItemComplete() {
    final QueryPlan plan = QueryPlan.parse("cat", List.of("count", "mean(cat[0])"), T0, T0 + 3 * HOUR - 1, HOUR,
        ZoneOffset.UTC);
    final QueryPartial e = QueryPartial.empty(plan);
    assertThat(e.scanned()).isZero();
    assertThat(e.inferences()).isZero();
    assertThat(e.matched()).isZero();
    assertThat(e.matchedVariance()).isZero();
    assertThat(e.matchedExact()).isTrue();
    assertThat(e.bucketInferences()).containsExactly(0, 0, 0);
    assertThat(e.bucketMatched()).containsExactly(0, 0, 0);
    assertThat(e.hourMatched()).hasSize(24).containsOnly(0L);
    assertThat(e.exactSums()).containsExactly(0, 0);
    assertThat(e.exactCounts()).containsExactly(0, 0);
    assertThat(e.exactComplete()).containsExactly(true, true);
    assertThat(e.sums()).isEmpty();
    assertThat(e.overBudget()).isFalse();
    assertThat(e.exactPathMeans()).isTrue();
    assertThat(e.undecided()).isZero();

    // the empty partial adds nothing: empty + empty is still exact, complete and within budget
    final QueryPartial ee = e.merge(QueryPartial.empty(plan));
    assertThat(ee.matchedExact()).isTrue();
    assertThat(ee.exactComplete()).containsExactly(true, true);
    assertThat(ee.overBudget()).isFalse();
    assertThat(ee.exactPathMeans()).isTrue();
    assertThat(ee.sums()).isEmpty();
  }

  @Test
  void mergeAddsEveryCounterAndSumsTheSketchesOfOneSpecAndLength() {
    final QueryPartial a = new QueryPartial(10, 8, 5, 1.25, true, new long[] {3, 5, 0}, new long[] {2, 3, 0},
        hours(1, 2, 5, 3), new double[] {0, 2.5}, new long[] {0, 4}, new boolean[] {true, false},
        List.of(part(1, 2, 1, 2, 3, 4)), false, true, 3L, -1.5);
    final QueryPartial b = new QueryPartial(4, 3, 2, 0.5, false, new long[] {1, 0, 2}, new long[] {1, 0, 1},
        hours(5, 1, 23, 1), new double[] {0.75, 1.0}, new long[] {1, 2}, new boolean[] {true, true},
        List.of(part(2, 1, 1, 1, 1, 1), part(1, 1, 0.5f, 0.5f, 0.5f, 0.5f), part(1, 5, 7, 7)), true, false, 4L, -0.25);

    final QueryPartial m = a.merge(b);
    assertThat(m.scanned()).isEqualTo(14);
    assertThat(m.inferences()).isEqualTo(11);
    assertThat(m.matched()).isEqualTo(7);
    assertThat(m.matchedVariance()).isEqualTo(1.75);
    assertThat(m.matchedExact()).isFalse();
    assertThat(m.bucketInferences()).containsExactly(4, 5, 2);
    assertThat(m.bucketMatched()).containsExactly(3, 3, 1);
    assertThat(m.hourMatched()).isEqualTo(hours(1, 2, 5, 4, 23, 1));
    assertThat(m.exactSums()).containsExactly(0.75, 3.5);
    assertThat(m.exactCounts()).containsExactly(1, 6);
    assertThat(m.exactComplete()).containsExactly(true, false);
    assertThat(m.overBudget()).isTrue();
    assertThat(m.undecided()).isEqualTo(7);
    // the drifts of two partitions add up (their squares would not)
    assertThat(m.matchedBias()).isEqualTo(-1.75);
    // b is an older instance's: path means are decoded for the whole answer
    assertThat(m.exactPathMeans()).isFalse();
    // seed 1, length 4 adds up (2 + 1 inferences); seed 2 and seed 1 of length 2 stay apart, in first-seen order
    assertThat(m.sums()).hasSize(3);
    assertThat(m.sums().get(0).seed()).isEqualTo(1);
    assertThat(m.sums().get(0).count()).isEqualTo(3);
    assertThat(m.sums().get(0).sum()).containsExactly(1.5f, 2.5f, 3.5f, 4.5f);
    assertThat(m.sums().get(0).spec()).isEqualTo(new SketchSpec(16, 1, 0.5, 0.25, 1));
    assertThat(m.sums().get(1).seed()).isEqualTo(2);
    assertThat(m.sums().get(1).sum()).containsExactly(1f, 1f, 1f, 1f);
    assertThat(m.sums().get(2).count()).isEqualTo(5);
    assertThat(m.sums().get(2).sum()).containsExactly(7f, 7f);

    // the other way round: the same figures (variance, flags and counters are symmetric)
    final QueryPartial r = b.merge(a);
    assertThat(r.matched()).isEqualTo(7);
    assertThat(r.exactComplete()).containsExactly(true, false);
    assertThat(r.matchedExact()).isFalse();
    assertThat(r.overBudget()).isTrue();
    assertThat(r.exactPathMeans()).isFalse();

    // the operands are left as they were
    assertThat(a.bucketInferences()).containsExactly(3, 5, 0);
    assertThat(a.exactSums()).containsExactly(0, 2.5);
    assertThat(a.exactComplete()).containsExactly(true, false);
    assertThat(a.sums().get(0).sum()).containsExactly(1f, 2f, 3f, 4f);
    assertThat(a.sums().get(0).count()).isEqualTo(2);
    assertThat(b.exactComplete()).containsExactly(true, true);
    assertThat(a.hourMatched()).isEqualTo(hours(1, 2, 5, 3));
  }

  @Test
  void partsOfOneSpecButOtherParametersStayApart() {
    // same seed and length, each other parameter different: five keys
    final List<QueryPartial.SumPart> parts = List.of(
        new QueryPartial.SumPart(16, 1, 0.5, 0.25, 1, 1, new float[] {1}),
        new QueryPartial.SumPart(32, 1, 0.5, 0.25, 1, 1, new float[] {1}),
        new QueryPartial.SumPart(16, 1, 0.4, 0.25, 1, 1, new float[] {1}),
        new QueryPartial.SumPart(16, 1, 0.5, 0.3, 1, 1, new float[] {1}),
        new QueryPartial.SumPart(16, 1, 0.5, 0.25, 2, 1, new float[] {1}));
    final QueryPartial a = new QueryPartial(0, 0, 0, 0, true, new long[0], new long[0], new long[24], new double[0],
        new long[0], new boolean[0], parts, false, true, null, null);
    final QueryPartial b = new QueryPartial(0, 0, 0, 0, true, new long[0], new long[0], new long[24], new double[0],
        new long[0], new boolean[0], List.of(parts.get(0)), false, true, 0L, 0.5);
    final QueryPartial m = a.merge(b);
    // an older instance's partial (no undecided count, no bias) reads as none
    assertThat(a.undecided()).isZero();
    assertThat(m.undecided()).isZero();
    assertThat(a.matchedBias()).isZero();
    assertThat(m.matchedBias()).isEqualTo(0.5);
    assertThat(m.sums()).hasSize(5);
    assertThat(m.sums().get(0).count()).isEqualTo(2);
    assertThat(m.sums().get(0).sum()).containsExactly(2f);
    assertThat(m.sums().subList(1, 5)).allSatisfy(p -> assertThat(p.count()).isEqualTo(1));
  }
}
