package dev.rsk.standalone;

import dev.rsk.registry.server.SchemaRegistryServer;
import dev.rsk.stats.StatsConfig;
import dev.rsk.stats.concepts.ConceptConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings of the standalone stack. Ports 0 pick free ephemeral ports (tests); topic names are
 * configurable, their value subjects follow ({@code <topic>-value}), and every topic of the stack must have its own
 * name (two roles on one topic would feed the processor its own output, or its DLQ back to it).
 *
 * @throws IllegalArgumentException for a bad port, topic name or partition count, or two roles on one topic
 */
public record StandaloneOptions(
    Path dataDir,
    int kafkaPort,
    int registryPort,
    int httpPort,
    String activationsTopic,
    String sketchesTopic,
    String dlqTopic,
    int partitions) {

  public static final Path DEFAULT_DATA_DIR = Path.of("data");
  public static final int DEFAULT_KAFKA_PORT = 9092;
  public static final int DEFAULT_REGISTRY_PORT = 8081;
  public static final int DEFAULT_HTTP_PORT = 8080;
  public static final String DEFAULT_ACTIVATIONS_TOPIC = "activations";
  public static final String DEFAULT_SKETCHES_TOPIC = "sketches";
  public static final String DEFAULT_DLQ_TOPIC = "activations-dlq";
  public static final int DEFAULT_PARTITIONS = 4;
  /** Upper bound on partitions per topic: this is one machine. */
  public static final int MAX_PARTITIONS = 64;

  public StandaloneOptions {
    if (dataDir == null) {
      throw new IllegalArgumentException("dataDir is required");
    }
    checkPort("Kafka", kafkaPort);
    checkPort("registry", registryPort);
    checkPort("HTTP", httpPort);
    checkTopic(activationsTopic);
    checkTopic(sketchesTopic);
    checkTopic(dlqTopic);
    checkDistinct(activationsTopic, sketchesTopic, dlqTopic);
    if (partitions < 1 || partitions > MAX_PARTITIONS) {
      throw new IllegalArgumentException("partitions must be 1.." + MAX_PARTITIONS + ", got " + partitions);
    }
  }

  /** The defaults: ports 9092/8081/8080, data in ./data, 4 partitions. */
  public static StandaloneOptions defaults() {
    return new StandaloneOptions(DEFAULT_DATA_DIR, DEFAULT_KAFKA_PORT, DEFAULT_REGISTRY_PORT, DEFAULT_HTTP_PORT,
        DEFAULT_ACTIVATIONS_TOPIC, DEFAULT_SKETCHES_TOPIC, DEFAULT_DLQ_TOPIC, DEFAULT_PARTITIONS);
  }

  /** Defaults on ephemeral ports in {@code dataDir}: for tests. */
  public static StandaloneOptions ephemeral(final Path dataDir) {
    return defaults().withDataDir(dataDir).withPorts(0, 0, 0);
  }

  public StandaloneOptions withDataDir(final Path dir) {
    return new StandaloneOptions(dir, kafkaPort, registryPort, httpPort, activationsTopic, sketchesTopic, dlqTopic,
        partitions);
  }

  public StandaloneOptions withPorts(final int kafka, final int registry, final int http) {
    return new StandaloneOptions(dataDir, kafka, registry, http, activationsTopic, sketchesTopic, dlqTopic, partitions);
  }

  public StandaloneOptions withTopics(final String activations, final String sketches, final String dlq,
      final int partitionCount) {
    return new StandaloneOptions(dataDir, kafkaPort, registryPort, httpPort, activations, sketches, dlq,
        partitionCount);
  }

  private static void checkPort(final String what, final int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(what + " port must be 0..65535, got " + port);
    }
  }

  /** Every topic the stack uses, by role, each its own; none of Kafka's own ({@code __} names). */
  private static void checkDistinct(final String activations, final String sketches, final String dlq) {
    final Map<String, String> roles = new LinkedHashMap<>();
    role(roles, activations, "activations");
    role(roles, sketches, "sketches");
    role(roles, dlq, "DLQ");
    role(roles, StatsConfig.defaultDlqTopic(sketches), "stats DLQ (the sketches topic's name + '"
        + StatsConfig.DLQ_SUFFIX + "')");
    role(roles, ConceptConfig.DEFAULT_TOPIC, "concepts");
    role(roles, SchemaRegistryServer.DEFAULT_TOPIC, "schema registry");
  }

  private static void role(final Map<String, String> roles, final String topic, final String role) {
    final String other = roles.putIfAbsent(topic, role);
    if (other != null) {
      throw new IllegalArgumentException("the " + other + " and " + role + " topics would both be '" + topic
          + "': give each its own name");
    }
    if (topic.startsWith("__")) {
      throw new IllegalArgumentException("the " + role + " topic '" + topic + "' starts with '__', "
          + "which Kafka keeps for its own topics");
    }
  }

  private static void checkTopic(final String name) {
    // Kafka's own rule: 1..249 characters of [a-zA-Z0-9._-].
    if (name == null || !name.matches("[a-zA-Z0-9._-]{1,249}")) {
      throw new IllegalArgumentException("Invalid topic name '" + name
          + "': use 1 to 249 characters among letters, digits, '.', '_' and '-'");
    }
  }
}
