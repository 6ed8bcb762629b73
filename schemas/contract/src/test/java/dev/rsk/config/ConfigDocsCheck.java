package dev.rsk.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Holds a configuration table of the docs equal to the table rendered from the {@code ConfigDef}s. With
 * {@code -Drsk.docs.write=true} it rewrites the table instead of failing.
 */
public final class ConfigDocsCheck {

  /** System property that makes {@link #check} rewrite the docs. */
  public static final String WRITE_PROPERTY = "rsk.docs.write";

  private ConfigDocsCheck() {}

  /**
   * Checks (or rewrites) the table {@code name} of {@code document}, a path relative to the repository root
   * (found by walking up from the working directory).
   *
   * @param regenerate the command that rewrites it, quoted in the failure message
   * @throws AssertionError if the table differs from {@code expected} and writing was not asked for
   */
  public static void check(final String document, final String name, final String expected,
      final String regenerate) throws IOException {
    final Path file = find(document);
    final String text = Files.readString(file, StandardCharsets.UTF_8);
    final String actual = ConfigDocs.block(text, name);
    if (actual.equals(expected)) {
      return;
    }
    if (Boolean.getBoolean(WRITE_PROPERTY)) {
      Files.writeString(file, ConfigDocs.withBlock(text, name, expected), StandardCharsets.UTF_8);
      return;
    }
    throw new AssertionError(document + ": the configuration table '" + name + "' is not the one declared in"
        + " the code (a key was added, removed or changed). Regenerate it with\n  " + regenerate
        + "\nExpected:\n" + expected + "Found:\n" + actual);
  }

  private static Path find(final String document) throws IOException {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(document))) {
        return dir.resolve(document);
      }
    }
    throw new IOException(document + " not found above " + Path.of("").toAbsolutePath());
  }
}
