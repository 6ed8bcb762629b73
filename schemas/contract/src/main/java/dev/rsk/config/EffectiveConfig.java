package dev.rsk.config;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.types.Password;

/**
 * The effective configuration of a role as log text, secrets redacted. A value is secret if its key is
 * declared {@link Type#PASSWORD} by the role, or (after {@code kafka.} and a client prefix such as
 * {@code producer.} or {@code schema.registry.}) by Kafka's SSL / SASL client keys or the schema registry
 * serde's credential keys, or if the value is a {@link Password}, or, for keys nobody declared, if the key
 * names a password, secret, JAAS config, user info, credentials, token or PEM key.
 */
public final class EffectiveConfig {

  /** What a secret value is shown as. */
  public static final String REDACTED = "[redacted]";

  private static final Pattern SECRET_NAME = Pattern.compile(
      "(?i).*(password|secret|sasl\\.jaas\\.config|user\\.info|credentials|token|key\\.pem).*");

  /** Prefixes under which Kafka Streams and the serdes accept client keys. */
  private static final List<String> CLIENT_PREFIXES = List.of("restore.consumer.", "global.consumer.",
      "main.consumer.", "schema.registry.", "consumer.", "producer.", "admin.");

  /** Secret pass-through keys: Kafka's client SSL / SASL keys and the registry serde's credentials. */
  private static final ConfigDef KNOWN_SECRETS = new ConfigDef().withClientSslSupport().withClientSaslSupport()
      .define("basic.auth.user.info", Type.PASSWORD, null, Importance.MEDIUM,
          "user:password for the schema registry (serde key)")
      .define("bearer.auth.token", Type.PASSWORD, null, Importance.MEDIUM,
          "bearer token for the schema registry (serde key)");

  private EffectiveConfig() {}

  /**
   * One line per setting, {@code "  key = value"}, sorted by key, secret values shown as {@value #REDACTED}.
   *
   * @param settings our keys with their {@code rsk.} prefix and Kafka's with {@code kafka.}; null values are
   *     shown as {@code null}
   * @param own the role's declaration of its keys
   */
  public static String describe(final Map<String, ?> settings, final ConfigDef own) {
    final StringBuilder sb = new StringBuilder();
    new TreeMap<>(settings).forEach((key, value) -> sb.append("  ").append(key).append(" = ")
        .append(value instanceof Password || isSecret(key, own) ? REDACTED : value).append('\n'));
    return sb.toString();
  }

  /** Whether the value of {@code key} must not be shown (see the class comment). */
  public static boolean isSecret(final String key, final ConfigDef own) {
    if (isPassword(own, key)) {
      return true;
    }
    String name = key.startsWith(ConfigLoader.KAFKA_PREFIX) ? key.substring(ConfigLoader.KAFKA_PREFIX.length()) : key;
    for (final String prefix : CLIENT_PREFIXES) {
      if (name.startsWith(prefix)) {
        name = name.substring(prefix.length());
        break;
      }
    }
    return isPassword(KNOWN_SECRETS, name) || SECRET_NAME.matcher(key).matches();
  }

  private static boolean isPassword(final ConfigDef def, final String key) {
    final ConfigKey declared = def.configKeys().get(key);
    return declared != null && declared.type == Type.PASSWORD;
  }
}
