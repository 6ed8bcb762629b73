package dev.rsk.api.server;

import dev.rsk.api.ApiLimits;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;

/**
 * Configuration of a stats + API instance ({@code rsk server --config F}), same conventions as the
 * processor: keys {@code rsk.*} are ours; {@code kafka.X} goes to Kafka Streams and the Avro serdes as
 * {@code X}; any other key is passed through unchanged. Environment variables override the file:
 * {@code RSK_KAFKA_A_B} sets {@code kafka.a.b}, any other {@code RSK_A_B} sets {@code rsk.a.b}.
 * Durations are ISO-8601 (PT2S, P400D).
 *
 * <p>Our keys and defaults: {@code rsk.http.port} 8080, {@code rsk.http.bind} 0.0.0.0,
 * {@code rsk.http.advertised.host} (default: this machine's host name; ignored when
 * {@code kafka.application.server} is given), {@code rsk.topic.sketches} sketches,
 * {@code rsk.retention} P400D (hourly buckets and sums), {@code rsk.stats.bucket} P1D,
 * {@code rsk.stats.retention} P400D, {@code rsk.repository.retention} P400D, {@code rsk.api.store.wait}
 * PT2S, {@code rsk.api.remote.timeout} PT5S. Kafka Streams defaults unless given: application.id
 * rsk-stats, processing.guarantee exactly_once_v2, log-and-continue deserialization and processing
 * exception handlers.
 */
public final class ServerConfig {

  public static final String DEFAULT_APPLICATION_ID = "rsk-stats";
  public static final String KAFKA_PREFIX = "kafka.";
  public static final String ENV_PREFIX = "RSK_";

  private final Map<String, String> rsk = new TreeMap<>();
  private final Map<String, String> kafka = new TreeMap<>();

  /** From a properties file and the environment (environment wins). */
  public ServerConfig(final Properties file, final Map<String, String> env) {
    final Map<String, String> merged = new TreeMap<>();
    file.stringPropertyNames().forEach(k -> merged.put(k.trim(), file.getProperty(k).trim()));
    env.forEach((name, value) -> {
      if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()) {
        final String dotted = name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
        merged.put(dotted.startsWith(KAFKA_PREFIX) ? dotted : "rsk." + dotted, value.trim());
      }
    });
    merged.forEach((k, v) -> {
      if (k.startsWith("rsk.")) {
        rsk.put(k, v);
      } else if (k.startsWith(KAFKA_PREFIX)) {
        kafka.put(k.substring(KAFKA_PREFIX.length()), v);
      } else {
        kafka.put(k, v);
      }
    });
  }

  /** From properties only (tests, standalone). */
  public ServerConfig(final Properties file) {
    this(file, Map.of());
  }

  public int httpPort() {
    final String v = rsk.getOrDefault("rsk.http.port", "8080");
    try {
      final int port = Integer.parseInt(v);
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("rsk.http.port must be a port number in [0, 65535]: " + v);
    }
  }

  public String bindHost() {
    return rsk.getOrDefault("rsk.http.bind", "0.0.0.0");
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
    final String h = rsk.get("rsk.http.advertised.host");
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
    return rsk.getOrDefault("rsk.topic.sketches", "sketches");
  }

  public Duration duration(final String key, final Duration dflt) {
    final String v = rsk.get(key);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      return Duration.parse(v);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(key + " must be an ISO-8601 duration (e.g. P400D): " + v, e);
    }
  }

  public ApiLimits limits() {
    final ApiLimits d = ApiLimits.defaults();
    return new ApiLimits(d.maxRange(), d.defaultRange(), d.maxBuckets(), d.defaultK(), d.maxK(),
        duration("rsk.api.store.wait", d.storeWait()), duration("rsk.api.remote.timeout", d.remoteTimeout()),
        d.retryAfterSeconds());
  }

  /** Serde configuration: the Kafka keys (the serdes read schema.registry.*). */
  public Map<String, Object> serdeConfig() {
    return new HashMap<>(kafka);
  }

  /** Kafka Streams properties: the Kafka keys over our defaults, with {@code application.server}. */
  public Properties streamsProperties(final String applicationServer) {
    final Properties out = new Properties();
    out.put(StreamsConfig.APPLICATION_ID_CONFIG, DEFAULT_APPLICATION_ID);
    out.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    out.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
    out.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
        LogAndContinueProcessingExceptionHandler.class);
    out.putAll(kafka);
    out.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
    return out;
  }
}
