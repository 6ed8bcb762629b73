package dev.rsk.processor;

import dev.rsk.sketch.SketchSpec;
import java.time.Duration;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Configuration of the sketch processor: topic names, the sketch spec, the gap after which an
 * incomplete inference is sketched anyway, the size limits, and every Kafka / Streams property.
 *
 * <p>Keys starting with {@code rsk.} are ours (see {@link #fromProperties}); {@code kafka.X} is passed
 * to Kafka Streams (and to the Avro serdes) as {@code X}; any other key is passed through unchanged.
 * Invalid values throw {@link IllegalArgumentException} naming the key.
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
  public static final String KAFKA_PREFIX = "kafka.";
  /** Prefix of environment variables that override properties (see {@link #fromProperties}). */
  public static final String ENV_PREFIX = "RSK_";

  public static final String DEFAULT_APPLICATION_ID = "rsk-sketch-processor";
  /** Default {@code producer.batch.size} of the processor (Kafka's default is 16 KB). */
  public static final int DEFAULT_PRODUCER_BATCH_SIZE = 256 * 1024;

  private static final Pattern SECRET_KEY =
      Pattern.compile("(?i).*(password|secret|sasl\\.jaas\\.config|user\\.info|credentials|token|key\\.pem).*");

  private final String activationsTopic;
  private final String sketchesTopic;
  private final String dlqTopic;
  private final SketchSpec spec;
  private final Duration gap;
  private final Duration wallClockGap;
  private final Duration gapCheckInterval;
  private final Limits limits;
  private final int completedMemory;
  private final String readyFile;
  private final Duration closeTimeout;
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
  }

  private ProcessorConfig(final Builder b) {
    this.activationsTopic = nonEmpty(ACTIVATIONS_TOPIC, b.activationsTopic);
    this.sketchesTopic = nonEmpty(SKETCHES_TOPIC, b.sketchesTopic);
    this.dlqTopic = nonEmpty(DLQ_TOPIC, b.dlqTopic);
    this.spec = b.spec;
    this.gap = positive(GAP_MS, b.gap);
    this.wallClockGap = positive(WALL_GAP_MS, b.wallClockGap);
    this.gapCheckInterval = positive(GAP_CHECK_MS, b.gapCheckInterval);
    this.limits = b.limits;
    this.completedMemory = (int) positive(COMPLETED_MEMORY, b.completedMemory);
    this.readyFile = b.readyFile;
    this.closeTimeout = positive(CLOSE_TIMEOUT_MS, b.closeTimeout);
    this.kafka = Collections.unmodifiableMap(new TreeMap<>(b.kafka));
    if (activationsTopic.equals(sketchesTopic) || activationsTopic.equals(dlqTopic)
        || sketchesTopic.equals(dlqTopic)) {
      throw new IllegalArgumentException("activations, sketches and DLQ topics must differ: "
          + activationsTopic + ", " + sketchesTopic + ", " + dlqTopic);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads a configuration from properties, then applies environment overrides: a variable
   * {@code RSK_A_B_C} sets key {@code kafka.a.b.c} if it starts with {@code RSK_KAFKA_}, else
   * {@code rsk.a.b.c} (lower case, underscores become dots). Environment wins over the file.
   * Example: {@code RSK_KAFKA_BOOTSTRAP_SERVERS=b:9092}, {@code RSK_GAP_MS=5000}.
   */
  public static ProcessorConfig fromProperties(final Properties file, final Map<String, String> env) {
    final Map<String, String> merged = new TreeMap<>();
    for (final String name : file.stringPropertyNames()) {
      merged.put(name.trim(), file.getProperty(name).trim());
    }
    merged.putAll(envOverrides(env));
    final Builder b = builder();
    for (final Map.Entry<String, String> e : merged.entrySet()) {
      final String key = e.getKey();
      final String value = e.getValue();
      if (key.startsWith(KAFKA_PREFIX)) {
        b.kafka(key.substring(KAFKA_PREFIX.length()), value);
      } else if (key.startsWith("rsk.")) {
        b.apply(key, value);
      } else {
        b.kafka(key, value);
      }
    }
    return b.build();
  }

  /** The properties named by {@code RSK_*} environment variables (see {@link #fromProperties}). */
  static Map<String, String> envOverrides(final Map<String, String> env) {
    final Map<String, String> out = new TreeMap<>();
    for (final Map.Entry<String, String> e : env.entrySet()) {
      final String name = e.getKey();
      if (!name.startsWith(ENV_PREFIX) || name.length() == ENV_PREFIX.length()) {
        continue;
      }
      final String dotted = name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
      out.put(dotted.startsWith(KAFKA_PREFIX) ? dotted : "rsk." + dotted, e.getValue().trim());
    }
    return out;
  }

  /** The properties for {@code new KafkaStreams(topology, props)}: ours applied over the pass-through ones. */
  public Properties streamsProperties() {
    final Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, DEFAULT_APPLICATION_ID);
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    // Sketches are ~4 KB (d = 1024 floats): the 16 KB default batch holds 4 of them, and the broker's cost is
    // per request. 256 KB batches cut the CPU per event by a third in bench-processor.
    p.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), DEFAULT_PRODUCER_BATCH_SIZE);
    p.putAll(kafka);
    // Unexpected processing failures (bugs) go to the DLQ instead of killing the thread; transient
    // infrastructure failures are rethrown (see DlqProcessingExceptionHandler).
    p.putIfAbsent(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
        DlqProcessingExceptionHandler.class.getName());
    p.put(DLQ_TOPIC, dlqTopic);
    return p;
  }

  /** Configuration for the Avro serdes (schema.registry.url, basic auth, TLS...): the Kafka properties. */
  public Map<String, Object> serdeConfig() {
    return kafka;
  }

  /** Every effective setting, one per line, secrets (passwords, JAAS, user info, tokens) redacted. */
  public String describe() {
    final Map<String, Object> all = new TreeMap<>();
    all.put(ACTIVATIONS_TOPIC, activationsTopic);
    all.put(SKETCHES_TOPIC, sketchesTopic);
    all.put(DLQ_TOPIC, dlqTopic);
    all.put(SKETCH_D, spec.d());
    all.put(SKETCH_SEED, spec.seed());
    all.put(SKETCH_ALPHA, spec.alpha());
    all.put(SKETCH_BETA, spec.beta());
    all.put("rsk.sketch.scheme", spec.schemeVersion());
    all.put(GAP_MS, gap.toMillis());
    all.put(WALL_GAP_MS, wallClockGap.toMillis());
    all.put(GAP_CHECK_MS, gapCheckInterval.toMillis());
    all.put(MAX_OBJECTS, limits.maxObjects());
    all.put(MAX_FAN_OUT, limits.maxFanOut());
    all.put(MAX_DEPTH, limits.maxDepth());
    all.put(MAX_ATTRIBUTES, limits.maxAttributeLength());
    all.put(MAX_PENDING, limits.maxPendingInferences());
    all.put(COMPLETED_MEMORY, completedMemory);
    all.put(CLOSE_TIMEOUT_MS, closeTimeout.toMillis());
    if (readyFile != null) {
      all.put(READY_FILE, readyFile);
    }
    streamsProperties().forEach((k, v) -> all.put(KAFKA_PREFIX + k, v));
    all.remove(KAFKA_PREFIX + DLQ_TOPIC);
    all.remove(KAFKA_PREFIX + METRICS_REGISTRY);
    final StringBuilder sb = new StringBuilder();
    all.forEach((k, v) -> sb.append("  ").append(k).append(" = ")
        .append(SECRET_KEY.matcher(k).matches() ? "[redacted]" : v).append('\n'));
    return sb.toString();
  }

  public String activationsTopic() {
    return activationsTopic;
  }

  public String sketchesTopic() {
    return sketchesTopic;
  }

  public String dlqTopic() {
    return dlqTopic;
  }

  public SketchSpec spec() {
    return spec;
  }

  /** Stream-time gap: an inference whose first event is older than stream time minus this is flushed. */
  public Duration gap() {
    return gap;
  }

  /** Wall-clock bound: an inference first seen longer ago than this is flushed even if the topic is quiet. */
  public Duration wallClockGap() {
    return wallClockGap;
  }

  /** How often the gap is checked (punctuation interval, both stream time and wall clock). */
  public Duration gapCheckInterval() {
    return gapCheckInterval;
  }

  public Limits limits() {
    return limits;
  }

  /** How many recently sketched inference ids each task remembers to recognise late duplicates. */
  public int completedMemory() {
    return completedMemory;
  }

  /** A file created when the Streams client is RUNNING and deleted when it stops; null for none. */
  public String readyFile() {
    return readyFile;
  }

  public Duration closeTimeout() {
    return closeTimeout;
  }

  /** The Kafka / Streams / serde properties, prefix stripped. */
  public Map<String, Object> kafka() {
    return kafka;
  }

  public Builder toBuilder() {
    final Builder b = new Builder();
    b.activationsTopic = activationsTopic;
    b.sketchesTopic = sketchesTopic;
    b.dlqTopic = dlqTopic;
    b.spec = spec;
    b.gap = gap;
    b.wallClockGap = wallClockGap;
    b.gapCheckInterval = gapCheckInterval;
    b.limits = limits;
    b.completedMemory = completedMemory;
    b.readyFile = readyFile;
    b.closeTimeout = closeTimeout;
    b.kafka.putAll(kafka);
    return b;
  }

  /** Builder with the documented defaults. */
  public static final class Builder {
    private String activationsTopic = "activations";
    private String sketchesTopic = "sketches";
    private String dlqTopic = "activations-dlq";
    private SketchSpec spec = SketchSpec.defaults();
    private Duration gap = Duration.ofSeconds(30);
    private Duration wallClockGap = Duration.ofSeconds(60);
    private Duration gapCheckInterval = Duration.ofSeconds(1);
    private Limits limits = Limits.defaults();
    private long completedMemory = 20_000;
    private String readyFile;
    private Duration closeTimeout = Duration.ofSeconds(30);
    private final Map<String, Object> kafka = new TreeMap<>();

    private Builder() {}

    public Builder activationsTopic(final String v) {
      activationsTopic = v;
      return this;
    }

    public Builder sketchesTopic(final String v) {
      sketchesTopic = v;
      return this;
    }

    public Builder dlqTopic(final String v) {
      dlqTopic = v;
      return this;
    }

    public Builder spec(final SketchSpec v) {
      spec = v;
      return this;
    }

    public Builder gap(final Duration v) {
      gap = v;
      return this;
    }

    public Builder wallClockGap(final Duration v) {
      wallClockGap = v;
      return this;
    }

    public Builder gapCheckInterval(final Duration v) {
      gapCheckInterval = v;
      return this;
    }

    public Builder limits(final Limits v) {
      limits = v;
      return this;
    }

    public Builder completedMemory(final int v) {
      completedMemory = v;
      return this;
    }

    public Builder readyFile(final String v) {
      readyFile = v;
      return this;
    }

    public Builder closeTimeout(final Duration v) {
      closeTimeout = v;
      return this;
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

    /** Sets one {@code rsk.*} key from its string form. */
    public Builder apply(final String key, final String value) {
      switch (key) {
        case ACTIVATIONS_TOPIC -> activationsTopic = value;
        case SKETCHES_TOPIC -> sketchesTopic = value;
        case DLQ_TOPIC -> dlqTopic = value;
        case SKETCH_D -> spec = spec.withD(parseInt(key, value));
        case SKETCH_SEED -> spec = spec.withSeed(parseLong(key, value));
        case SKETCH_ALPHA -> spec = SketchSpec.of(spec.d(), spec.seed(), parseDouble(key, value), spec.beta());
        case SKETCH_BETA -> spec = SketchSpec.of(spec.d(), spec.seed(), spec.alpha(), parseDouble(key, value));
        case GAP_MS -> gap = Duration.ofMillis(parseLong(key, value));
        case WALL_GAP_MS -> wallClockGap = Duration.ofMillis(parseLong(key, value));
        case GAP_CHECK_MS -> gapCheckInterval = Duration.ofMillis(parseLong(key, value));
        case MAX_OBJECTS -> limits = new Limits(parseInt(key, value), limits.maxFanOut(), limits.maxDepth(),
            limits.maxAttributeLength(), limits.maxPendingInferences());
        case MAX_FAN_OUT -> limits = new Limits(limits.maxObjects(), parseInt(key, value), limits.maxDepth(),
            limits.maxAttributeLength(), limits.maxPendingInferences());
        case MAX_DEPTH -> limits = new Limits(limits.maxObjects(), limits.maxFanOut(), parseInt(key, value),
            limits.maxAttributeLength(), limits.maxPendingInferences());
        case MAX_ATTRIBUTES -> limits = new Limits(limits.maxObjects(), limits.maxFanOut(), limits.maxDepth(),
            parseInt(key, value), limits.maxPendingInferences());
        case MAX_PENDING -> limits = new Limits(limits.maxObjects(), limits.maxFanOut(), limits.maxDepth(),
            limits.maxAttributeLength(), parseInt(key, value));
        case COMPLETED_MEMORY -> completedMemory = parseInt(key, value);
        case READY_FILE -> readyFile = value.isEmpty() ? null : value;
        case CLOSE_TIMEOUT_MS -> closeTimeout = Duration.ofMillis(parseLong(key, value));
        default -> throw new IllegalArgumentException("unknown setting " + key
            + " (rsk.* keys are listed in docs/processor.md; Kafka settings take the kafka. prefix)");
      }
      return this;
    }

    public ProcessorConfig build() {
      return new ProcessorConfig(this);
    }
  }

  private static int parseInt(final String key, final String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be an integer, got '" + value + "'", e);
    }
  }

  private static long parseLong(final String key, final String value) {
    try {
      return value.startsWith("0x") ? Long.parseUnsignedLong(value.substring(2), 16) : Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be an integer, got '" + value + "'", e);
    }
  }

  private static double parseDouble(final String key, final String value) {
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a number, got '" + value + "'", e);
    }
  }

  private static long positive(final String key, final long v) {
    if (v <= 0) {
      throw new IllegalArgumentException(key + " must be > 0, got " + v);
    }
    return v;
  }

  private static Duration positive(final String key, final Duration v) {
    if (v == null || v.isNegative() || v.isZero()) {
      throw new IllegalArgumentException(key + " must be > 0 ms, got " + v);
    }
    return v;
  }

  private static String nonEmpty(final String key, final String v) {
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException(key + " must not be empty");
    }
    return v;
  }
}
