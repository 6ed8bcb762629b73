package dev.rsk.stats.query.lang;

/** One item of a query's {@code select}, with the text it was given as (its key in {@code values}). */
public sealed interface SelectItem {

  String text();

  /** Inferences matched. */
  record Count(String text) implements SelectItem {}

  /** Matched over inferences in range. */
  record Fraction(String text) implements SelectItem {}

  /** Hour-of-day histogram of matches. */
  record Hours(String text) implements SelectItem {}

  /** The mean of attribute {@code index} over every object the path selects in the matched inferences. */
  record Mean(String text, Path path, int index) implements SelectItem {}

  /** The effective-weight mass of the objects the path selects in the matched inferences. */
  record Mass(String text, Path path) implements SelectItem {}
}
