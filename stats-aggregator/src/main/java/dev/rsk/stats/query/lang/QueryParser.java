package dev.rsk.stats.query.lang;

import dev.rsk.stats.query.lang.Lexer.Kind;
import dev.rsk.stats.query.lang.Lexer.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Recursive-descent parser of the memory query language (system.md, "Memory queries"):
 *
 * <pre>
 *   where   := or
 *   or      := and ('|' and)*
 *   and     := unary ('&amp;' unary)*
 *   unary   := '!' unary | '(' or ')' | term
 *   term    := 'count' '(' NAME ')' CMP NUMBER
 *            | 'hour' '(' INT ('..' INT)? ')' | 'weekday' '(' DAY ('..' DAY)? ')'
 *            | 'source' ('=' | '!=') STRING
 *            | path ('[' INT ']' CMP NUMBER)?
 *   path    := NAME ('/' NAME)*
 *   select  := 'count' | 'fraction' | 'hours' | 'mean' '(' path '[' INT ']' ')' | 'mass' '(' path ')'
 * </pre>
 *
 * {@code count}, {@code hour} and {@code weekday} are keywords only before {@code (}, {@code source}
 * only before a comparison, so a module may carry those names. Every error is a {@link QueryException}
 * naming the 1-based column; limits are those of {@link QueryLimits}.
 */
public final class QueryParser {

  private static final List<String> DAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

  private final List<Token> tokens;
  private int at;
  private int depth;
  private int terms;

  private QueryParser(final List<Token> tokens) {
    this.tokens = tokens;
  }

  /** Parses a {@code where} expression; null or blank text is {@link Expr.All}. */
  public static Expr where(final String text) {
    if (text == null || text.isBlank()) {
      return new Expr.All();
    }
    if (text.length() > QueryLimits.MAX_EXPRESSION_CHARS) {
      throw new QueryException("expression of " + text.length() + " characters is longer than the maximum of "
          + QueryLimits.MAX_EXPRESSION_CHARS, 0);
    }
    final QueryParser p = new QueryParser(Lexer.tokens(text));
    final Expr e = p.or();
    p.expectEnd("'&', '|' or end of expression");
    return e;
  }

  /** Parses one {@code select} item. */
  public static SelectItem select(final String text) {
    if (text == null || text.isBlank()) {
      throw new QueryException("empty select item", 0);
    }
    if (text.length() > QueryLimits.MAX_SELECT_CHARS) {
      throw new QueryException("select item longer than " + QueryLimits.MAX_SELECT_CHARS + " characters", 0);
    }
    final QueryParser p = new QueryParser(Lexer.tokens(text));
    final Token t = p.expect(Kind.NAME, "count, fraction, hours, mean(PATH[i]) or mass(PATH)");
    final String key = text.strip();
    final SelectItem item;
    if (t.text().equals("count")) {
      item = new SelectItem.Count(key);
    } else if (t.text().equals("fraction")) {
      item = new SelectItem.Fraction(key);
    } else if (t.text().equals("hours")) {
      item = new SelectItem.Hours(key);
    } else if (t.text().equals("mean")) {
      p.expect(Kind.LPAREN, "'('");
      final Path path = p.path(p.expect(Kind.NAME, "a module"));
      final int index = p.index();
      p.expect(Kind.RPAREN, "')'");
      item = new SelectItem.Mean(key, path, index);
    } else if (t.text().equals("mass")) {
      p.expect(Kind.LPAREN, "'('");
      final Path path = p.path(p.expect(Kind.NAME, "a module"));
      p.expect(Kind.RPAREN, "')'");
      item = new SelectItem.Mass(key, path);
    } else {
      throw QueryException.at("unknown select item '" + t.text()
          + "' (count, fraction, hours, mean(PATH[i]) or mass(PATH))", t.column());
    }
    p.expectEnd("end of select item");
    return item;
  }

  private Expr or() {
    Expr left = and();
    while (peek().kind() == Kind.OR) {
      at++;
      left = new Expr.Or(left, and());
    }
    return left;
  }

  private Expr and() {
    Expr left = unary();
    while (peek().kind() == Kind.AND) {
      at++;
      left = new Expr.And(left, unary());
    }
    return left;
  }

  private Expr unary() {
    final Token t = peek();
    if (t.kind() == Kind.NOT || t.kind() == Kind.LPAREN) {
      if (++depth > QueryLimits.MAX_DEPTH) {
        throw QueryException.at("expression nested deeper than " + QueryLimits.MAX_DEPTH, t.column());
      }
      at++;
      final Expr e;
      if (t.kind() == Kind.NOT) {
        e = new Expr.Not(unary());
      } else {
        e = or();
        expect(Kind.RPAREN, "')'");
      }
      depth--;
      return e;
    }
    if (++terms > QueryLimits.MAX_TERMS) {
      throw QueryException.at("more than " + QueryLimits.MAX_TERMS + " terms", t.column());
    }
    return term();
  }

  private Expr term() {
    final Token t = expect(Kind.NAME, "a module, count(...), hour(...), weekday(...), source, '!' or '('");
    final Kind after = peek().kind();
    if (after == Kind.LPAREN) {
      if (t.text().equals("count")) {
        return count(t);
      } else if (t.text().equals("hour")) {
        return hour();
      } else if (t.text().equals("weekday")) {
        return weekday();
      }
      throw QueryException.at("unknown function '" + t.text() + "' (count, hour or weekday)", t.column());
    }
    if (t.text().equals("source") && after == Kind.CMP) {
      final Token op = next();
      if (!op.text().equals("=") && !op.text().equals("!=")) {
        throw QueryException.at("source compares with = or !=, not " + op.text(), op.column());
      }
      return new Expr.Source(expect(Kind.STRING, "a double-quoted string").text(), op.text().equals("="));
    }
    final Path path = path(t);
    if (peek().kind() != Kind.LBRACK) {
      return path.single() ? new Expr.Present(path.last(), t.column()) : new Expr.PathPresent(path);
    }
    final int index = index();
    final Cmp op = cmp();
    return new Expr.AttrCmp(path, index, op, number(), t.column());
  }

  private Expr count(final Token t) {
    at++;
    final Token m = expect(Kind.NAME, "a module");
    if (peek().kind() == Kind.SLASH) {
      throw QueryException.at("count() takes one module, not a path", peek().column());
    }
    expect(Kind.RPAREN, "')'");
    final Cmp op = cmp();
    return new Expr.CountCmp(m.text(), op, number(), t.column());
  }

  private Expr hour() {
    at++;
    final int from = hourOfDay();
    final int to = peek().kind() == Kind.DOTDOT ? skip(this::hourOfDay) : from;
    expect(Kind.RPAREN, "')'");
    return new Expr.Hour(from, to);
  }

  private Expr weekday() {
    at++;
    final int from = day();
    final int to = peek().kind() == Kind.DOTDOT ? skip(this::day) : from;
    expect(Kind.RPAREN, "')'");
    return new Expr.Weekday(from, to);
  }

  private int skip(final java.util.function.IntSupplier then) {
    at++;
    return then.getAsInt();
  }

  private int hourOfDay() {
    final Token t = expect(Kind.NUMBER, "an hour 0..23");
    final double h = value(t);
    if (h != Math.rint(h) || h < 0 || h > 23) {
      throw QueryException.at("hour must be a whole number 0..23, got " + t.text(), t.column());
    }
    return (int) h;
  }

  private int day() {
    final Token t = expect(Kind.NAME, "a day (mon, tue, wed, thu, fri, sat, sun)");
    final String s = t.text().toLowerCase(Locale.ROOT);
    final int i = s.length() >= 3 ? DAYS.indexOf(s.substring(0, 3)) : -1;
    if (i < 0 || !DAY_NAMES.get(i).startsWith(s)) {
      throw QueryException.at("unknown day '" + t.text() + "' (mon, tue, wed, thu, fri, sat, sun)", t.column());
    }
    return i + 1;
  }

  private static final List<String> DAY_NAMES =
      List.of("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday");

  private Path path(final Token first) {
    final List<String> modules = new ArrayList<>();
    modules.add(first.text());
    while (peek().kind() == Kind.SLASH) {
      at++;
      final Token m = expect(Kind.NAME, "a module after '/'");
      modules.add(m.text());
      if (modules.size() > QueryLimits.MAX_PATH_MODULES) {
        throw QueryException.at("path longer than " + QueryLimits.MAX_PATH_MODULES + " modules", m.column());
      }
    }
    return new Path(modules, first.column());
  }

  private int index() {
    expect(Kind.LBRACK, "'['");
    final Token t = expect(Kind.NUMBER, "an attribute index");
    final double i = value(t);
    if (i != Math.rint(i) || i < 0 || i > Integer.MAX_VALUE) {
      throw QueryException.at("attribute index must be a whole number >= 0, got " + t.text(), t.column());
    }
    expect(Kind.RBRACK, "']'");
    return (int) i;
  }

  private Cmp cmp() {
    return Cmp.of(expect(Kind.CMP, "a comparison (>, >=, <, <=, =, !=)").text());
  }

  private double number() {
    return value(expect(Kind.NUMBER, "a number"));
  }

  private static double value(final Token t) {
    final double v = Double.parseDouble(t.text());
    if (!Double.isFinite(v)) {
      throw QueryException.at("number out of range: " + t.text(), t.column());
    }
    return v;
  }

  private Token peek() {
    return tokens.get(at);
  }

  private Token next() {
    return tokens.get(at++);
  }

  private Token expect(final Kind kind, final String what) {
    final Token t = peek();
    if (t.kind() != kind) {
      throw new QueryException("expected " + what + " at column " + t.column() + ", found " + t.describe(),
          t.column());
    }
    at++;
    return t;
  }

  private void expectEnd(final String what) {
    if (peek().kind() != Kind.END) {
      throw new QueryException("expected " + what + " at column " + peek().column() + ", found "
          + peek().describe(), peek().column());
    }
  }
}
