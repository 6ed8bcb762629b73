package dev.rsk.stats.query.lang;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A parsed memory query over [fromMs, toMs), counted in buckets of {@code bucketMs} from {@code fromMs},
 * with times of day and weekdays in {@code zone}.
 *
 * @param pathsFromSketches whether paths of two modules or more are read from the sketches alone, as for a
 *     record without edges, even where the records' edges and exact sums tell them ({@link Evaluator})
 */
public record QueryPlan(String whereText, Expr where, List<SelectItem> select, long fromMs, long toMs,
    long bucketMs, ZoneId zone, boolean pathsFromSketches) {

  public QueryPlan {
    select = List.copyOf(select);
    if (toMs <= fromMs || bucketMs <= 0) {
      throw new QueryException("empty range or bucket", 0);
    }
  }

  /**
   * Parses {@code where} (null: every inference) and {@code select} (null or empty: {@code ["count"]}).
   *
   * @throws QueryException on a syntax error (the column in the message), or over a {@link QueryLimits}
   */
  public static QueryPlan parse(final String where, final List<String> select, final long fromMs,
      final long toMs, final long bucketMs, final ZoneId zone) {
    final List<String> items = select == null || select.isEmpty() ? List.of("count") : select;
    if (items.size() > QueryLimits.MAX_SELECT) {
      throw new QueryException("more than " + QueryLimits.MAX_SELECT + " select items", 0);
    }
    final Expr expr;
    try {
      expr = QueryParser.where(where);
    } catch (QueryException e) {
      throw new QueryException("where: " + e.getMessage(), e.column());
    }
    final List<SelectItem> parsed = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      try {
        parsed.add(QueryParser.select(items.get(i)));
      } catch (QueryException e) {
        throw new QueryException("select[" + i + "]: " + e.getMessage(), e.column());
      }
    }
    return new QueryPlan(where == null ? "" : where, expr, parsed, fromMs, toMs, bucketMs, zone, false);
  }

  /** This plan, reading paths from the sketches alone or not. */
  public QueryPlan withPathsFromSketches(final boolean fromSketches) {
    return new QueryPlan(whereText, where, select, fromMs, toMs, bucketMs, zone, fromSketches);
  }

  /** Number of buckets over the range. */
  public int buckets() {
    return (int) ((toMs - fromMs + bucketMs - 1) / bucketMs);
  }

  /**
   * Checks every module and attribute index against the catalogue ({@code module -> k}), and that decoded
   * attribute comparisons order ({@code =} and {@code !=} on a noisy decoded mean are refused).
   *
   * @throws QueryException naming the first problem and its column
   */
  public void validate(final Map<String, Integer> attributeLengths) {
    check(where, attributeLengths);
    for (final SelectItem item : select) {
      try {
        if (item instanceof SelectItem.Mean m) {
          path(m.path(), attributeLengths);
          index(m.path(), m.index(), m.path().column(), attributeLengths);
        } else if (item instanceof SelectItem.Mass m) {
          path(m.path(), attributeLengths);
        }
      } catch (QueryException e) {
        throw new QueryException("select '" + item.text() + "': " + e.getMessage(), e.column());
      }
    }
  }

  private static void check(final Expr e, final Map<String, Integer> k) {
    if (e instanceof Expr.Present p) {
      module(p.module(), p.column(), k);
    } else if (e instanceof Expr.CountCmp c) {
      module(c.module(), c.column(), k);
    } else if (e instanceof Expr.PathPresent p) {
      path(p.path(), k);
    } else if (e instanceof Expr.AttrCmp c) {
      path(c.path(), k);
      index(c.path(), c.index(), c.column(), k);
      if (!c.path().single() && !c.op().ordering()) {
        throw QueryException.at("where: '" + c.op().symbol() + "' cannot test a mean decoded from sketches "
            + "(" + c.path() + "[" + c.index() + "]); use <, <=, > or >=", c.column());
      }
    } else if (e instanceof Expr.Not n) {
      check(n.inner(), k);
    } else if (e instanceof Expr.And a) {
      check(a.left(), k);
      check(a.right(), k);
    } else if (e instanceof Expr.Or o) {
      check(o.left(), k);
      check(o.right(), k);
    }
  }

  private static void path(final Path path, final Map<String, Integer> k) {
    for (final String m : path.modules()) {
      module(m, path.column(), k);
    }
  }

  private static void module(final String module, final int column, final Map<String, Integer> k) {
    if (!k.containsKey(module)) {
      throw QueryException.at("unknown module '" + module + "' (never seen)", column);
    }
  }

  private static void index(final Path path, final int index, final int column, final Map<String, Integer> k) {
    final int length = k.get(path.last());
    if (index >= length) {
      throw QueryException.at("attribute index " + index + " out of range: module '" + path.last() + "' has "
          + length + " attribute" + (length == 1 ? "" : "s") + " (0.." + (length - 1) + ")", column);
    }
  }
}
