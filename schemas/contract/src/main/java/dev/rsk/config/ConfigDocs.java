package dev.rsk.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;

/**
 * Renders declared keys as the markdown tables of the docs, and finds / replaces such a table in a document,
 * where it sits between the lines {@code <!-- config-table:NAME -->} and {@code <!-- /config-table:NAME -->}.
 */
public final class ConfigDocs {

  private static final String HEADER = "| key | type | default | valid values | importance | description |\n"
      + "| --- | --- | --- | --- | --- | --- |\n";

  private ConfigDocs() {}

  /** The keys of {@code defs} in declaration order, one def after the other. */
  public static List<ConfigKey> keys(final ConfigDef... defs) {
    final List<ConfigKey> out = new ArrayList<>();
    for (final ConfigDef def : defs) {
      out.addAll(def.configKeys().values());
    }
    return out;
  }

  /**
   * A markdown table of {@code keys}, in their order: key, type, default ({@code (required)} without one, the
   * declared shown-default text if any, blank for null), valid values (the validator's description),
   * importance, doc. Ends with a newline.
   */
  public static String markdownTable(final Collection<ConfigKey> keys) {
    final StringBuilder sb = new StringBuilder(HEADER);
    for (final ConfigKey k : keys) {
      sb.append("| `").append(k.name).append("` | ")
          .append(k.type.name().toLowerCase(Locale.ROOT)).append(" | ")
          .append(cell(defaultText(k))).append(" | ")
          .append(k.validator == null ? "" : cell(k.validator.toString())).append(" | ")
          .append(k.importance.name().toLowerCase(Locale.ROOT)).append(" | ")
          .append(cell(k.documentation)).append(" |\n");
    }
    return sb.toString();
  }

  private static String defaultText(final ConfigKey k) {
    if (k.alternativeString != null) {
      return k.alternativeString;
    }
    if (k.defaultValue == ConfigDef.NO_DEFAULT_VALUE) {
      return "(required)";
    }
    if (k.defaultValue == null) {
      return "";
    }
    return "`" + ConfigDef.convertToString(k.defaultValue, k.type) + "`";
  }

  private static String cell(final String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }

  /**
   * The text between the markers of table {@code name} (see the class comment).
   *
   * @throws IllegalArgumentException if {@code document} lacks either marker or has them out of order
   */
  public static String block(final String document, final String name) {
    final int[] span = span(document, name);
    return document.substring(span[0], span[1]);
  }

  /** {@code document} with the text between the markers of table {@code name} replaced by {@code content}. */
  public static String withBlock(final String document, final String name, final String content) {
    final int[] span = span(document, name);
    return document.substring(0, span[0]) + content + document.substring(span[1]);
  }

  private static int[] span(final String document, final String name) {
    final String begin = "<!-- config-table:" + name + " -->\n";
    final String end = "<!-- /config-table:" + name + " -->";
    final int b = document.indexOf(begin);
    final int e = document.indexOf(end);
    if (b < 0 || e < b + begin.length()) {
      throw new IllegalArgumentException("no '" + begin.trim() + "' ... '" + end + "' lines, in this order");
    }
    return new int[] {b + begin.length(), e};
  }
}
