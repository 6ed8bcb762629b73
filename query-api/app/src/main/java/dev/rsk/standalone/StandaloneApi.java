package dev.rsk.standalone;

import dev.rsk.api.server.ServerConfig;
import dev.rsk.api.server.SketchesPurge;
import dev.rsk.api.server.StatsServer;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Runs the stats aggregator and the HTTP API on a {@link StandaloneStack}: its broker, registry and
 * sketches topic, Kafka Streams state under {@code <dataDir>/stats}, HTTP on the stack's
 * {@code --http-port} (all interfaces, advertised as {@code localhost}). Attached to the stack, so
 * closing the stack closes it first.
 *
 * <p>Like the production roles, it honours {@code RSK_API_TOKENS} and {@code RSK_API_TOKENS_FILE} (bearer
 * tokens on {@code /v1}), {@code RSK_CLUSTER_SECRET} and {@code RSK_TOPIC_SKETCHES_PURGE_GROUPS} (the groups the
 * sketches topic's purge waits for; default {@code rsk-stats}) from the environment, and nothing else of it (the
 * stack's own broker and registry must not be overridden). With tokens and no secret, a random secret is
 * made for this run: the one instance is the whole cluster.
 */
public final class StandaloneApi {

  /** Application id of the standalone stats instance. */
  public static final String APPLICATION_ID = "rsk-stats";

  private StandaloneApi() {}

  /** The environment variables the standalone API honours. */
  public static final List<String> ENV = List.of("RSK_API_TOKENS", "RSK_API_TOKENS_FILE", "RSK_CLUSTER_SECRET",
      "RSK_TOPIC_SKETCHES_PURGE_GROUPS");

  /** The server configuration for {@code stack}, with the access settings of this process's environment. */
  public static ServerConfig config(final StandaloneStack stack) {
    return config(stack, Map.of());
  }

  /** {@link #config(StandaloneStack)} with extra {@code rsk.*} keys (the demo's concept warm-up). */
  public static ServerConfig config(final StandaloneStack stack, final Map<String, String> extra) {
    return config(stack.options(), stack.bootstrapServers(), stack.registryUrl(), System.getenv(), extra);
  }

  /** The server configuration of a stack at {@code bootstrap} and {@code registryUrl}, access from {@code env}. */
  public static ServerConfig config(final StandaloneOptions o, final String bootstrap, final String registryUrl,
      final Map<String, String> env) {
    return config(o, bootstrap, registryUrl, env, Map.of());
  }

  private static ServerConfig config(final StandaloneOptions o, final String bootstrap, final String registryUrl,
      final Map<String, String> env, final Map<String, String> extra) {
    final Properties p = new Properties();
    p.putAll(extra);
    // The sketches topic is the hand-off to this aggregator: purged below what it committed (docs/api.md).
    p.putIfAbsent(SketchesPurge.GROUPS, APPLICATION_ID);
    p.put("kafka.bootstrap.servers", bootstrap);
    p.put("kafka.schema.registry.url", registryUrl);
    p.put("kafka.application.id", APPLICATION_ID);
    p.put("kafka.state.dir", o.dataDir().resolve("stats").toAbsolutePath().toString());
    p.put("rsk.http.port", String.valueOf(o.httpPort()));
    p.put("rsk.http.bind", "0.0.0.0");
    p.put("rsk.http.advertised.host", "localhost");
    p.put("rsk.topic.sketches", o.sketchesTopic());
    FastRestart.kafka(o.dataDir(), "stats").forEach((k, v) -> p.put("kafka." + k, v));
    final Map<String, String> access = new HashMap<>();
    ENV.forEach(name -> {
      final String v = env.get(name);
      if (v != null && !v.isBlank()) {
        access.put(name, v);
      }
    });
    final boolean tokens = access.containsKey("RSK_API_TOKENS") || access.containsKey("RSK_API_TOKENS_FILE");
    if (tokens && !access.containsKey("RSK_CLUSTER_SECRET")) {
      final byte[] secret = new byte[32];
      new SecureRandom().nextBytes(secret);
      p.put("rsk.cluster.secret", HexFormat.of().formatHex(secret));
    }
    return new ServerConfig(p, access);
  }

  /** Starts the stats + API instance and attaches it to the stack. */
  public static StatsServer attach(final StandaloneStack stack) {
    return attach(stack, config(stack));
  }

  /**
   * Starts the stats + API instance of {@code config} and attaches it to the stack, after deleting the task state
   * an unclean stop left ({@link UncleanState}).
   */
  public static StatsServer attach(final StandaloneStack stack, final ServerConfig config) {
    final Properties streams = config.streamsProperties("unused:0");
    UncleanState.wipe(streams);
    final StatsServer server = StatsServer.start(config);
    stack.attach(new CleanStop(server, server::streams, streams));
    return server;
  }

  /** A token a client of this instance can send (the first configured), or null when there are none. */
  public static String clientToken(final ServerConfig config) {
    return config.security().tokens().isEmpty() ? null : config.security().tokens().get(0);
  }
}
