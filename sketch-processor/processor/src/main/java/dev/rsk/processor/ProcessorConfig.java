package dev.rsk.processor;

import dev.rsk.config.ConfigDefs;
import dev.rsk.config.ConfigLoader;
import dev.rsk.config.EffectiveConfig;
import dev.rsk.config.InvalidConfigException;
import dev.rsk.config.RskConfig;
import dev.rsk.config.Validators;
import dev.rsk.sketch.SketchException;
import dev.rsk.sketch.SketchSpec;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Configuration of the sketch processor: topic names, the sketch spec, the gap after which an
 * incomplete inference is sketched anyway, the size limits, and every Kafka / Streams property.
 *
 * <p>Every {@code rsk.*} key is declared once, with its type, default, valid values and doc, in a
 * {@link ConfigDef} ({@link #configDef()}; docs/processor.md renders it). {@code kafka.X} is passed to Kafka
 * Streams (and to the Avro serdes) as {@code X}; any other key is passed through unchanged (see
 * {@link #fromProperties}). Invalid values throw {@link InvalidConfigException} (an
 * {@link IllegalArgumentException}) naming the key.
 *
 * <p>Longer than 300 lines because its public API is nested in it: one constant per key, the {@link Limits}
 * record and the fluent {@link Builder}, which callers name {@code ProcessorConfig.Limits} and
 * {@code ProcessorConfig.Builder}. Java has no type alias, and a top-level builder subclassed here would make
 * every inherited setter return the top-level type, breaking chains typed {@code ProcessorConfig.Builder}.
 */
public final class ProcessorConfig {

  public static final String ACTIVATIONS_TOPIC = "rsk.topic.activations";
  public static final String SKETCHES_TOPIC = "rsk.topic.sketches";
  public static final String DLQ_TOPIC = "rsk.topic.dlq";
  public static final String SKETCH_D = "rsk.sketch.d";
  public static final String SKETCH_SEED = "rsk.sketch.seed";
  public static final String SKETCH_ALPHA = "rsk.sketch.alpha";
  public static final String SKETCH_BETA = "rsk.sketch.beta";
  public static final String GAP_MS = "rsk.gap.ms";
  public static final String WALL_GAP_MS = "rsk.gap.wall.ms";
  public static final String GAP_CHECK_MS = "rsk.gap.check.ms";
  public static final String MAX_OBJECTS = "rsk.limit.objects";
  public static final String MAX_FAN_OUT = "rsk.limit.fanout";
  public static final String MAX_DEPTH = "rsk.limit.depth";
  public static final String MAX_ATTRIBUTES = "rsk.limit.attribute.length";
  public static final String MAX_PENDING = "rsk.limit.pending.inferences";
  public static final String COMPLETED_MEMORY = "rsk.completed.memory";
  public static final String READY_FILE = "rsk.ready.file";
  public static final String CLOSE_TIMEOUT_MS = "rsk.close.timeout.ms";

  /**
   * Not a user setting: the Streams property under which {@link ProcessorRunner} hands its
   * {@code MeterRegistry} to the {@link DlqProcessingExceptionHandler}, so its dead letters are counted.
   */
  public static final String METRICS_REGISTRY = "rsk.metrics.registry";

  /** Prefix of keys passed to Kafka with the prefix stripped. */
  public static final String KAFKA_PREFIX = ConfigLoader.KAFKA_PREFIX;
  /** Prefix of environment variables that override properties (see {@link #fromProperties}). */
  public static final String ENV_PREFIX = ConfigLoader.ENV_PREFIX;

  public static final String DEFAULT_APPLICATION_ID = "rsk-sketch-processor";
  /** Default {@code producer.batch.size} of the processor (Kafka's default is 16 KB). */
  public static final int DEFAULT_PRODUCER_BATCH_SIZE = 256 * 1024;

  private final RskConfig values;
  private final SketchSpec spec;
  private final Limits limits;
  private final Map<String, Object> kafka;

  /** Size limits of one inference; violations go to the DLQ with reason {@code LIMIT_EXCEEDED}. */
  public record Limits(
      int maxObjects, int maxFanOut, int maxDepth, int maxAttributeLength, int maxPendingInferences) {
    public static final int DEFAULT_MAX_OBJECTS = 10_000;
    public static final int DEFAULT_MAX_FAN_OUT = 1_024;
    public static final int DEFAULT_MAX_DEPTH = 64;
    public static final int DEFAULT_MAX_ATTRIBUTE_LENGTH = 4_096;
    public static final int DEFAULT_MAX_PENDING = 100_000;

    public Limits {
      positive(MAX_OBJECTS, maxObjects);
      positive(MAX_FAN_OUT, maxFanOut);
      positive(MAX_DEPTH, maxDepth);
      positive(MAX_ATTRIBUTES, maxAttributeLength);
      positive(MAX_PENDING, maxPendingInferences);
    }

    public static Limits defaults() {
      return new Limits(DEFAULT_MAX_OBJECTS, DEFAULT_MAX_FAN_OUT, DEFAULT_MAX_DEPTH,
          DEFAULT_MAX_ATTRIBUTE_LENGTH, DEFAULT_MAX_PENDING);
    }

    private static void positive(final String key, final int v) {
      if (v <= 0) {
        throw new IllegalArgumentException(key + " must be > 0, got " + v);
      }
    }
  }

  private ProcessorConfig(final Builder b) {
    this.values = RskConfig.parse(ProcessorConfigDef.OWN, b.own);
    this.spec = sketchSpec(values);
    this.limits = new Limits(values.getInt(MAX_OBJECTS), values.getInt(MAX_FAN_OUT), values.getInt(MAX_DEPTH),
        values.getInt(MAX_ATTRIBUTES), values.getInt(MAX_PENDING));
    this.kafka = Collections.unmodifiableMap(new TreeMap<>(b.kafka));
    final String activations = activationsTopic();
    if (activations.equals(sketchesTopic()) || activations.equals(dlqTopic()) || sketchesTopic().equals(dlqTopic())) {
      throw new InvalidConfigException("activations, sketches and DLQ topics must differ: "
          + activations + ", " + sketchesTopic() + ", " + dlqTopic());
    }
  }

  private static SketchSpec sketchSpec(final RskConfig v) {
    try {
      return SketchSpec.of(v.getInt(SKETCH_D), Validators.parseLong(v.getString(SKETCH_SEED)),
          v.getDouble(SKETCH_ALPHA), v.getDouble(SKETCH_BETA));
    } catch (SketchException e) {
      throw new InvalidConfigException("invalid sketch spec (" + SKETCH_D + ", " + SKETCH_ALPHA + ", " + SKETCH_BETA
          + "): " + e.getMessage(), e);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The declared {@code rsk.*} keys (a copy). */
  public static ConfigDef configDef() {
    return new ConfigDef(ProcessorConfigDef.OWN);
  }

  /** The Kafka keys the processor gives a default of its own, declared as {@code kafka.X} (a copy). */
  public static ConfigDef kafkaConfigDef() {
    return new ConfigDef(ProcessorConfigDef.KAFKA);
  }

  /**
   * Reads a configuration from properties, then applies environment overrides: a variable
   * {@code RSK_A_B_C} sets key {@code kafka.a.b.c} if it starts with {@code RSK_KAFKA_}, else
   * {@code rsk.a.b.c} (lower case, underscores become dots). Environment wins over the file.
   * Example: {@code RSK_KAFKA_BOOTSTRAP_SERVERS=b:9092}, {@code RSK_GAP_MS=5000}.
   *
   * @throws InvalidConfigException naming the key, for an unknown {@code rsk.*} key or an invalid value
   */
  public static ProcessorConfig fromProperties(final Properties file, final Map<String, String> env) {
    final ConfigLoader.Settings settings = ConfigLoader.load(file, env);
    final Builder b = builder();
    settings.own().forEach(b::apply);
    return b.kafka(settings.kafka()).build();
  }

  /** The properties for {@code new KafkaStreams(topology, props)}: ours applied over the pass-through ones. */
  public Properties streamsProperties() {
    final Properties p = new Properties();
    p.putAll(ConfigDefs.kafkaDefaults(ProcessorConfigDef.KAFKA));
    p.putAll(kafka);
    p.put(DLQ_TOPIC, dlqTopic());
    return p;
  }

  /** Configuration for the Avro serdes (schema.registry.url, basic auth, TLS...): the Kafka properties. */
  public Map<String, Object> serdeConfig() {
    return kafka;
  }

  /** Every effective setting, one per line, secrets (passwords, JAAS, user info, tokens) redacted. */
  public String describe() {
    final Map<String, Object> all = new TreeMap<>();
    values.values().forEach((k, v) -> {
      if (v != null) {
        all.put(k, v);
      }
    });
    all.put("rsk.sketch.scheme", spec.schemeVersion());
    streamsProperties().forEach((k, v) -> all.put(KAFKA_PREFIX + k, v));
    all.remove(KAFKA_PREFIX + DLQ_TOPIC);
    all.remove(KAFKA_PREFIX + METRICS_REGISTRY);
    return EffectiveConfig.describe(all, ProcessorConfigDef.OWN);
  }

  public String activationsTopic() {
    return values.getString(ACTIVATIONS_TOPIC);
  }

  public String sketchesTopic() {
    return values.getString(SKETCHES_TOPIC);
  }

  public String dlqTopic() {
    return values.getString(DLQ_TOPIC);
  }

  public SketchSpec spec() {
    return spec;
  }

  /** Stream-time gap: an inference whose first event is older than stream time minus this is flushed. */
  public Duration gap() {
    return Duration.ofMillis(values.getLong(GAP_MS));
  }

  /** Wall-clock bound: an inference first seen longer ago than this is flushed once its partition is quiet. */
  public Duration wallClockGap() {
    return Duration.ofMillis(values.getLong(WALL_GAP_MS));
  }

  /** How often the gap is checked (punctuation interval, both stream time and wall clock). */
  public Duration gapCheckInterval() {
    return Duration.ofMillis(values.getLong(GAP_CHECK_MS));
  }

  public Limits limits() {
    return limits;
  }

  /** How many recently sketched inference ids each task remembers to recognise late duplicates. */
  public int completedMemory() {
    return values.getInt(COMPLETED_MEMORY);
  }

  /** A file created when the Streams client is RUNNING and deleted when it stops; null for none. */
  public String readyFile() {
    final String file = values.getString(READY_FILE);
    return file == null || file.isEmpty() ? null : file;
  }

  /** The bound on the off-heap memory of the processor's RocksDB stores ({@code rsk.rocksdb.memory.bytes}). */
  public long rocksDbMemoryBytes() {
    return values.getLong(ConfigDefs.ROCKSDB_MEMORY);
  }

  public Duration closeTimeout() {
    return Duration.ofMillis(values.getLong(CLOSE_TIMEOUT_MS));
  }

  /** The Kafka / Streams / serde properties, prefix stripped. */
  public Map<String, Object> kafka() {
    return kafka;
  }

  public Builder toBuilder() {
    final Builder b = new Builder();
    b.own.putAll(values.values());
    b.kafka.putAll(kafka);
    return b;
  }

  /** Builder; keys not set take their declared defaults. */
  public static final class Builder {
    private final Map<String, Object> own = new HashMap<>();
    private final Map<String, Object> kafka = new TreeMap<>();

    private Builder() {}

    public Builder activationsTopic(final String v) {
      return set(ACTIVATIONS_TOPIC, v);
    }

    public Builder sketchesTopic(final String v) {
      return set(SKETCHES_TOPIC, v);
    }

    public Builder dlqTopic(final String v) {
      return set(DLQ_TOPIC, v);
    }

    public Builder spec(final SketchSpec v) {
      set(SKETCH_D, v.d());
      set(SKETCH_SEED, Validators.hex(v.seed()));
      set(SKETCH_ALPHA, v.alpha());
      return set(SKETCH_BETA, v.beta());
    }

    public Builder gap(final Duration v) {
      return set(GAP_MS, millis(v));
    }

    public Builder wallClockGap(final Duration v) {
      return set(WALL_GAP_MS, millis(v));
    }

    public Builder gapCheckInterval(final Duration v) {
      return set(GAP_CHECK_MS, millis(v));
    }

    public Builder limits(final Limits v) {
      set(MAX_OBJECTS, v.maxObjects());
      set(MAX_FAN_OUT, v.maxFanOut());
      set(MAX_DEPTH, v.maxDepth());
      set(MAX_ATTRIBUTES, v.maxAttributeLength());
      return set(MAX_PENDING, v.maxPendingInferences());
    }

    public Builder completedMemory(final int v) {
      return set(COMPLETED_MEMORY, v);
    }

    public Builder readyFile(final String v) {
      return set(READY_FILE, v);
    }

    public Builder closeTimeout(final Duration v) {
      return set(CLOSE_TIMEOUT_MS, millis(v));
    }

    /** A Kafka Streams, client or serde property (no {@code kafka.} prefix). */
    public Builder kafka(final String key, final Object value) {
      kafka.put(key, value);
      return this;
    }

    public Builder kafka(final Map<String, ?> values) {
      kafka.putAll(values);
      return this;
    }

    /**
     * Sets one {@code rsk.*} key from its string form (checked by {@link #build}).
     *
     * @throws InvalidConfigException if {@code key} is not declared
     */
    public Builder apply(final String key, final String value) {
      if (!ProcessorConfigDef.OWN.names().contains(key)) {
        throw new InvalidConfigException("unknown setting " + key
            + " (rsk.* keys are listed in docs/processor.md; Kafka settings take the kafka. prefix)");
      }
      return set(key, value);
    }

    /**
     * The configuration.
     *
     * @throws InvalidConfigException naming the key, for a value its declaration rejects, an invalid sketch
     *     spec, or topics that are not distinct
     */
    public ProcessorConfig build() {
      return new ProcessorConfig(this);
    }

    private Builder set(final String key, final Object value) {
      own.put(key, value);
      return this;
    }

    private static Long millis(final Duration v) {
      return v == null ? null : v.toMillis();
    }
  }
}
