package dev.rsk.cli;

import java.io.PrintStream;

/**
 * One status line on stderr: rewritten in place on a terminal, one line per update (at most every few seconds)
 * when redirected, so logs stay readable.
 */
final class ProgressLine {

  private static final long LOG_INTERVAL_NANOS = 5_000_000_000L;

  private final PrintStream out;
  private final boolean terminal;
  private long lastLogged;
  private int lastLength;

  ProgressLine(final PrintStream out) {
    this.out = out;
    this.terminal = System.console() != null;
  }

  /** Shows {@code text} now on a terminal, or if enough time passed since the last line otherwise. */
  synchronized void update(final String text) {
    if (terminal) {
      final String padded = text.length() < lastLength ? text + " ".repeat(lastLength - text.length()) : text;
      out.print("\r" + padded);
      lastLength = text.length();
      out.flush();
    } else {
      final long now = System.nanoTime();
      if (lastLogged == 0 || now - lastLogged >= LOG_INTERVAL_NANOS) {
        lastLogged = now;
        out.println(text);
      }
    }
  }

  /** Shows {@code text} as the final state of the line and moves on. */
  synchronized void done(final String text) {
    if (terminal) {
      update(text);
      out.println();
    } else {
      out.println(text);
    }
    lastLength = 0;
    lastLogged = 0;
  }
}
