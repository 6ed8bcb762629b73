package dev.rsk.stats.query.lang;

import java.util.List;

/**
 * A path {@code a/b/c}: a {@code b} that is an input (any slot) of an {@code a}, a {@code c} an input of
 * that {@code b}. One module is a path of length one: that module anywhere.
 *
 * @param modules root-most first, at least one
 * @param column 1-based column of the path in its text
 */
public record Path(List<String> modules, int column) {

  public Path {
    modules = List.copyOf(modules);
    if (modules.isEmpty()) {
      throw new IllegalArgumentException("empty path");
    }
  }

  /** The module the path selects (the last). */
  public String last() {
    return modules.get(modules.size() - 1);
  }

  public boolean single() {
    return modules.size() == 1;
  }

  @Override
  public String toString() {
    return String.join("/", modules);
  }
}
