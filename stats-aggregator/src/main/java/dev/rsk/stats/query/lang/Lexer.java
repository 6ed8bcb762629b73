package dev.rsk.stats.query.lang;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits query text into tokens, each with its 1-based column. Names are letters, digits and {@code _ -
 * :} (and {@code .} not followed by another {@code .}), starting with a letter or {@code _}; numbers are
 * decimal with an optional sign, fraction and exponent; strings are double-quoted with {@code \"} and
 * {@code \\} escapes.
 */
final class Lexer {

  enum Kind { NAME, NUMBER, STRING, LPAREN, RPAREN, LBRACK, RBRACK, SLASH, AND, OR, NOT, CMP, DOTDOT, END }

  record Token(Kind kind, String text, int column) {
    String describe() {
      return kind == Kind.END ? "end of text" : "'" + text + "'";
    }
  }

  private final String text;
  private int pos;

  private Lexer(final String text) {
    this.text = text;
  }

  static List<Token> tokens(final String text) {
    final Lexer lexer = new Lexer(text);
    final List<Token> out = new ArrayList<>();
    Token t;
    do {
      t = lexer.next();
      out.add(t);
    } while (t.kind() != Kind.END);
    return out;
  }

  private Token next() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
    final int start = pos;
    final int column = start + 1;
    if (pos >= text.length()) {
      return new Token(Kind.END, "", column);
    }
    final char c = text.charAt(pos);
    if (isNameStart(c)) {
      pos++;
      while (pos < text.length() && isNamePart(pos)) {
        pos++;
      }
      return new Token(Kind.NAME, text.substring(start, pos), column);
    }
    if (Character.isDigit(c) || (c == '-' || c == '+' || c == '.') && pos + 1 < text.length()
        && Character.isDigit(text.charAt(pos + 1))) {
      return number(start);
    }
    if (c == '"') {
      return string(start);
    }
    pos++;
    return switch (c) {
      case '(' -> new Token(Kind.LPAREN, "(", column);
      case ')' -> new Token(Kind.RPAREN, ")", column);
      case '[' -> new Token(Kind.LBRACK, "[", column);
      case ']' -> new Token(Kind.RBRACK, "]", column);
      case '/' -> new Token(Kind.SLASH, "/", column);
      case '&' -> new Token(Kind.AND, "&", column);
      case '|' -> new Token(Kind.OR, "|", column);
      case '!' -> follows('=') ? new Token(Kind.CMP, "!=", column) : new Token(Kind.NOT, "!", column);
      case '>' -> new Token(Kind.CMP, follows('=') ? ">=" : ">", column);
      case '<' -> new Token(Kind.CMP, follows('=') ? "<=" : "<", column);
      case '=' -> {
        follows('='); // == is accepted as =
        yield new Token(Kind.CMP, "=", column);
      }
      case '.' -> {
        if (!follows('.')) {
          throw QueryException.at("unexpected '.'", column);
        }
        yield new Token(Kind.DOTDOT, "..", column);
      }
      default -> throw QueryException.at("unexpected character '" + c + "'", column);
    };
  }

  private boolean follows(final char c) {
    if (pos < text.length() && text.charAt(pos) == c) {
      pos++;
      return true;
    }
    return false;
  }

  private Token number(final int start) {
    if (text.charAt(pos) == '-' || text.charAt(pos) == '+') {
      pos++;
    }
    digits();
    // a '.' starts a fraction only when a digit follows: 7..9 is 7, '..', 9
    if (pos + 1 < text.length() && text.charAt(pos) == '.' && Character.isDigit(text.charAt(pos + 1))) {
      pos++;
      digits();
    }
    if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
      final int mark = pos++;
      if (pos < text.length() && (text.charAt(pos) == '-' || text.charAt(pos) == '+')) {
        pos++;
      }
      if (pos < text.length() && Character.isDigit(text.charAt(pos))) {
        digits();
      } else {
        pos = mark;
      }
    }
    return new Token(Kind.NUMBER, text.substring(start, pos), start + 1);
  }

  private void digits() {
    while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
      pos++;
    }
  }

  private Token string(final int start) {
    final StringBuilder out = new StringBuilder();
    pos++;
    while (pos < text.length()) {
      final char c = text.charAt(pos++);
      if (c == '"') {
        return new Token(Kind.STRING, out.toString(), start + 1);
      }
      if (c == '\\' && pos < text.length()) {
        out.append(text.charAt(pos++));
      } else {
        out.append(c);
      }
    }
    throw QueryException.at("unterminated string starting", start + 1);
  }

  private static boolean isNameStart(final char c) {
    return Character.isLetter(c) || c == '_';
  }

  private boolean isNamePart(final int i) {
    final char c = text.charAt(i);
    if (c == '.') {
      return i + 1 < text.length() && text.charAt(i + 1) != '.' && isNameStart(text.charAt(i + 1))
          || i + 1 < text.length() && Character.isDigit(text.charAt(i + 1));
    }
    return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == ':';
  }
}
