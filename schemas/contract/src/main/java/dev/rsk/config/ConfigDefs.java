package dev.rsk.config;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Validator;
import org.apache.kafka.common.config.ConfigDef.Width;

/**
 * Helpers to declare a role's keys once in a {@link ConfigDef}: its own keys ({@code rsk.*}), and the
 * Kafka keys it documents or gives a default of its own, declared as {@code kafka.X}.
 */
public final class ConfigDefs {

  private ConfigDefs() {}

  /**
   * Declares a key in {@code group} (the docs render a table per group).
   *
   * @param shownDefault what the docs show as the default instead of {@code defaultValue} (e.g. "the host
   *     name" for a default computed at run time); null to show {@code defaultValue}
   * @return {@code def}
   * @throws org.apache.kafka.common.config.ConfigException if the key is declared twice or the default is
   *     invalid
   */
  public static ConfigDef define(final ConfigDef def, final String group, final String name, final Type type,
      final Object defaultValue, final Validator validator, final Importance importance, final String doc,
      final String shownDefault) {
    return def.define(name, type, defaultValue, validator, importance, doc, group, -1, Width.NONE, name,
        List.of(), null, shownDefault);
  }

  /** {@link #define(ConfigDef, String, String, Type, Object, Validator, Importance, String, String)}, default shown as is. */
  public static ConfigDef define(final ConfigDef def, final String group, final String name, final Type type,
      final Object defaultValue, final Validator validator, final Importance importance, final String doc) {
    return define(def, group, name, type, defaultValue, validator, importance, doc, null);
  }

  /**
   * The defaults a role gives Kafka: each {@code kafka.X} key of {@code def} with a default (not null, not
   * {@link ConfigDef#NO_DEFAULT_VALUE}), as {@code X}; classes as their names. Sorted by key.
   */
  public static Map<String, Object> kafkaDefaults(final ConfigDef def) {
    final Map<String, Object> out = new TreeMap<>();
    for (final ConfigKey key : def.configKeys().values()) {
      final Object value = key.defaultValue;
      if (key.name.startsWith(ConfigLoader.KAFKA_PREFIX) && value != null && value != ConfigDef.NO_DEFAULT_VALUE) {
        out.put(key.name.substring(ConfigLoader.KAFKA_PREFIX.length()),
            value instanceof Class<?> c ? c.getName() : value);
      }
    }
    return out;
  }
}
