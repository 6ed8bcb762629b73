package dev.rsk.stats.query.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QueryParserTest {

  @Test
  void everyFormOfTheTableParses() {
    assertThat(QueryParser.where("cat")).isEqualTo(new Expr.Present("cat", 1));
    assertThat(QueryParser.where("count(person) >= 2")).isEqualTo(new Expr.CountCmp("person", Cmp.GE, 2, 1));
    assertThat(QueryParser.where("car[0] > 0.5"))
        .isEqualTo(new Expr.AttrCmp(new Path(List.of("car"), 1), 0, Cmp.GT, 0.5, 1));
    assertThat(QueryParser.where("person/bicycle"))
        .isEqualTo(new Expr.PathPresent(new Path(List.of("person", "bicycle"), 1)));
    assertThat(QueryParser.where("street/car/wheel"))
        .isEqualTo(new Expr.PathPresent(new Path(List.of("street", "car", "wheel"), 1)));
    assertThat(QueryParser.where("sofa/cat[1] < 0.2"))
        .isEqualTo(new Expr.AttrCmp(new Path(List.of("sofa", "cat"), 1), 1, Cmp.LT, 0.2, 1));
    assertThat(QueryParser.where("hour(7..9)")).isEqualTo(new Expr.Hour(7, 9));
    assertThat(QueryParser.where("hour(22..2)")).isEqualTo(new Expr.Hour(22, 2));
    assertThat(QueryParser.where("hour(8)")).isEqualTo(new Expr.Hour(8, 8));
    assertThat(QueryParser.where("weekday(sat..sun)")).isEqualTo(new Expr.Weekday(6, 7));
    assertThat(QueryParser.where("weekday(Monday..fri)")).isEqualTo(new Expr.Weekday(1, 5));
    assertThat(QueryParser.where("source = \"cam-7\"")).isEqualTo(new Expr.Source("cam-7", true));
    assertThat(QueryParser.where("source != \"a \\\"b\\\"\"")).isEqualTo(new Expr.Source("a \"b\"", false));
    assertThat(QueryParser.where("  ")).isEqualTo(new Expr.All());
    assertThat(QueryParser.where(null)).isEqualTo(new Expr.All());
  }

  @Test
  void comparisonsAndNumbers() {
    for (final Cmp c : Cmp.values()) {
      assertThat(QueryParser.where("count(cat) " + c.symbol() + " 1")).isEqualTo(new Expr.CountCmp("cat", c, 1, 1));
    }
    assertThat(QueryParser.where("count(cat)==1")).isEqualTo(new Expr.CountCmp("cat", Cmp.EQ, 1, 1));
    assertThat(QueryParser.where("car[2]>-1.5e-1"))
        .isEqualTo(new Expr.AttrCmp(new Path(List.of("car"), 1), 2, Cmp.GT, -0.15, 1));
  }

  @Test
  void precedenceIsNotThenAndThenOrAndParenthesesGroup() {
    final Expr a = new Expr.Present("a", 1);
    assertThat(QueryParser.where("a | b & !c")).isEqualTo(new Expr.Or(a,
        new Expr.And(new Expr.Present("b", 5), new Expr.Not(new Expr.Present("c", 10)))));
    assertThat(QueryParser.where("(a | b) & c")).isEqualTo(new Expr.And(
        new Expr.Or(new Expr.Present("a", 2), new Expr.Present("b", 6)), new Expr.Present("c", 11)));
    assertThat(QueryParser.where("a & b & c")).isEqualTo(new Expr.And(new Expr.And(a, new Expr.Present("b", 5)),
        new Expr.Present("c", 9)));
    assertThat(QueryParser.where("!!a")).isEqualTo(new Expr.Not(new Expr.Not(new Expr.Present("a", 3))));
  }

  @Test
  void keywordsAreModuleNamesWhereTheyAreNotFunctions() {
    assertThat(QueryParser.where("count & hour")).isEqualTo(
        new Expr.And(new Expr.Present("count", 1), new Expr.Present("hour", 9)));
    assertThat(QueryParser.where("source")).isEqualTo(new Expr.Present("source", 1));
    assertThat(QueryParser.where("cat_detector.v2/eye-left")).isEqualTo(
        new Expr.PathPresent(new Path(List.of("cat_detector.v2", "eye-left"), 1)));
  }

  @Test
  void selectItems() {
    assertThat(QueryParser.select("count")).isEqualTo(new SelectItem.Count("count"));
    assertThat(QueryParser.select("fraction")).isEqualTo(new SelectItem.Fraction("fraction"));
    assertThat(QueryParser.select("hours")).isEqualTo(new SelectItem.Hours("hours"));
    assertThat(QueryParser.select("mean(car[0])"))
        .isEqualTo(new SelectItem.Mean("mean(car[0])", new Path(List.of("car"), 6), 0));
    assertThat(QueryParser.select(" mean( person/bicycle [1] ) "))
        .isEqualTo(new SelectItem.Mean("mean( person/bicycle [1] )", new Path(List.of("person", "bicycle"), 8), 1));
    assertThat(QueryParser.select("mass(sofa/cat)"))
        .isEqualTo(new SelectItem.Mass("mass(sofa/cat)", new Path(List.of("sofa", "cat"), 6)));
  }

  @ParameterizedTest
  @CsvSource(delimiterString = "=>", value = {
      "(car & bicycle                 => expected ')' at column 15, found end of text",
      "car & (person | bicycle        => expected ')' at column 24",
      "car &                          => expected a module, count(...), hour(...), weekday(...), source, '!' or '('"
          + " at column 6",
      "car bicycle                    => expected '&', '|' or end of expression at column 5, found 'bicycle'",
      "car # bicycle                  => unexpected character '#' at column 5",
      "count(person) >> 2             => expected a number at column 16, found '>'",
      "count(person)                  => expected a comparison (>, >=, <, <=, =, !=) at column 14",
      "count(person/bicycle) > 1      => count() takes one module, not a path at column 13",
      "car[x] > 1                     => expected an attribute index at column 5, found 'x'",
      "car[1.5] > 1                   => attribute index must be a whole number >= 0, got 1.5 at column 5",
      "car[0 > 1                      => expected ']' at column 7",
      "car[0]                         => expected a comparison",
      "person/                        => expected a module after '/' at column 8",
      "hour(7..25)                    => hour must be a whole number 0..23, got 25 at column 9",
      "hour(7..)                      => expected an hour 0..23 at column 9",
      "weekday(sat..someday)          => unknown day 'someday' (mon, tue, wed, thu, fri, sat, sun) at column 14",
      "frobnicate(cat)                => unknown function 'frobnicate' (count, hour or weekday) at column 1",
      "source = cam-7                 => expected a double-quoted string at column 10, found 'cam-7'",
      "source > \"x\"                   => source compares with = or !=, not > at column 8",
      "source = \"open                 => unterminated string starting at column 10",
      "a/b/c/d/e                      => path longer than 4 modules at column 9",
      "car . bicycle                  => unexpected '.' at column 5",
      ")                              => expected a module, count(...), hour(...), weekday(...), source, '!' or '('"
          + " at column 1",
  })
  void syntaxErrorsPointAtTheColumn(final String text, final String message) {
    assertThatThrownBy(() -> QueryParser.where(text)).isInstanceOf(QueryException.class)
        .hasMessageContaining(message);
  }

  @Test
  void limitsAreEnforced() {
    assertThatThrownBy(() -> QueryParser.where("a|".repeat(600) + "a"))
        .hasMessageContaining("longer than the maximum of 1000");
    assertThatThrownBy(() -> QueryParser.where("(".repeat(17) + "a" + ")".repeat(17)))
        .hasMessageContaining("nested deeper than 16 at column 17");
    assertThatThrownBy(() -> QueryParser.where("a&".repeat(32) + "a")).hasMessageContaining("more than 32 terms");
    assertThat(QueryParser.where("a&".repeat(31) + "a")).isNotNull();
    assertThatThrownBy(() -> QueryPlan.parse(null, java.util.Collections.nCopies(17, "count"), 0, 1, 1,
        ZoneOffset.UTC)).hasMessageContaining("more than 16 select items");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "total            | select[0]: unknown select item 'total' (count, fraction, hours, mean(PATH[i]) or mass(PATH))"
          + " at column 1",
      "mean(car)        | select[0]: expected '[' at column 9",
      "mean(car[0]      | select[0]: expected ')' at column 12",
      "mass(car         | select[0]: expected ')' at column 9",
      "count fraction   | select[0]: expected end of select item at column 7",
  })
  void selectErrorsPointAtTheColumn(final String text, final String message) {
    assertThatThrownBy(() -> QueryPlan.parse(null, List.of(text), 0, 1, 1, ZoneOffset.UTC))
        .isInstanceOf(QueryException.class).hasMessageStartingWith(message);
  }

  @Test
  void validationNamesUnknownModulesAndIndexesOutOfRange() {
    final Map<String, Integer> k = Map.of("car", 2, "person", 3, "bicycle", 2);
    assertThatThrownBy(() -> plan("car & unicorn", "count").validate(k))
        .hasMessage("unknown module 'unicorn' (never seen) at column 7");
    assertThatThrownBy(() -> plan("car[2] > 1", "count").validate(k))
        .hasMessage("attribute index 2 out of range: module 'car' has 2 attributes (0..1) at column 1");
    assertThatThrownBy(() -> plan("person/bicycle[0] = 1", "count").validate(k))
        .hasMessageContaining("'=' cannot test a mean decoded from sketches");
    assertThatThrownBy(() -> plan("car", "mean(person/bicycle[5])").validate(k))
        .hasMessage("select 'mean(person/bicycle[5])': attribute index 5 out of range: module 'bicycle' has 2 "
            + "attributes (0..1) at column 6");
    assertThatThrownBy(() -> plan("car", "mass(person/horse)").validate(k))
        .hasMessageContaining("unknown module 'horse'");
    plan("car & person/bicycle & car[1] = 0.5", "mean(person/bicycle[1])").validate(k);
  }

  private static QueryPlan plan(final String where, final String select) {
    return QueryPlan.parse(where, List.of(select), 0, 3_600_000, 3_600_000, ZoneOffset.UTC);
  }
}
