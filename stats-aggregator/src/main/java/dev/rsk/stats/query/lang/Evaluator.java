package dev.rsk.stats.query.lang;

import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Evaluates a {@code where} expression on one {@link QueryRecord}. Exact terms read the record; a path
 * is first checked exactly (every module of it must be in the record, and with the record's edges the
 * path is exact); an attribute comparison on a path is exact from the record's sums when the edges show
 * that the path selects every object of its last module ({@link #wholeModule}). Otherwise, or with {@code
 * pathsFromSketches}, a path is decoded from the sketch by {@link PathDecoder}: true when some branch's
 * presence reaches the significance threshold, with probability {@code 1 - prod(1 - Phi(z_b))}, {@code
 * z_b = (presence_b - tau) / sigma}, and, when the network saw the path's first module, a {@link
 * Truth.Calibration} the scan turns into a calibrated probability ({@link Calibrations}). A decoded attribute
 * comparison estimates the mean as the ratio of the significant branches' summed readouts, with the
 * delta-method error {@code sigma_c sqrt(n (1 + m^2)) / |sum r0|}, and is true with probability {@code P(path)
 * Phi(+-(m - x) / se)}. {@code &} and {@code |}
 * evaluate a side without paths first, and skip the other side when the first decides exactly (the
 * combination is symmetric, so the order changes only the cost). Thread-confined.
 */
public final class Evaluator {

  private final PathDecoder paths;
  private final LocalClock clock;
  private final boolean pathsFromSketches;

  public Evaluator(final dev.rsk.sketch.DecoderCache decoders, final ZoneId zone) {
    this(decoders, zone, Slots.POSITIONAL, false);
  }

  /**
   * With the slots a decoded path tries ({@link Slots}), and whether paths of two modules or more are read
   * from the sketches alone (the records' edges and sums unused for them, as for a record without edges).
   */
  public Evaluator(final dev.rsk.sketch.DecoderCache decoders, final ZoneId zone, final Slots slots,
      final boolean pathsFromSketches) {
    this.paths = new PathDecoder(decoders, slots);
    this.clock = new LocalClock(zone);
    this.pathsFromSketches = pathsFromSketches;
  }

  public Truth eval(final Expr e, final QueryRecord r) {
    if (e instanceof Expr.All) {
      return Truth.TRUE;
    } else if (e instanceof Expr.Present p) {
      return Truth.exact(r.count(p.module()) > 0);
    } else if (e instanceof Expr.CountCmp c) {
      return Truth.exact(c.op().test(r.count(c.module()), c.value()));
    } else if (e instanceof Expr.Source s) {
      return Truth.exact(r.sourceIs(s.source()) == s.equal());
    } else if (e instanceof Expr.Hour h) {
      return Truth.exact(within(clock.hour(r.eventTime()), h.from(), h.to()));
    } else if (e instanceof Expr.Weekday w) {
      return Truth.exact(within(clock.weekday(r.eventTime()), w.from(), w.to()));
    } else if (e instanceof Expr.Not n) {
      return eval(n.inner(), r).not();
    } else if (e instanceof Expr.And a) {
      // the side that reads only the record first: it often decides without decoding the other
      final boolean swap = !cheap(a.left()) && cheap(a.right());
      final Truth first = eval(swap ? a.right() : a.left(), r);
      return first.exact() && !first.value() ? Truth.FALSE : first.and(eval(swap ? a.left() : a.right(), r));
    } else if (e instanceof Expr.Or o) {
      final boolean swap = !cheap(o.left()) && cheap(o.right());
      final Truth first = eval(swap ? o.right() : o.left(), r);
      return first.exact() && first.value() ? Truth.TRUE : first.or(eval(swap ? o.left() : o.right(), r));
    } else if (e instanceof Expr.PathPresent p) {
      return path(p.path(), r);
    } else if (e instanceof Expr.AttrCmp c) {
      return attribute(c, r);
    }
    throw new IllegalArgumentException("unknown expression " + e);
  }

  /** Whether {@code e} has no path of two modules or more (nothing that may decode a sketch). */
  static boolean cheap(final Expr e) {
    if (e instanceof Expr.PathPresent p) {
      return p.path().single();
    } else if (e instanceof Expr.AttrCmp c) {
      return c.path().single();
    } else if (e instanceof Expr.Not n) {
      return cheap(n.inner());
    } else if (e instanceof Expr.And a) {
      return cheap(a.left()) && cheap(a.right());
    } else if (e instanceof Expr.Or o) {
      return cheap(o.left()) && cheap(o.right());
    }
    return true;
  }

  /** {@code v} in [from, to], wrapping when from > to (hour(22..2), weekday(sat..mon)). */
  static boolean within(final int v, final int from, final int to) {
    return from <= to ? v >= from && v <= to : v >= from || v <= to;
  }

  private Truth path(final Path path, final QueryRecord r) {
    final Truth known = exactPath(path, r);
    if (known != null) {
      return known;
    }
    final PathDecoder.Branches b = paths.decode(r.sketch(), path, -1);
    return new Truth(b.significant() > 0, b.probability(), false, false, b.calibration(path, 0.0, 1.0));
  }

  /** The path's exact value when the record decides it (a module missing, or edges carried), else null. */
  private Truth exactPath(final Path path, final QueryRecord r) {
    final List<String> modules = path.modules();
    for (final String m : modules) {
      if (r.count(m) <= 0) {
        return Truth.FALSE;
      }
    }
    if (modules.size() == 1) {
      return Truth.TRUE;
    }
    if (!r.hasEdges() || pathsFromSketches) {
      return null;
    }
    for (int i = 0; i + 1 < modules.size(); i++) {
      if (!r.edge(modules.get(i), modules.get(i + 1))) {
        return Truth.FALSE;
      }
    }
    // module-level edges chain through the same object when each intermediate module has one object, or
    // when every object of the last module sits on the path
    for (int i = 1; i + 1 < modules.size(); i++) {
      if (r.count(modules.get(i)) > 1) {
        return wholeModule(path, r) ? Truth.TRUE : null;
      }
    }
    return Truth.TRUE;
  }

  /**
   * The number of objects of the path's last module that the path selects, when the record tells it exactly:
   * all of them for one module; for a longer path, 0 when the record shows the path absent and all of them
   * when {@link #wholeModule}; else -1 (only the sketch can tell).
   */
  int selected(final Path path, final QueryRecord r) {
    return selected(path, r, exactPath(path, r));
  }

  /** {@link #selected(Path, QueryRecord)} given the path's {@link #exactPath} value, {@code exists}. */
  private static int selected(final Path path, final QueryRecord r, final Truth exists) {
    if (exists != null && !exists.value()) {
      return 0;
    }
    return path.single() || exists != null && wholeModule(path, r) ? r.count(path.last()) : -1;
  }

  /**
   * Whether the record's edges show that the path {@code m0/m1/.../mk} (k >= 1, distinct modules, all in the
   * record) selects every object of {@code mk}: each {@code mi} after the first has no parent module but
   * {@code m(i-1)}, and {@code m1} does not reach {@code m0}. Every object but the root is an input of some
   * object of a complete inference, so each {@code mi} object then has an {@code m(i-1)} parent; the root
   * could sit in a path module only if that module reached {@code m(i-1)}, hence (the parents being single)
   * {@code m1} reached {@code m0}.
   */
  static boolean wholeModule(final Path path, final QueryRecord r) {
    final List<String> m = path.modules();
    if (!r.hasEdges() || m.size() < 2 || new HashSet<>(m).size() != m.size()) {
      return false;
    }
    for (int i = 1; i < m.size(); i++) {
      if (!r.parents(m.get(i)).equals(Set.of(m.get(i - 1)))) {
        return false;
      }
    }
    return !ancestors(m.get(0), r).contains(m.get(1));
  }

  /** The modules with a path of edges into {@code module}. */
  private static Set<String> ancestors(final String module, final QueryRecord r) {
    final Set<String> seen = new HashSet<>();
    final Deque<String> todo = new ArrayDeque<>(List.of(module));
    while (!todo.isEmpty()) {
      for (final String p : r.parents(todo.pop())) {
        if (seen.add(p)) {
          todo.push(p);
        }
      }
    }
    return seen;
  }

  private Truth attribute(final Expr.AttrCmp c, final QueryRecord r) {
    final Truth exists = exactPath(c.path(), r);
    final int objects = selected(c.path(), r, exists);
    if (objects == 0) {
      return Truth.FALSE;
    }
    if (objects > 0) {
      final double sum = r.attributeSum(c.path().last(), c.index());
      if (!Double.isNaN(sum)) {
        return Truth.exact(c.op().test(sum / objects, c.value()));
      }
    }
    final PathDecoder.Branches b = paths.decode(r.sketch(), c.path(), c.index());
    double r0 = 0;
    double ri = 0;
    for (int i = 0; i < b.presence().length; i++) {
      if (b.presence()[i] >= b.tau()) {
        r0 += b.readouts()[i][0];
        ri += b.readouts()[i][c.index() + 1];
      }
    }
    final int n = b.significant();
    final double found = exists != null ? 1.0 : b.probability();
    if (n == 0) {
      // not found: whether it would compare is unknown, a fair coin weighted by the chance it was missed;
      // undecided when the record shows the path is there
      return exists != null ? Truth.unreadable(0.5)
          : new Truth(false, found * 0.5, false, false, b.calibration(c.path(), 0.0, 0.5));
    }
    final double mean = ri / r0;
    final double se = b.sigma() / Math.sqrt(2.0) * Math.sqrt(n * (1 + mean * mean)) / Math.abs(r0);
    final double z = (mean - c.value()) / se;
    final double passes = c.op() == Cmp.GT || c.op() == Cmp.GE ? Normal.cdf(z) : Normal.cdf(-z);
    return new Truth(c.op().test(mean, c.value()), found * passes, false, false,
        exists != null ? null : b.calibration(c.path(), 0.0, passes));
  }
}
