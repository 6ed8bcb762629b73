package dev.rsk.api.server;

import static dev.rsk.api.server.ServerConfig.ADVERTISED_HOST;
import static dev.rsk.api.server.ServerConfig.HTTP_BIND;
import static dev.rsk.api.server.ServerConfig.HTTP_PORT;
import static dev.rsk.api.server.ServerConfig.REMOTE_TIMEOUT;
import static dev.rsk.api.server.ServerConfig.REPOSITORY_RETENTION;
import static dev.rsk.api.server.ServerConfig.RETENTION;
import static dev.rsk.api.server.ServerConfig.SKETCHES_TOPIC;
import static dev.rsk.api.server.ServerConfig.STATS_BUCKET;
import static dev.rsk.api.server.ServerConfig.STATS_RETENTION;
import static dev.rsk.api.server.ServerConfig.STORE_WAIT;
import static dev.rsk.config.ConfigDefs.define;
import static dev.rsk.config.Validators.iso;

import dev.rsk.api.ApiLimits;
import dev.rsk.config.Validators;
import dev.rsk.stats.StatsConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;

/**
 * The server's keys, each declared once with its type, default, valid values and doc: {@link #OWN} are the
 * {@code rsk.*} keys, {@link #KAFKA} the Kafka keys the server needs, documents, or gives a default of its own.
 * The retention and timeout defaults are those of {@link StatsConfig#defaults} and {@link ApiLimits#defaults}.
 * Never changed after class initialisation; {@link ServerConfig#configDef()} hands out copies.
 */
final class ServerConfigDef {

  static final ConfigDef OWN = own();
  static final ConfigDef KAFKA = kafka();

  private ServerConfigDef() {}

  private static ConfigDef own() {
    final ConfigDef d = new ConfigDef();
    final ApiLimits api = ApiLimits.defaults();
    define(d, "HTTP", HTTP_PORT, Type.INT, 8080, Range.between(0, 65_535), Importance.HIGH,
        "HTTP listener port (0 = ephemeral).");
    define(d, "HTTP", HTTP_BIND, Type.STRING, "0.0.0.0", null, Importance.MEDIUM, "HTTP listener address.");
    define(d, "HTTP", ADVERTISED_HOST, Type.STRING, null, null, Importance.MEDIUM,
        "Host other instances reach this one at; used when kafka.application.server is not given.",
        "the host name");
    define(d, "Stats", SKETCHES_TOPIC, Type.STRING, StatsConfig.DEFAULT_SKETCHES_TOPIC, Validators.nonBlank(),
        Importance.HIGH, "Input topic, keyed by inference id (StringSerializer).");
    define(d, "Stats", RETENTION, Type.STRING, iso(StatsConfig.DEFAULT_RETENTION), Validators.isoDuration(),
        Importance.MEDIUM, "Hourly buckets (presence, counts, sketch sums) are kept this long, by event time.");
    define(d, "Stats", STATS_BUCKET, Type.STRING, iso(StatsConfig.DEFAULT_STATS_BUCKET), Validators.isoDuration(),
        Importance.MEDIUM, "Attribute-statistics buckets (whole hours).");
    define(d, "Stats", STATS_RETENTION, Type.STRING, iso(StatsConfig.DEFAULT_RETENTION), Validators.isoDuration(),
        Importance.MEDIUM, "Attribute-statistics buckets are kept this long.");
    define(d, "Stats", REPOSITORY_RETENTION, Type.STRING, iso(StatsConfig.DEFAULT_RETENTION),
        Validators.isoDuration(), Importance.MEDIUM, "Sketches older than this (by event time, relative to the"
            + " newest seen) are deleted, at most 10,000 per 10-minute clean-up.");
    define(d, "API", STORE_WAIT, Type.STRING, iso(api.storeWait()), Validators.isoDuration(), Importance.LOW,
        "How long a query waits for a migrating store before 503.");
    define(d, "API", REMOTE_TIMEOUT, Type.STRING, iso(api.remoteTimeout()), Validators.isoDuration(),
        Importance.LOW, "Connect and request timeout of a call to another instance.");
    return d;
  }

  private static ConfigDef kafka() {
    final ConfigDef d = new ConfigDef();
    final String k = ServerConfig.KAFKA_PREFIX;
    define(d, "Kafka", k + StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, null,
        Importance.HIGH, "Kafka brokers.");
    define(d, "Kafka", k + "schema.registry.url", Type.STRING, ConfigDef.NO_DEFAULT_VALUE, null, Importance.HIGH,
        "Confluent-compatible registry (value serde of the sketches topic).");
    define(d, "Kafka", k + StreamsConfig.APPLICATION_ID_CONFIG, Type.STRING, ServerConfig.DEFAULT_APPLICATION_ID,
        null, Importance.HIGH, "The same on every instance.");
    define(d, "Kafka", k + StreamsConfig.APPLICATION_SERVER_CONFIG, Type.STRING, null, null, Importance.HIGH,
        "How other instances reach this one (host:port); must be unique per instance.",
        "`<rsk.http.advertised.host>:<bound port>`");
    define(d, "Kafka", k + StreamsConfig.STATE_DIR_CONFIG, Type.STRING, null, null, Importance.MEDIUM,
        "RocksDB state.", "Kafka Streams default");
    define(d, "Kafka", k + StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, Type.INT, null, null, Importance.MEDIUM,
        "Standby copies, used for stale answers while an owner is unavailable.", "0 (Kafka Streams default)");
    define(d, "Kafka", k + StreamsConfig.PROCESSING_GUARANTEE_CONFIG, Type.STRING, StreamsConfig.EXACTLY_ONCE_V2,
        null, Importance.MEDIUM, "Processing guarantee of the stats topology.");
    // A record is never allowed to stop the topology; Streams counts the skipped ones in dropped-records.
    define(d, "Kafka", k + StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, Type.CLASS,
        LogAndContinueExceptionHandler.class, null, Importance.LOW,
        "Records that cannot be read are logged and skipped.");
    define(d, "Kafka", k + StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, Type.CLASS,
        LogAndContinueProcessingExceptionHandler.class, null, Importance.LOW,
        "Records whose processing fails are logged and skipped.");
    // Without it Kafka Streams warns at every start; it extends the same never-die rule to global stores.
    define(d, "Kafka", k + StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, Type.BOOLEAN, true,
        null, Importance.LOW, "The processing exception handler also covers global stores.");
    return d;
  }
}
