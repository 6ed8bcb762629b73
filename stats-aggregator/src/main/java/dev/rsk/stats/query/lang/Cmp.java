package dev.rsk.stats.query.lang;

/** A comparison operator of the query language. */
public enum Cmp {
  GT(">"), GE(">="), LT("<"), LE("<="), EQ("="), NE("!=");

  private final String symbol;

  Cmp(final String symbol) {
    this.symbol = symbol;
  }

  public String symbol() {
    return symbol;
  }

  /** {@code a op b}. */
  public boolean test(final double a, final double b) {
    return switch (this) {
      case GT -> a > b;
      case GE -> a >= b;
      case LT -> a < b;
      case LE -> a <= b;
      case EQ -> a == b;
      case NE -> a != b;
    };
  }

  /** Whether the operator orders (meaningful on a decoded, noisy value); = and != are not. */
  public boolean ordering() {
    return this != EQ && this != NE;
  }

  static Cmp of(final String symbol) {
    for (final Cmp c : values()) {
      if (c.symbol.equals(symbol)) {
        return c;
      }
    }
    throw new IllegalArgumentException(symbol);
  }
}
