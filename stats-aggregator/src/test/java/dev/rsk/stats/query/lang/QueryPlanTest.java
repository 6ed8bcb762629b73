package dev.rsk.stats.query.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The query plan: its range and buckets, the defaults of parse, the prefixes and columns of its errors, and
 * validation against the catalogue through every kind of term (each one alone names the unknown module, so a
 * branch of the walk that is skipped lets a bad query through to the scan).
 */
class QueryPlanTest {

  private static final ZoneId UTC = ZoneOffset.UTC;
  /** The catalogue: car has 2 attributes, person 1, bicycle 3. */
  private static final Map<String, Integer> K = Map.of("car", 2, "person", 1, "bicycle", 3);

  private static QueryPlan plan(final String where, final String... select) {
    return QueryPlan.parse(where, List.of(select), 0, 3_600_000, 3_600_000, UTC);
  }

  @Test
  void theRangeMustBeNonEmptyAndTheBucketPositive() {
    // [from, to) with to == from is empty; one millisecond is the smallest range
    assertThatThrownBy(() -> QueryPlan.parse(null, null, 5, 5, 1, UTC)).isInstanceOf(QueryException.class)
        .hasMessage("empty range or bucket");
    assertThatThrownBy(() -> QueryPlan.parse(null, null, 5, 4, 1, UTC)).hasMessage("empty range or bucket");
    assertThatThrownBy(() -> QueryPlan.parse(null, null, 5, 6, 0, UTC)).hasMessage("empty range or bucket");
    assertThatThrownBy(() -> QueryPlan.parse(null, null, 5, 6, -1, UTC)).hasMessage("empty range or bucket");
    final QueryPlan smallest = QueryPlan.parse(null, null, 5, 6, 1, UTC);
    assertThat(smallest.buckets()).isEqualTo(1);
  }

  @Test
  void bucketsCoverTheRangeRoundingTheLastOneUp() {
    // 9 ms in buckets of 3: exactly 3; 10 ms: a 4th bucket holds the last millisecond; 7 ms: 3 (3 + 3 + 1)
    assertThat(QueryPlan.parse(null, null, 100, 109, 3, UTC).buckets()).isEqualTo(3);
    assertThat(QueryPlan.parse(null, null, 100, 110, 3, UTC).buckets()).isEqualTo(4);
    assertThat(QueryPlan.parse(null, null, 100, 107, 3, UTC).buckets()).isEqualTo(3);
    // a bucket wider than the range: one
    assertThat(QueryPlan.parse(null, null, 0, 10, 1_000, UTC).buckets()).isEqualTo(1);
    // a day in hours
    assertThat(QueryPlan.parse(null, null, 0, 86_400_000L, 3_600_000L, UTC).buckets()).isEqualTo(24);
  }

  @Test
  void noWhereMeansEveryInferenceAndNoSelectMeansCount() {
    final QueryPlan nulls = QueryPlan.parse(null, null, 0, 10, 5, UTC);
    assertThat(nulls.whereText()).isEmpty();
    assertThat(nulls.where()).isInstanceOf(Expr.All.class);
    assertThat(nulls.select()).containsExactly(new SelectItem.Count("count"));
    final QueryPlan empty = QueryPlan.parse("  ", List.of(), 0, 10, 5, UTC);
    assertThat(empty.whereText()).isEqualTo("  ");
    assertThat(empty.select()).containsExactly(new SelectItem.Count("count"));
    final QueryPlan given = QueryPlan.parse("car", List.of("fraction", "hours"), 0, 10, 5, UTC);
    assertThat(given.whereText()).isEqualTo("car");
    assertThat(given.where()).isEqualTo(new Expr.Present("car", 1));
    assertThat(given.select()).containsExactly(new SelectItem.Fraction("fraction"), new SelectItem.Hours("hours"));
    assertThat(given.fromMs()).isEqualTo(0);
    assertThat(given.toMs()).isEqualTo(10);
    assertThat(given.bucketMs()).isEqualTo(5);
    assertThat(given.zone()).isEqualTo(UTC);
  }

  @Test
  void sixteenSelectItemsAreAllowedAndTheListIsACopy() {
    final List<String> items = new ArrayList<>(Collections.nCopies(16, "count"));
    final QueryPlan plan = QueryPlan.parse(null, items, 0, 10, 5, UTC);
    assertThat(plan.select()).hasSize(16);
    items.clear();
    assertThat(plan.select()).hasSize(16);
    assertThatThrownBy(() -> plan.select().add(new SelectItem.Count("count")))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void errorsNameTheirPartAndKeepTheColumn() {
    assertThatThrownBy(() -> QueryPlan.parse("car & (person", null, 0, 10, 5, UTC))
        .isInstanceOfSatisfying(QueryException.class, e -> {
          assertThat(e.getMessage()).startsWith("where: expected ')'");
          assertThat(e.column()).isEqualTo(14);
        });
    // the index of the failing item, counted from 0, and the column inside that item
    assertThatThrownBy(() -> QueryPlan.parse(null, List.of("count", "mean(car)"), 0, 10, 5, UTC))
        .isInstanceOfSatisfying(QueryException.class, e -> {
          assertThat(e.getMessage()).isEqualTo("select[1]: expected '[' at column 9, found ')'");
          assertThat(e.column()).isEqualTo(9);
        });
  }

  @Test
  void validationReachesUnknownModulesInEveryKindOfTerm() {
    // each alone, at its own column
    assertUnknown(plan("horse", "count"), "horse", 1);
    assertUnknown(plan("count(horse) > 1", "count"), "horse", 1); // a count names its own column
    assertUnknown(plan("person/horse", "count"), "horse", 1);
    assertUnknown(plan("horse/person", "count"), "horse", 1);
    assertUnknown(plan("person/horse[0] > 1", "count"), "horse", 1);
    assertUnknown(plan("!horse", "count"), "horse", 2);
    assertUnknown(plan("car & horse", "count"), "horse", 7);
    assertUnknown(plan("horse & car", "count"), "horse", 1);
    assertUnknown(plan("car | horse", "count"), "horse", 7);
    assertUnknown(plan("horse | car", "count"), "horse", 1);
    assertUnknown(plan("car & !(person | count(horse) < 2)", "count"), "horse", 18);
    // time, source and all-terms name no module
    assertThatCode(() -> plan("hour(7..9) & weekday(mon..fri) & source = \"cam\"", "count").validate(K))
        .doesNotThrowAnyException();
    assertThatCode(() -> plan(null, "count", "fraction", "hours").validate(K)).doesNotThrowAnyException();
  }

  private static void assertUnknown(final QueryPlan plan, final String module, final int column) {
    assertThatThrownBy(() -> plan.validate(K)).isInstanceOfSatisfying(QueryException.class, e -> {
      assertThat(e.getMessage()).isEqualTo("unknown module '" + module + "' (never seen) at column " + column);
      assertThat(e.column()).isEqualTo(column);
    });
  }

  @Test
  void anAttributeIndexMustBeBelowTheModulesLength() {
    // car has 2 attributes: 1 is the last, 2 is past it
    assertThatCode(() -> plan("car[1] > 0", "count").validate(K)).doesNotThrowAnyException();
    assertThatThrownBy(() -> plan("car[2] > 0", "count").validate(K))
        .hasMessage("attribute index 2 out of range: module 'car' has 2 attributes (0..1) at column 1");
    // one attribute: singular
    assertThatCode(() -> plan("person[0] > 0", "count").validate(K)).doesNotThrowAnyException();
    assertThatThrownBy(() -> plan("person[1] > 0", "count").validate(K))
        .hasMessage("attribute index 1 out of range: module 'person' has 1 attribute (0..0) at column 1");
    // on a path, the index is of its last module
    assertThatCode(() -> plan("person/bicycle[2] < 0", "count").validate(K)).doesNotThrowAnyException();
    assertThatThrownBy(() -> plan("bicycle/person[2] < 0", "count").validate(K))
        .hasMessage("attribute index 2 out of range: module 'person' has 1 attribute (0..0) at column 1");
  }

  @Test
  void aDecodedMeanOnlyOrders() {
    for (final String op : List.of("<", "<=", ">", ">=")) {
      assertThatCode(() -> plan("person/bicycle[0] " + op + " 0.5", "count").validate(K))
          .as(op).doesNotThrowAnyException();
    }
    for (final String op : List.of("=", "!=")) {
      assertThatThrownBy(() -> plan("car & person/bicycle[0] " + op + " 0.5", "count").validate(K))
          .as(op).isInstanceOfSatisfying(QueryException.class, e -> {
            assertThat(e.getMessage()).isEqualTo("where: '" + op + "' cannot test a mean decoded from sketches "
                + "(person/bicycle[0]); use <, <=, > or >= at column 7");
            assertThat(e.column()).isEqualTo(7);
          });
    }
    // one module's mean is exact from the sums: = and != are fine
    assertThatCode(() -> plan("car[0] = 0.5 | car[1] != 0.5", "count").validate(K)).doesNotThrowAnyException();
  }

  @Test
  void selectedMeansAndMassesAreValidatedToo() {
    assertThatCode(() -> plan(null, "mean(car[1])", "mass(person/bicycle)", "mean(person/bicycle[2])").validate(K))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> plan(null, "count", "mean(horse[0])").validate(K))
        .isInstanceOfSatisfying(QueryException.class, e -> {
          assertThat(e.getMessage())
              .isEqualTo("select 'mean(horse[0])': unknown module 'horse' (never seen) at column 6");
          assertThat(e.column()).isEqualTo(6);
        });
    assertThatThrownBy(() -> plan(null, "mean(car[2])").validate(K))
        .hasMessage("select 'mean(car[2])': attribute index 2 out of range: module 'car' has 2 attributes (0..1)"
            + " at column 6");
    assertThatThrownBy(() -> plan(null, "mass(horse/car)").validate(K))
        .hasMessage("select 'mass(horse/car)': unknown module 'horse' (never seen) at column 6");
    // a mass has no index to check
    assertThatCode(() -> plan(null, "mass(person)").validate(K)).doesNotThrowAnyException();
  }
}
