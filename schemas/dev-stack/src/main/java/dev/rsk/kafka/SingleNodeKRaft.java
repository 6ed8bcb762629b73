package dev.rsk.kafka;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * The configuration and the storage of {@link EmbeddedKafka}'s single node: combined broker + controller, a
 * static single-voter quorum, replication factor 1 for every internal topic, and a small thread footprint.
 */
final class SingleNodeKRaft {

  static final int NODE_ID = 1;
  private static final String BROKER_LISTENER = "PLAINTEXT";
  private static final String CONTROLLER_LISTENER = "CONTROLLER";

  private SingleNodeKRaft() {}

  /** The node's properties, listening on loopback, with {@code overrides} applied over the defaults. */
  static Properties properties(final Path logDir, final int brokerPort, final int controllerPort,
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
    // broker.session.timeout.ms stays at its default (9 s): at 2 s a loaded machine let the controller fence
    // its own broker, and test producers then failed with OutOfOrderSequenceException (docs/foundation.md)
    // Keep a small footprint: this shares a JVM (and 2 cores) with the application.
    props.put("num.network.threads", "2");
    props.put("num.io.threads", "2");
    props.put("background.threads", "2");
    props.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
    props.put("log.cleaner.threads", "1");
    props.putAll(overrides);
    return props;
  }

  /**
   * The same node as a controller only (no broker, no broker listener), on {@code controllerPort}: what
   * {@link DeadIncarnation} runs before the node itself.
   */
  static Properties controllerOnly(final Path logDir, final int controllerPort, final Map<String, String> overrides) {
    final Properties props = properties(logDir, 0, controllerPort, overrides);
    props.put("process.roles", "controller");
    props.put("listeners", CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort);
    props.put("listener.security.protocol.map", CONTROLLER_LISTENER + ":PLAINTEXT");
    props.remove("advertised.listeners");
    props.remove("inter.broker.listener.name");
    return props;
  }

  /**
   * Formats the log directory on first use; an already formatted directory is kept as it is.
   *
   * @throws KafkaException if formatting fails
   */
  static void format(final Path logDir) {
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
}
