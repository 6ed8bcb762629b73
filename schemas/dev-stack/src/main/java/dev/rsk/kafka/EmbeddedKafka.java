package dev.rsk.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
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
 * {@link KafkaException} otherwise. An ephemeral port (0) is picked before start and retried, at most
 * {@link #PORT_ATTEMPTS} times, should another process take it in between.
 */
public final class EmbeddedKafka implements AutoCloseable {

  /** Longest wait for the broker to answer after start. */
  public static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  /** Bound on every admin call (topic creation). */
  public static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
  static final int PORT_ATTEMPTS = 3;
  private static final int NODE_ID = 1;
  private static final String BROKER_LISTENER = "PLAINTEXT";
  private static final String CONTROLLER_LISTENER = "CONTROLLER";
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

  private final KafkaRaftServer server;
  private final String bootstrapServers;
  private final Path logDir;

  private EmbeddedKafka(final KafkaRaftServer server, final String bootstrapServers, final Path logDir) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
    this.logDir = logDir;
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
    RuntimeException last = null;
    for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
      final int brokerPort = port == 0 ? freePort() : port;
      final int controllerPort = freePort();
      try {
        return startOnce(logDir, brokerPort, controllerPort, overrides);
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
      final Map<String, String> overrides) {
    final Properties props = new Properties();
    props.put("process.roles", "broker,controller");
    props.put("node.id", String.valueOf(NODE_ID));
    props.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
    props.put("listeners", BROKER_LISTENER + "://127.0.0.1:" + brokerPort + "," + CONTROLLER_LISTENER
        + "://127.0.0.1:" + controllerPort);
    props.put("advertised.listeners", BROKER_LISTENER + "://127.0.0.1:" + brokerPort);
    props.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    props.put("controller.listener.names", CONTROLLER_LISTENER);
    props.put("inter.broker.listener.name", BROKER_LISTENER);
    props.put("log.dirs", logDir.toString());
    // A single node: every internal topic has replication factor 1, or groups/transactions never work.
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "4");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("transaction.state.log.num.partitions", "4");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("default.replication.factor", "1");
    props.put("min.insync.replicas", "1");
    // Streams otherwise waits 3 s in REBALANCING for every new group.
    props.put("group.initial.rebalance.delay.ms", "0");
    // After a kill -9 the restarted broker cannot register until its dead incarnation's session expires
    // (default 9 s); broker and controller share this process, so a short session costs nothing.
    props.put("broker.session.timeout.ms", "2000");
    props.put("broker.heartbeat.interval.ms", "500");
    // Keep a small footprint: this shares a JVM (and 2 cores) with the application.
    props.put("num.network.threads", "2");
    props.put("num.io.threads", "2");
    props.put("background.threads", "2");
    props.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
    props.put("log.cleaner.threads", "1");
    props.putAll(overrides);

    format(logDir, controllerPort);
    final KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
    try {
      server.startup();
    } catch (RuntimeException e) {
      shutdownQuietly(server);
      throw e;
    }
    final String bootstrap = "127.0.0.1:" + brokerPort;
    final EmbeddedKafka kafka = new EmbeddedKafka(server, bootstrap, logDir);
    try {
      kafka.awaitReady();
    } catch (RuntimeException e) {
      kafka.close();
      throw e;
    }
    LOG.info("Kafka broker started at {} (data in {})", bootstrap, logDir);
    return kafka;
  }

  /** Formats the log directory on first use; an already formatted directory is kept as it is. */
  private static void format(final Path logDir, final int controllerPort) {
    if (Files.exists(logDir.resolve("meta.properties"))) {
      return;
    }
    final Formatter formatter = new Formatter()
        .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
        .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
        .setNodeId(NODE_ID)
        .setClusterId(Uuid.randomUuid().toString())
        .setDirectories(List.of(logDir.toString()))
        .setMetadataLogDirectory(logDir.toString())
        .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
        .setControllerListenerName(CONTROLLER_LISTENER)
        .setIgnoreFormatted(true);
    try {
      formatter.run();
    } catch (Exception e) {
      throw new KafkaException("Cannot format Kafka storage in " + logDir + ": " + e.getMessage(), e);
    }
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
      try {
        admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(config)))
            .all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new KafkaException("Cannot create topic " + name + ": " + e.getCause().getMessage(), e.getCause());
        }
      }
      awaitTopic(admin, name);
    } catch (TimeoutException e) {
      throw new KafkaException("Creating topic " + name + " timed out after " + ADMIN_TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("Interrupted while creating topic " + name, e);
    }
  }

  /**
   * The controller acknowledges a creation before the broker's metadata has it: wait until the broker
   * serves every partition with a leader, so that callers can use the topic at once.
   */
  private static void awaitTopic(final Admin admin, final String name) throws InterruptedException, TimeoutException {
    final long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
    while (true) {
      try {
        final var description = admin.describeTopics(List.of(name)).allTopicNames()
            .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(name);
        if (description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
          return;
        }
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof org.apache.kafka.common.errors.RetriableException)) {
          throw new KafkaException("Cannot describe topic " + name + ": " + e.getCause().getMessage(), e.getCause());
        }
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("topic " + name + " has no leader after " + ADMIN_TIMEOUT);
      }
      Thread.sleep(50);
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
