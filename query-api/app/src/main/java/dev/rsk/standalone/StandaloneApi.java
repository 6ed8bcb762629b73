package dev.rsk.standalone;

import dev.rsk.api.server.ServerConfig;
import dev.rsk.api.server.StatsServer;
import java.util.Properties;

/**
 * Runs the stats aggregator and the HTTP API on a {@link StandaloneStack}: its broker, registry and
 * sketches topic, Kafka Streams state under {@code <dataDir>/stats}, HTTP on the stack's
 * {@code --http-port} (all interfaces, advertised as {@code localhost}). Attached to the stack, so
 * closing the stack closes it first.
 */
public final class StandaloneApi {

  /** Application id of the standalone stats instance. */
  public static final String APPLICATION_ID = "rsk-stats";

  private StandaloneApi() {}

  /** The server configuration for {@code stack}. */
  public static ServerConfig config(final StandaloneStack stack) {
    final StandaloneOptions o = stack.options();
    final Properties p = new Properties();
    p.put("kafka.bootstrap.servers", stack.bootstrapServers());
    p.put("kafka.schema.registry.url", stack.registryUrl());
    p.put("kafka.application.id", APPLICATION_ID);
    p.put("kafka.state.dir", o.dataDir().resolve("stats").toAbsolutePath().toString());
    p.put("rsk.http.port", String.valueOf(o.httpPort()));
    p.put("rsk.http.bind", "0.0.0.0");
    p.put("rsk.http.advertised.host", "localhost");
    p.put("rsk.topic.sketches", o.sketchesTopic());
    return new ServerConfig(p);
  }

  /** Starts the stats + API instance and attaches it to the stack. */
  public static StatsServer attach(final StandaloneStack stack) {
    return stack.attach(StatsServer.start(config(stack)));
  }
}
