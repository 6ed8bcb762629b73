package dev.rsk.stats.query.lang;

import java.time.Duration;

/**
 * Limits of a memory query, declared once here and documented in docs/queries.md. A query over a limit
 * is refused with a {@link QueryException} (400) before anything is scanned, except the time budget,
 * which stops a scan that runs too long (also 400: a narrower range or a simpler expression is needed).
 */
public final class QueryLimits {

  private QueryLimits() {}

  /** Longest {@code where} text, in characters. */
  public static final int MAX_EXPRESSION_CHARS = 1_000;
  /** Deepest nesting of parentheses and {@code !}. */
  public static final int MAX_DEPTH = 16;
  /** Most terms (module presence, comparisons, paths, time and source tests) in one {@code where}. */
  public static final int MAX_TERMS = 32;
  /** Most modules in a path {@code a/b/c}: each step unrolls up to {@link #SLOTS} tags per branch. */
  public static final int MAX_PATH_MODULES = 4;
  /** Most {@code select} items. */
  public static final int MAX_SELECT = 16;
  /** Longest {@code select} item, in characters. */
  public static final int MAX_SELECT_CHARS = 200;
  /**
   * Input slots tried under each module of a path decoded from a sketch: the positional slots "0".."7"
   * (a publisher's input without a slot name gets its position), as structure recovery tries them.
   */
  public static final int SLOTS = 8;
  /**
   * Most wall-clock time one instance may spend scanning for one query (also at most 80% of the API's remote timeout,
   * so that a remote scan answers before its caller gives up: 4 s by default).
   */
  public static final Duration TIME_BUDGET = Duration.ofSeconds(10);
}
