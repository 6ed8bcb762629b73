package dev.rsk.config;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads a role's settings the way every rsk role does: a properties file, overridden by {@code RSK_*}
 * environment variables, split into our keys ({@code rsk.*}) and the keys passed to Kafka.
 *
 * <p>A variable {@code RSK_A_B_C} sets {@code kafka.a.b.c} if it starts with {@code RSK_KAFKA_}, else
 * {@code rsk.a.b.c} (lower case, underscores become dots); the environment wins over the file. Keys and
 * values are trimmed. {@code kafka.X} is passed to Kafka (Streams, clients, serdes) as {@code X}; a key with
 * neither prefix is passed unchanged (e.g. {@code schema.registry.url}). Give {@code kafka.X} or {@code X},
 * not both (the one later in sort order would win). Nothing is validated here. {@link #LAUNCHER_VARIABLES} are
 * the {@code rsk} launcher's own and set no key (else every role would refuse {@code rsk.java.opts} as unknown).
 */
public final class ConfigLoader {

  /** Prefix of our own keys. */
  public static final String OWN_PREFIX = "rsk.";
  /** Prefix of keys passed to Kafka with the prefix stripped. */
  public static final String KAFKA_PREFIX = "kafka.";
  /** Prefix of environment variables that override keys. */
  public static final String ENV_PREFIX = "RSK_";
  /** Variables of the {@code rsk} launcher script, not settings: {@code RSK_JAVA_OPTS} (the JVM's options). */
  public static final Set<String> LAUNCHER_VARIABLES = Set.of("RSK_JAVA_OPTS");

  private ConfigLoader() {}

  /**
   * The settings of a file and an environment.
   *
   * @param own our keys, with their {@code rsk.} prefix, sorted
   * @param kafka the Kafka keys, {@code kafka.} prefix stripped, sorted
   */
  public record Settings(Map<String, String> own, Map<String, String> kafka) {}

  /** The settings of {@code file} overridden by {@code env} (see the class comment). */
  public static Settings load(final Properties file, final Map<String, String> env) {
    final Map<String, String> merged = new TreeMap<>();
    for (final String name : file.stringPropertyNames()) {
      merged.put(name.trim(), file.getProperty(name).trim());
    }
    merged.putAll(envOverrides(env));
    final Map<String, String> own = new TreeMap<>();
    final Map<String, String> kafka = new TreeMap<>();
    merged.forEach((key, value) -> {
      if (key.startsWith(OWN_PREFIX)) {
        own.put(key, value);
      } else if (key.startsWith(KAFKA_PREFIX)) {
        kafka.put(key.substring(KAFKA_PREFIX.length()), value);
      } else {
        kafka.put(key, value);
      }
    });
    return new Settings(Collections.unmodifiableMap(own), Collections.unmodifiableMap(kafka));
  }

  /** The keys set by the {@code RSK_*} variables of {@code env} (see the class comment), sorted. */
  public static Map<String, String> envOverrides(final Map<String, String> env) {
    final Map<String, String> out = new TreeMap<>();
    env.forEach((name, value) -> {
      if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length() && !LAUNCHER_VARIABLES.contains(name)) {
        final String dotted = name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
        out.put(dotted.startsWith(KAFKA_PREFIX) ? dotted : OWN_PREFIX + dotted, value.trim());
      }
    });
    return out;
  }
}
