package dev.rsk.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka (KRaft, combined broker + controller) running in this JVM, storing its logs under
 * a data directory so that a restart on the same directory keeps topics and records.
 *
 * <p>The broker listens on {@code 127.0.0.1:port} (PLAINTEXT); the controller on a free loopback port
 * chosen at each start (a static single-voter quorum, so the controller port may change between starts).
 * Replication factors of internal topics are 1. {@link #start} formats the directory on first use,
 * waits until the broker serves requests (bounded by {@link #START_TIMEOUT}) and throws
 * {@link KafkaException} otherwise. After an unclean stop ({@code kill -9}) it first fences the dead broker's
 * registration with a controller-only pass ({@link DeadIncarnation}), so the broker registers at once instead of
 * after its old session ({@code broker.session.timeout.ms}). An ephemeral port (0) is picked before start and retried,
 * at most {@link #PORT_ATTEMPTS} times, should another process take it in between.
 */
public final class EmbeddedKafka implements AutoCloseable {

  /** Longest wait for the broker to answer after start. */
  public static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  /** Bound on every admin call (topic creation). */
  public static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
  /** Longest controller-only pass fencing the registration an unclean stop left ({@link DeadIncarnation}). */
  static final Duration FENCE_TIMEOUT = Duration.ofSeconds(20);
  static final int PORT_ATTEMPTS = 3;
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

  private final KafkaRaftServer server;
  private final String bootstrapServers;
  private final Path logDir;
  private final DeadIncarnation.Outcome fenced;

  private EmbeddedKafka(final KafkaRaftServer server, final String bootstrapServers, final Path logDir,
      final DeadIncarnation.Outcome fenced) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
    this.logDir = logDir;
    this.fenced = fenced;
  }

  /** What this start did about a registration the previous run left unfenced ({@link DeadIncarnation}). */
  DeadIncarnation.Outcome previousIncarnation() {
    return fenced;
  }

  /** Starts a broker storing its logs in {@code dataDir}, listening on {@code port} (0 = a free port). */
  public static EmbeddedKafka start(final Path dataDir, final int port) {
    return start(dataDir, port, Map.of());
  }

  /** As {@link #start(Path, int)}, with extra broker properties that override the defaults. */
  public static EmbeddedKafka start(final Path dataDir, final int port, final Map<String, String> overrides) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("Kafka port must be 0..65535, got " + port);
    }
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create Kafka data directory " + dataDir, e);
    }
    final Path logDir = dataDir.toAbsolutePath();
    final DeadIncarnation.Outcome fenced = DeadIncarnation.uncleanStop(logDir)
        ? DeadIncarnation.fence(logDir, freePort(), overrides, FENCE_TIMEOUT) : DeadIncarnation.Outcome.NOT_NEEDED;
    RuntimeException last = null;
    for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
      final int brokerPort = port == 0 ? freePort() : port;
      final int controllerPort = freePort();
      try {
        return startOnce(logDir, brokerPort, controllerPort, overrides, fenced);
      } catch (RuntimeException e) {
        last = e;
        if (!isBindFailure(e) || (port != 0 && attempt > 1)) {
          break;
        }
        LOG.warn("Kafka could not bind its ports (attempt {}/{}), retrying with other ports: {}", attempt,
            PORT_ATTEMPTS, e.getMessage());
      }
    }
    throw new KafkaException("Cannot start the in-process Kafka broker on port " + port + " in " + logDir
        + ": " + rootMessage(last), last);
  }

  private static EmbeddedKafka startOnce(final Path logDir, final int brokerPort, final int controllerPort,
      final Map<String, String> overrides, final DeadIncarnation.Outcome fenced) {
    final Properties props = SingleNodeKRaft.properties(logDir, brokerPort, controllerPort, overrides);
    SingleNodeKRaft.format(logDir);
    final KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
    try {
      server.startup();
    } catch (RuntimeException e) {
      shutdownQuietly(server);
      throw e;
    }
    final String bootstrap = "127.0.0.1:" + brokerPort;
    final EmbeddedKafka kafka = new EmbeddedKafka(server, bootstrap, logDir, fenced);
    try {
      kafka.awaitReady();
    } catch (RuntimeException e) {
      kafka.close();
      throw e;
    }
    LOG.info("Kafka broker started at {} (data in {})", bootstrap, logDir);
    return kafka;
  }

  private void awaitReady() {
    final long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    try (Admin admin = admin()) {
      while (true) {
        try {
          if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (ExecutionException | TimeoutException e) {
          if (System.nanoTime() > deadline) {
            throw new KafkaException("Kafka broker at " + bootstrapServers + " not ready after " + START_TIMEOUT, e);
          }
        }
        if (System.nanoTime() > deadline) {
          throw new KafkaException("Kafka broker at " + bootstrapServers + " not ready after " + START_TIMEOUT);
        }
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("Interrupted while waiting for the Kafka broker", e);
    }
  }

  /** {@code host:port} of the broker, for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The directory holding the broker's logs. */
  public Path dataDir() {
    return logDir;
  }

  /** An admin client on this broker; the caller closes it. */
  public Admin admin() {
    return Admin.create(Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis(),
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis()));
  }

  /**
   * Creates a topic with replication factor 1 and the given topic configs; an existing topic is left as it
   * is (idempotent, so a restart can call it again). {@link KafkaException} if creation fails or times out.
   */
  public void createTopic(final String name, final int partitions, final Map<String, String> config) {
    try (Admin admin = admin()) {
      TopicCreator.create(admin, name, partitions, config, ADMIN_TIMEOUT);
    }
  }

  /** Stops the broker and waits for it; the data directory is kept. */
  @Override
  public void close() {
    shutdownQuietly(server);
    LOG.info("Kafka broker at {} stopped", bootstrapServers);
  }

  private static void shutdownQuietly(final KafkaRaftServer server) {
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException e) {
      LOG.warn("Error while stopping the Kafka broker", e);
    }
  }

  /** A loopback port free at the time of the call. */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot find a free port", e);
    }
  }

  private static boolean isBindFailure(final Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.BindException
          || (t.getMessage() != null && t.getMessage().contains("failed to bind"))) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(final Throwable e) {
    Throwable t = e;
    while (t != null && t.getCause() != null) {
      t = t.getCause();
    }
    return t == null ? "unknown error" : t.getClass().getSimpleName() + ": " + t.getMessage();
  }
}
