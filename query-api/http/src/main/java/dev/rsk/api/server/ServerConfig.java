package dev.rsk.api.server;

import dev.rsk.api.ApiLimits;
import dev.rsk.api.HttpSecurity;
import dev.rsk.config.ConfigDefs;
import dev.rsk.config.ConfigLoader;
import dev.rsk.config.EffectiveConfig;
import dev.rsk.config.InvalidConfigException;
import dev.rsk.config.RskConfig;
import dev.rsk.config.Validators;
import dev.rsk.stats.StatsConfig;
import dev.rsk.stats.graph.HnswParams;
import dev.rsk.stats.graph.IndexSettings;
import dev.rsk.stats.concepts.ConceptParams;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Configuration of a stats + API instance ({@code rsk server --config F}), read like the processor's
 * ({@link ConfigLoader}): keys {@code rsk.*} are ours; {@code kafka.X} goes to Kafka Streams and the Avro
 * serdes as {@code X}; any other key is passed through unchanged; {@code RSK_*} environment variables
 * override the file. Every {@code rsk.*} key is declared once in a {@link ConfigDef} ({@link #configDef()};
 * docs/api.md renders it); other {@code rsk.*} keys are ignored. Durations are ISO-8601 (PT2S, P400D).
 * Invalid values throw {@link InvalidConfigException} (an {@link IllegalArgumentException}) naming the key
 * when the configuration is constructed.
 *
 * <p>Longer than 300 lines because it is the one typed view of every declared server key: one accessor each.
 */
public final class ServerConfig {

  public static final String DEFAULT_APPLICATION_ID = "rsk-stats";
  public static final String KAFKA_PREFIX = ConfigLoader.KAFKA_PREFIX;
  public static final String ENV_PREFIX = ConfigLoader.ENV_PREFIX;

  public static final String HTTP_PORT = "rsk.http.port";
  public static final String HTTP_BIND = "rsk.http.bind";
  public static final String ADVERTISED_HOST = "rsk.http.advertised.host";
  public static final String SKETCHES_TOPIC = "rsk.topic.sketches";
  public static final String SKETCHES_DLQ_TOPIC = "rsk.topic.sketches.dlq";
  public static final String RETENTION = "rsk.retention";
  public static final String STATS_BUCKET = "rsk.stats.bucket";
  public static final String STATS_RETENTION = "rsk.stats.retention";
  public static final String REPOSITORY_RETENTION = "rsk.repository.retention";
  public static final String REPOSITORY_FULL_FOR = "rsk.repository.full.for";
  public static final String REPOSITORY_AGED_FRACTION = "rsk.repository.aged.fraction";
  public static final String REPOSITORY_CLEANUP_INTERVAL = "rsk.repository.cleanup.interval";
  public static final String EXACT_DIMS = "rsk.attributes.exact.dims";
  public static final String REPOSITORY_ITEMS_MAX = "rsk.attributes.repository.items.max";
  public static final String ROCKSDB_MEMORY = ConfigDefs.ROCKSDB_MEMORY;
  public static final String SIMILARITY_ENABLED = "rsk.similarity.index.enabled";
  public static final String SIMILARITY_PREFIX = "rsk.similarity.index.prefix";
  public static final String SIMILARITY_BACKLOG = "rsk.similarity.index.backlog";
  public static final String SIMILARITY_M = "rsk.similarity.index.hnsw.m";
  public static final String SIMILARITY_BEAM = "rsk.similarity.index.hnsw.beam";
  public static final String SIMILARITY_CANDIDATES = "rsk.similarity.index.candidates";
  public static final String SIMILARITY_REFRESH = "rsk.similarity.index.refresh";
  public static final String CONCEPTS_TOPIC = "rsk.topic.concepts";
  public static final String CONCEPTS_ENABLED = "rsk.concepts.enabled";
  public static final String CONCEPTS_JOIN_COSINE = "rsk.concepts.join.cosine";
  public static final String CONCEPTS_EMERGE_MEMBERS = "rsk.concepts.emerge.members";
  public static final String CONCEPTS_EMERGE_WINDOW = "rsk.concepts.emerge.window";
  public static final String CONCEPTS_WARMUP = "rsk.concepts.warmup";
  public static final String CONCEPTS_FADE_AFTER = "rsk.concepts.fade.after";
  public static final String CONCEPTS_MAX_CLUSTERS = "rsk.concepts.max.clusters";
  public static final String CONCEPTS_PUBLISH_INTERVAL = "rsk.concepts.publish.interval";
  public static final String STORE_WAIT = "rsk.api.store.wait";
  public static final String REMOTE_TIMEOUT = "rsk.api.remote.timeout";
  public static final String ANSWER_CACHE_BYTES = "rsk.api.answer.cache.bytes";
  public static final String ANSWER_MAX_STALENESS = "rsk.api.answer.max.staleness";
  public static final String ITEMS_CACHE_BYTES = "rsk.api.items.cache.bytes";
  public static final String MONTHS_CACHE_BYTES = "rsk.api.months.cache.bytes";
  public static final String API_TOKENS = "rsk.api.tokens";
  public static final String API_TOKENS_FILE = "rsk.api.tokens.file";
  public static final String CLUSTER_SECRET = "rsk.cluster.secret";
  public static final String TLS_KEYSTORE_PATH = "rsk.http.tls.keystore.path";
  public static final String TLS_KEYSTORE_PASSWORD = "rsk.http.tls.keystore.password";
  public static final String TLS_KEYSTORE_TYPE = "rsk.http.tls.keystore.type";
  public static final String TLS_TRUSTSTORE_PATH = "rsk.http.tls.truststore.path";
  public static final String TLS_TRUSTSTORE_PASSWORD = "rsk.http.tls.truststore.password";
  public static final String TLS_TRUSTSTORE_TYPE = "rsk.http.tls.truststore.type";

  private final RskConfig values;
  private final Map<String, String> kafka;
  private final HttpSecurity security;

  /**
   * From a properties file and the environment (environment wins).
   *
   * @throws InvalidConfigException naming the key, for an invalid value of a declared key
   */
  public ServerConfig(final Properties file, final Map<String, String> env) {
    final ConfigLoader.Settings settings = ConfigLoader.load(file, env);
    this.values = RskConfig.parse(ServerConfigDef.OWN, settings.own());
    this.kafka = settings.kafka();
    this.security = readSecurity();
  }

  /** From properties only (tests, standalone). */
  public ServerConfig(final Properties file) {
    this(file, Map.of());
  }

  /** The declared {@code rsk.*} keys (a copy). */
  public static ConfigDef configDef() {
    return new ConfigDef(ServerConfigDef.OWN);
  }

  /** The Kafka keys the server needs, documents or gives a default of its own, as {@code kafka.X} (a copy). */
  public static ConfigDef kafkaConfigDef() {
    return new ConfigDef(ServerConfigDef.KAFKA);
  }

  public int httpPort() {
    return values.getInt(HTTP_PORT);
  }

  public String bindHost() {
    return values.getString(HTTP_BIND);
  }

  /**
   * The host other instances reach this one at: the host of {@code kafka.application.server} if given,
   * else {@code rsk.http.advertised.host}, else this machine's host name.
   */
  public String advertisedHost() {
    final String server = kafka.get(StreamsConfig.APPLICATION_SERVER_CONFIG);
    if (server != null && !server.isBlank()) {
      return server.substring(0, server.lastIndexOf(':') < 0 ? server.length() : server.lastIndexOf(':'));
    }
    final String h = values.getString(ADVERTISED_HOST);
    if (h != null && !h.isBlank()) {
      return h;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }

  /** The advertised port: the port of {@code kafka.application.server} if given, else {@code boundPort}. */
  public int advertisedPort(final int boundPort) {
    final String server = kafka.get(StreamsConfig.APPLICATION_SERVER_CONFIG);
    if (server != null && server.lastIndexOf(':') > 0) {
      try {
        return Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("application.server must be host:port: " + server);
      }
    }
    return boundPort;
  }

  public String sketchesTopic() {
    return values.getString(SKETCHES_TOPIC);
  }

  /** The stats topology's dead-letter topic ({@value #SKETCHES_DLQ_TOPIC}, default {@code <sketches topic>-dlq}). */
  public String sketchesDlqTopic() {
    final String configured = values.getString(SKETCHES_DLQ_TOPIC);
    return configured != null ? configured : StatsConfig.defaultDlqTopic(sketchesTopic());
  }

  /** The concepts topic. */
  public String conceptsTopic() {
    return values.getString(CONCEPTS_TOPIC);
  }

  /** Whether concept detection runs (when its topic exists, see docs/concepts.md). */
  public boolean conceptsEnabled() {
    return values.getBoolean(CONCEPTS_ENABLED);
  }

  /** The clustering knobs of the {@code rsk.concepts.*} keys. */
  public ConceptParams conceptParams() {
    final ConceptParams d = ConceptParams.DEFAULTS;
    return new ConceptParams(values.getDouble(CONCEPTS_JOIN_COSINE), values.getInt(CONCEPTS_EMERGE_MEMBERS),
        duration(CONCEPTS_EMERGE_WINDOW, d.emergeWindow()), duration(CONCEPTS_WARMUP, d.warmup()),
        duration(CONCEPTS_FADE_AFTER, d.fadeAfter()), values.getInt(CONCEPTS_MAX_CLUSTERS), d.exemplars());
  }

  /**
   * The ISO-8601 duration under {@code key}: its value if set and not blank, else (blank) {@code dflt}; a
   * declared key that is not set has its declared default.
   *
   * @throws InvalidConfigException naming the key if an undeclared key's value is not a duration
   */
  public Duration duration(final String key, final Duration dflt) {
    final Object v = ServerConfigDef.OWN.names().contains(key) ? values.getString(key) : values.originals().get(key);
    if (v == null || v.toString().isBlank()) {
      return dflt;
    }
    try {
      return Validators.parseDuration(key, v.toString());
    } catch (ConfigException e) {
      throw new InvalidConfigException(e.getMessage(), e);
    }
  }

  /** Tokens, cluster secret and TLS stores of the listener (validated and read at construction). */
  public HttpSecurity security() {
    return security;
  }

  private HttpSecurity readSecurity() {
    final List<String> tokens;
    try {
      final String file = values.getString(API_TOKENS_FILE);
      tokens = HttpSecurity.tokens(secret(API_TOKENS), file == null || file.isBlank() ? null : Path.of(file));
    } catch (UncheckedIOException e) {
      throw new InvalidConfigException(API_TOKENS_FILE + ": " + e.getMessage(), e);
    }
    final HttpSecurity.Store keystore = store(TLS_KEYSTORE_PATH, TLS_KEYSTORE_PASSWORD, TLS_KEYSTORE_TYPE);
    final HttpSecurity.Store truststore = store(TLS_TRUSTSTORE_PATH, TLS_TRUSTSTORE_PASSWORD, TLS_TRUSTSTORE_TYPE);
    try {
      final HttpSecurity s = new HttpSecurity(tokens, secret(CLUSTER_SECRET), keystore, truststore);
      if (keystore != null) {
        keystore.load(); // fail at start, naming the key, not at the first connection
      }
      return s;
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException(e.getMessage(), e);
    }
  }

  private String secret(final String key) {
    final Password p = values.getPassword(key);
    return p == null || p.value().isBlank() ? null : p.value().trim();
  }

  private HttpSecurity.Store store(final String pathKey, final String passwordKey, final String typeKey) {
    final String path = values.getString(pathKey);
    if (path == null || path.isBlank()) {
      return null;
    }
    if (!Files.isReadable(Path.of(path))) {
      throw new InvalidConfigException(pathKey + ": cannot read " + path);
    }
    final String password = secret(passwordKey);
    return new HttpSecurity.Store(Path.of(path), password == null ? new char[0] : password.toCharArray(),
        values.getString(typeKey));
  }

  /** The consumer groups that bound the sketches topic's purge ({@link SketchesPurge}; empty: none). */
  public List<String> sketchesPurgeGroups() {
    return values.getList(SketchesPurge.GROUPS);
  }

  /** The fraction of coordinates an aged repository sketch keeps. */
  public double agedFraction() {
    return values.getDouble(REPOSITORY_AGED_FRACTION);
  }

  /** The first dimensions of each module's attributes that get exact data ({@code StatsConfig#exactDims}). */
  public int exactDims() {
    return values.getInt(EXACT_DIMS);
  }

  /**
   * Inferences per partition of a stats bucket whose rows leave their items in the repository ({@code StatsConfig}).
   */
  public int repositoryItemsMax() {
    return values.getInt(REPOSITORY_ITEMS_MAX);
  }

  /** The bound on the off-heap memory of this instance's RocksDB stores (see {@code RocksDbMemory}). */
  public long rocksDbMemoryBytes() {
    return values.getLong(ROCKSDB_MEMORY);
  }

  /** The similarity index's knobs (docs/graph.md). */
  public IndexSettings similarityIndex() {
    final HnswParams d = IndexSettings.DEFAULT_HNSW;
    final Duration refresh = duration(SIMILARITY_REFRESH, IndexSettings.DEFAULT_REFRESH);
    if (refresh.isNegative() || refresh.isZero()) {
      throw new InvalidConfigException(SIMILARITY_REFRESH + " must be a positive duration: " + refresh);
    }
    return new IndexSettings(values.getBoolean(SIMILARITY_ENABLED), values.getInt(SIMILARITY_PREFIX),
        values.getInt(SIMILARITY_BACKLOG), new HnswParams(values.getInt(SIMILARITY_M), values.getInt(SIMILARITY_BEAM),
            values.getInt(SIMILARITY_CANDIDATES), d.ramBufferMb()), refresh);
  }

  public ApiLimits limits() {
    final ApiLimits d = ApiLimits.defaults();
    final Duration staleness = duration(ANSWER_MAX_STALENESS, d.answerMaxStaleness());
    if (staleness.isNegative()) {
      throw new InvalidConfigException(ANSWER_MAX_STALENESS + " must not be negative: " + staleness);
    }
    return new ApiLimits(d.maxRange(), d.defaultRange(), d.maxBuckets(), d.defaultK(), d.maxK(),
        duration(STORE_WAIT, d.storeWait()), duration(REMOTE_TIMEOUT, d.remoteTimeout()), d.retryAfterSeconds(),
        values.getLong(ANSWER_CACHE_BYTES), values.getLong(ITEMS_CACHE_BYTES),
        values.getLong(MONTHS_CACHE_BYTES), staleness);
  }

  /** Serde configuration: the Kafka keys (the serdes read schema.registry.*). */
  public Map<String, Object> serdeConfig() {
    return new HashMap<>(kafka);
  }

  /** Kafka Streams properties: the Kafka keys over our defaults, with {@code application.server}. */
  public Properties streamsProperties(final String applicationServer) {
    final Properties out = new Properties();
    out.putAll(ConfigDefs.kafkaDefaults(ServerConfigDef.KAFKA));
    out.putAll(kafka);
    out.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
    // The Streams error handlers (log and continue) write every record they drop here, with the reason.
    out.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, sketchesDlqTopic());
    return out;
  }

  /** Every effective setting, one per line, secrets (passwords, JAAS, user info, tokens) redacted. */
  public String describe() {
    final Map<String, Object> all = new TreeMap<>();
    values.values().forEach((k, v) -> {
      if (v != null) {
        all.put(k, v);
      }
    });
    ConfigDefs.kafkaDefaults(ServerConfigDef.KAFKA).forEach((k, v) -> all.put(KAFKA_PREFIX + k, v));
    kafka.forEach((k, v) -> all.put(KAFKA_PREFIX + k, v));
    return EffectiveConfig.describe(all, ServerConfigDef.OWN);
  }
}
