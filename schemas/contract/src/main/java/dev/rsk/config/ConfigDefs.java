package dev.rsk.config;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Validator;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Helpers to declare a role's keys once in a {@link ConfigDef}: its own keys ({@code rsk.*}), and the
 * Kafka keys it documents or gives a default of its own, declared as {@code kafka.X}.
 */
public final class ConfigDefs {

  /** Kafka Streams' prefix of the configs of the internal topics it creates ({@code StreamsConfig.TOPIC_PREFIX}). */
  public static final String STREAMS_TOPIC_PREFIX = "topic.";
  /** Default segment size of a Streams app's changelogs and repartition topics: 8 MB. */
  public static final int CHANGELOG_SEGMENT_BYTES = 8 << 20;
  /** Default segment roll time of those topics: 10 minutes. */
  public static final long CHANGELOG_SEGMENT_MS = 600_000L;
  /** Default share of superseded values at which a changelog is compacted. */
  public static final double CHANGELOG_DIRTY_RATIO = 0.2;

  /** The bound on the off-heap memory of a role's RocksDB stores (every role with stores declares it). */
  public static final String ROCKSDB_MEMORY = "rsk.rocksdb.memory.bytes";

  private ConfigDefs() {}

  /**
   * Declares {@link #ROCKSDB_MEMORY} in {@code group} with the role's default, one declaration for every role.
   *
   * @return {@code def}
   */
  public static ConfigDef defineRocksDbMemory(final ConfigDef def, final String group, final long defaultBytes) {
    return define(def, group, ROCKSDB_MEMORY, Type.LONG, defaultBytes, Range.atLeast(1L << 20), Importance.MEDIUM,
        "Off-heap bytes shared by all the RocksDB stores of this role in this process: one LRU block cache (index"
            + " and filter blocks included) that also holds every memtable, at most half of it (write buffer"
            + " manager); stores are LZ4-compressed, zstd at the bottommost level (docs/exact-stats.md)."
            + " `rsk standalone` runs both roles, each with its default.");
  }

  /**
   * Declares, in group "Kafka", the topic configs of the changelogs and repartition topics a Kafka Streams app
   * creates ({@code kafka.topic.segment.bytes}, {@code kafka.topic.segment.ms}, {@code
   * kafka.topic.min.cleanable.dirty.ratio}), one declaration for every role. Changelogs are compacted topics, but
   * the log cleaner never cleans a log's active segment and waits for half of a log to be dirty: with the
   * broker's 1 GB segments a changelog of a few hundred MB is never compacted at all (docs/exact-stats.md "Bytes
   * on disk"). Applies to the internal topics Streams creates, not to existing ones.
   *
   * @return {@code def}
   */
  public static ConfigDef defineCompactedChangelogs(final ConfigDef def) {
    final String k = ConfigLoader.KAFKA_PREFIX + STREAMS_TOPIC_PREFIX;
    define(def, "Kafka", k + TopicConfig.SEGMENT_BYTES_CONFIG, Type.INT, CHANGELOG_SEGMENT_BYTES,
        Range.atLeast(1 << 20), Importance.LOW, "Segment size of the changelogs and repartition topics Kafka"
            + " Streams creates: the cleaner compacts every segment but the active one.");
    define(def, "Kafka", k + TopicConfig.SEGMENT_MS_CONFIG, Type.LONG, CHANGELOG_SEGMENT_MS,
        Range.atLeast(1_000L), Importance.LOW, "Segment roll time of those topics (by record timestamp: the input"
            + " record's, i.e. the activations' producer timestamp), so a quiet changelog is compacted too.");
    return define(def, "Kafka", k + TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, Type.DOUBLE,
        CHANGELOG_DIRTY_RATIO, Range.between(0.01, 0.99), Importance.LOW, "A changelog is compacted once this"
            + " share of it is superseded values: it stays within about 1 / (1 - ratio) of its compacted size.");
  }

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

  /**
   * {@link #define(ConfigDef, String, String, Type, Object, Validator, Importance, String, String)}, default
   * shown as is.
   */
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
