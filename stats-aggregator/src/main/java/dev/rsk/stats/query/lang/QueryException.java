package dev.rsk.stats.query.lang;

/**
 * A memory query that cannot be answered as asked: a syntax error, an unknown module, an attribute index
 * out of range, an unsupported comparison or an exceeded limit. The message says what and, when the
 * problem sits at a place in the text, where ("expected ')' at column 17"); the HTTP layer answers 400.
 */
public final class QueryException extends RuntimeException {

  private final int column;

  /** @param column 1-based column of the problem in the text it names, or 0 when it has no place */
  public QueryException(final String message, final int column) {
    super(message);
    this.column = column;
  }

  /** 1-based column of the problem, 0 if none. */
  public int column() {
    return column;
  }

  static QueryException at(final String what, final int column) {
    return new QueryException(what + " at column " + column, column);
  }
}
