package dev.rsk.serde;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/** Serde property names (Confluent's) and their parsing. */
final class SerdeConfig {
  static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
  static final String USE_LATEST_VERSION = "use.latest.version";
  static final String REMOVE_JAVA_PROPERTIES = "avro.remove.java.properties";
  static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
  static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";
  private static final String TOPIC_NAME_STRATEGY = "io.confluent.kafka.serializers.subject.TopicNameStrategy";

  private SerdeConfig() {}

  static boolean bool(final Map<String, ?> config, final String key, final boolean dflt) {
    final Object v = config.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    final String s = v.toString().trim();
    if ("true".equalsIgnoreCase(s)) {
      return true;
    }
    if ("false".equalsIgnoreCase(s)) {
      return false;
    }
    throw new ConfigException(key, v, "must be true or false");
  }

  /** Only the topic name strategy ({@code <topic>-key}, {@code <topic>-value}) is supported: say so clearly. */
  static void checkSubjectStrategy(final Map<String, ?> config, final boolean isKey) {
    final String key = isKey ? KEY_SUBJECT_NAME_STRATEGY : VALUE_SUBJECT_NAME_STRATEGY;
    final Object v = config.get(key);
    if (v != null) {
      final String name = v instanceof Class<?> c ? c.getName() : v.toString().trim();
      if (!name.isEmpty() && !name.equals(TOPIC_NAME_STRATEGY)) {
        throw new ConfigException(key, v,
            "only " + TOPIC_NAME_STRATEGY + " (subjects <topic>-key / <topic>-value) is supported");
      }
    }
  }

  static String subject(final String topic, final boolean isKey) {
    return topic + (isKey ? "-key" : "-value");
  }
}
