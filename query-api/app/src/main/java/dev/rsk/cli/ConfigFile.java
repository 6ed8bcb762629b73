package dev.rsk.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;

/** The properties file of {@code rsk server --config} and {@code rsk processor --config}. */
final class ConfigFile {

  private ConfigFile() {}

  /**
   * Reads {@code file} as UTF-8 properties.
   *
   * @throws IllegalArgumentException saying why, in words, when the file is missing, a directory, not readable or
   *     not UTF-8 text: the commands print it and exit with their bad-configuration code
   */
  static Properties load(final Path file) {
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException("the configuration file " + file + " is a directory");
    }
    final Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("the configuration file " + file + " does not exist", e);
    } catch (AccessDeniedException e) {
      throw new IllegalArgumentException("the configuration file " + file + " is not readable (permission denied)",
          e);
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("the configuration file " + file + " is not UTF-8 text", e);
    } catch (IOException | IllegalArgumentException e) {
      // Properties.load throws IllegalArgumentException for a malformed \\uXXXX escape.
      throw new IllegalArgumentException("the configuration file " + file + " cannot be read: " + e.getMessage(), e);
    }
    return p;
  }
}
