package dev.rsk.stats.query.lang;

/** A {@code where} expression over one inference, as parsed by {@link QueryParser}. */
public sealed interface Expr {

  /** {@code cat}: at least one object of the module (exact). */
  record Present(String module, int column) implements Expr {}

  /** {@code count(person) >= 2}: the number of objects of the module compares (exact). */
  record CountCmp(String module, Cmp op, double value, int column) implements Expr {}

  /**
   * {@code car[0] > 0.5} or {@code sofa/cat[1] < 0.2}: the mean of attribute {@code index} over the
   * objects the path selects compares (exact from the record's sums for one module, else decoded).
   */
  record AttrCmp(Path path, int index, Cmp op, double value, int column) implements Expr {}

  /** {@code person/bicycle}: the path exists (exact from the record's edges, else decoded). */
  record PathPresent(Path path) implements Expr {}

  /** {@code hour(7..9)}: the event hour in the query's zone is in [from, to], wrapping past midnight. */
  record Hour(int from, int to) implements Expr {}

  /** {@code weekday(sat..sun)}: ISO day of week (1 = Monday) in [from, to], wrapping past Sunday. */
  record Weekday(int from, int to) implements Expr {}

  /** {@code source = "cam-7"} ({@code !=} negates). */
  record Source(String source, boolean equal) implements Expr {}

  record And(Expr left, Expr right) implements Expr {}

  record Or(Expr left, Expr right) implements Expr {}

  record Not(Expr inner) implements Expr {}

  /** No {@code where}: every inference. */
  record All() implements Expr {}
}
