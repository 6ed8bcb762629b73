package dev.rsk.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import org.apache.kafka.common.config.ConfigDef.LambdaValidator;
import org.apache.kafka.common.config.ConfigDef.Validator;
import org.apache.kafka.common.config.ConfigException;

/**
 * Validators (and the matching parsers) for values {@link org.apache.kafka.common.config.ConfigDef} has no
 * type of: ISO-8601 durations and 64-bit integers written in hex. Their {@code toString} is the "valid
 * values" column of the docs. Rejections throw {@link ConfigException} naming the key and the value.
 */
public final class Validators {

  private static final String HEX = "0x";

  private Validators() {}

  /** A string that is not null, empty or blank. */
  public static Validator nonBlank() {
    return LambdaValidator.with((name, value) -> {
      if (value == null || value.toString().isBlank()) {
        throw new ConfigException(name, value, "must not be empty");
      }
    }, () -> "non-empty string");
  }

  /** An ISO-8601 duration ({@code PT2S}, {@code P400D}); null or blank accepted (the default applies). */
  public static Validator isoDuration() {
    return LambdaValidator.with((name, value) -> {
      if (value != null && !value.toString().isBlank()) {
        parseDuration(name, value.toString());
      }
    }, () -> "ISO-8601 duration, e.g. PT2S, P400D");
  }

  /** A 64-bit integer, decimal or {@code 0x}-prefixed hex (see {@link #parseLong}). */
  public static Validator longLiteral() {
    return LambdaValidator.with((name, value) -> {
      try {
        parseLong(value == null ? "" : value.toString());
      } catch (NumberFormatException e) {
        throw new ConfigException(name, value, "must be an integer (decimal, or hex after 0x)");
      }
    }, () -> "integer, decimal or 0x-prefixed hex");
  }

  /**
   * Parses a decimal {@code long}, or {@code 0x} followed by up to 16 hex digits read as an unsigned 64-bit
   * value (so {@code 0xFFFFFFFFFFFFFFFF} is -1).
   *
   * @throws NumberFormatException if {@code text} is neither
   */
  public static long parseLong(final String text) {
    return text.startsWith(HEX) ? Long.parseUnsignedLong(text.substring(HEX.length()), 16) : Long.parseLong(text);
  }

  /** {@code value} as {@code 0x} and upper-case hex digits, the form {@link #parseLong} reads back. */
  public static String hex(final long value) {
    return HEX + Long.toHexString(value).toUpperCase(Locale.ROOT);
  }

  /**
   * Parses an ISO-8601 duration.
   *
   * @throws ConfigException naming {@code key} if {@code text} is not one
   */
  public static Duration parseDuration(final String key, final String text) {
    try {
      return Duration.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw new ConfigException(key, text, "must be an ISO-8601 duration (e.g. P400D)");
    }
  }

  /** {@code d} in ISO-8601, whole days as days ({@code P400D}, not {@code PT9600H}). */
  public static String iso(final Duration d) {
    return !d.isZero() && d.getNano() == 0 && d.getSeconds() % 86_400 == 0
        ? "P" + d.toDays() + "D" : d.toString();
  }
}
