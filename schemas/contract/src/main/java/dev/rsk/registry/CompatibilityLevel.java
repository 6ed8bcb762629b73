package dev.rsk.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * The Confluent compatibility levels, checked with Avro's own {@link SchemaCompatibility}.
 * BACKWARD (the default): a consumer using the new schema can read data written with the latest
 * previous version. FORWARD: consumers of the previous version can read data written with the new
 * one. FULL: both. The {@code _TRANSITIVE} variants check every previous version, not just the latest.
 */
public enum CompatibilityLevel {
  NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE;

  /** Parses a level name case-insensitively; {@link IllegalArgumentException} listing the valid names otherwise. */
  public static CompatibilityLevel parse(final String name) {
    if (name != null) {
      try {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        // fall through to the clear message below
      }
    }
    throw new IllegalArgumentException("Invalid compatibility level '" + name + "'; valid levels: "
        + java.util.Arrays.toString(values()));
  }

  /**
   * The reasons {@code candidate} is incompatible with the existing versions of a subject
   * ({@code previous}, oldest first); empty when it is compatible.
   */
  public List<String> incompatibilities(final Schema candidate, final List<Schema> previous) {
    final List<String> problems = new ArrayList<>();
    if (this == NONE || previous.isEmpty()) {
      return problems;
    }
    final boolean transitive = name().endsWith("_TRANSITIVE");
    final List<Schema> against = transitive ? previous : List.of(previous.get(previous.size() - 1));
    final boolean backward = this != FORWARD && this != FORWARD_TRANSITIVE;
    final boolean forward = this != BACKWARD && this != BACKWARD_TRANSITIVE;
    for (final Schema old : against) {
      if (backward) {
        check(candidate, old, "new schema cannot read data written with an existing version", problems);
      }
      if (forward) {
        check(old, candidate, "an existing version cannot read data written with the new schema", problems);
      }
    }
    return problems;
  }

  private static void check(final Schema reader, final Schema writer, final String what, final List<String> problems) {
    final SchemaCompatibility.SchemaPairCompatibility result =
        SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
      result.getResult().getIncompatibilities().forEach(i ->
          problems.add(what + ": " + i.getType() + " at " + i.getLocation() + ": " + i.getMessage()));
    }
  }
}
