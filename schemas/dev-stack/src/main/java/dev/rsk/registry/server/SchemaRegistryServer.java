package dev.rsk.registry.server;

import dev.rsk.registry.SchemaStore;
import io.javalin.Javalin;
import java.time.Duration;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process schema registry speaking the subset of the Confluent Schema Registry REST API that
 * clients use, storing its schemas in a compacted Kafka topic ({@code _schemas} by default) so that ids
 * survive restarts and several registries over one Kafka cluster agree.
 *
 * <p>Routes: {@code GET /schemas/ids/{id}} (+ {@code /versions}, {@code /subjects}), {@code GET /schemas/types},
 * {@code GET /subjects}, {@code GET /subjects/{s}/versions}, {@code GET /subjects/{s}/versions/{v|latest}}
 * (+ {@code /schema}), {@code POST /subjects/{s}/versions} (register), {@code POST /subjects/{s}} (look up),
 * {@code POST /compatibility/subjects/{s}/versions/{v|latest}}, {@code GET|PUT /config},
 * {@code GET|PUT|DELETE /config/{s}}. Only AVRO schemas without references. Compatibility is checked with
 * Avro's {@link org.apache.avro.SchemaCompatibility}; the default level is BACKWARD. Errors are Confluent
 * bodies {@code {"error_code": n, "message": "..."}}. Deleting schemas is not supported. This class runs the
 * server; {@link RegistryRoutes} answers the routes, over {@link SubjectRegistry}.
 */
public final class SchemaRegistryServer implements AutoCloseable {

  /** Default name of the schema topic, as Confluent's. */
  public static final String DEFAULT_TOPIC = "_schemas";
  /** Bound on every Kafka operation behind a request. */
  public static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);
  private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryServer.class);

  private final SchemaLog log;
  private final Javalin http;
  private final String url;

  private SchemaRegistryServer(final String bootstrapServers, final String host, final int port, final String topic) {
    final SchemaStore store = new SchemaStore();
    this.log = new SchemaLog(bootstrapServers, topic, store, KAFKA_TIMEOUT);
    try {
      log.syncToEnd();
      this.http = Javalin.create(config -> {
        config.showJavalinBanner = false;
        config.startupWatcherEnabled = false;
        config.jetty.threadPool = new QueuedThreadPool(32, 2, 60_000);
      });
      new RegistryRoutes(new SubjectRegistry(store, log)).install(http);
      http.start(host, port);
    } catch (RuntimeException e) {
      log.close();
      throw e;
    }
    this.url = "http://" + ("0.0.0.0".equals(host) ? "127.0.0.1" : host) + ":" + http.port();
    LOG.info("Schema registry serving {} from topic {} on {}", url, topic, bootstrapServers);
  }

  /** Starts a registry on {@code 127.0.0.1:port} (0 = ephemeral) over topic {@code _schemas}. */
  public static SchemaRegistryServer start(final String bootstrapServers, final int port) {
    return start(bootstrapServers, "127.0.0.1", port, DEFAULT_TOPIC);
  }

  /** Starts a registry on {@code host:port} over the given schema topic (created compacted if missing). */
  public static SchemaRegistryServer start(final String bootstrapServers, final String host, final int port,
      final String topic) {
    return new SchemaRegistryServer(bootstrapServers, host, port, topic);
  }

  /** The base URL, for {@code schema.registry.url}. */
  public String url() {
    return url;
  }

  /** The bound port. */
  public int port() {
    return http.port();
  }

  @Override
  public void close() {
    http.stop();
    log.close();
  }
}
