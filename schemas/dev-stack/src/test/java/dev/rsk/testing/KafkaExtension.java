package dev.rsk.testing;

import dev.rsk.kafka.EmbeddedKafka;
import dev.rsk.registry.HttpSchemaRegistryClient;
import dev.rsk.registry.server.SchemaRegistryServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One in-process Kafka broker and one in-process schema registry (over the broker's {@code _schemas}
 * topic) per test class, on ephemeral ports, in a temporary directory deleted after the class. Use as
 * {@code @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();}
 */
public final class KafkaExtension implements BeforeAllCallback, AfterAllCallback {

  private Path dir;
  private EmbeddedKafka kafka;
  private SchemaRegistryServer registry;

  @Override
  public void beforeAll(final ExtensionContext context) throws IOException {
    dir = Files.createTempDirectory("rsk-kafka-");
    kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
    try {
      registry = SchemaRegistryServer.start(kafka.bootstrapServers(), 0);
    } catch (RuntimeException e) {
      afterAll(context);
      throw e;
    }
  }

  @Override
  public void afterAll(final ExtensionContext context) {
    try {
      if (registry != null) {
        registry.close();
      }
      if (kafka != null) {
        kafka.close();
      }
    } finally {
      registry = null;
      kafka = null;
      deleteRecursively(dir);
    }
  }

  /** The registry's URL, for {@code schema.registry.url}. */
  public String registryUrl() {
    broker();
    return registry.url();
  }

  /** A fresh HTTP client on the registry. */
  public HttpSchemaRegistryClient registryClient() {
    return HttpSchemaRegistryClient.forUrl(registryUrl());
  }

  /** Serde settings: {@code schema.registry.url} of the in-process registry. */
  public Map<String, Object> serdeConfig() {
    return Map.of("schema.registry.url", registryUrl());
  }

  /** The broker's {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return broker().bootstrapServers();
  }

  /** The broker itself (admin client, data directory). */
  public EmbeddedKafka broker() {
    if (kafka == null) {
      throw new IllegalStateException(
          "KafkaExtension not started: register it with @RegisterExtension on a static field");
    }
    return kafka;
  }

  /** The per-class temporary directory (the broker uses its {@code kafka} subdirectory). */
  public Path tempDir() {
    broker();
    return dir;
  }

  /** Creates a topic (replication factor 1); an existing one is kept. */
  public void createTopic(final String name, final int partitions) {
    broker().createTopic(name, partitions, Map.of());
  }

  /** Producer settings: bootstrap servers, acks=all, idempotence; add the serializers. */
  public Map<String, Object> producerProps() {
    final Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    // Test fixtures write with a plain (non-idempotent) producer, one request in flight so order holds: the
    // in-process broker rejected the idempotent producer's batches with OutOfOrderSequenceException in long
    // runs (cause not found yet; see the closing note), and a rejected fixture is a setup timeout, not a test.
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000);
    return props;
  }

  /** Consumer settings for a group, reading from the earliest offset; add the deserializers. */
  public Map<String, Object> consumerProps(final String groupId) {
    final Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return props;
  }

  /**
   * Kafka Streams settings: application id, bootstrap, a fresh state directory, fast commits (plain keys,
   * so this module needs no Streams dependency).
   */
  public Map<String, Object> streamsProps(final String applicationId) {
    final Map<String, Object> props = new HashMap<>();
    props.put("application.id", applicationId);
    props.put("bootstrap.servers", bootstrapServers());
    try {
      props.put("state.dir", Files.createTempDirectory(tempDir(), "streams-").toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    props.put("commit.interval.ms", 100);
    props.put("consumer." + ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return props;
  }

  /** Shortest wait of {@link #consume} with count 0 for the topic's end, whatever timeout is given. */
  public static final Duration MIN_READ_TO_END = Duration.ofSeconds(30);

  /**
   * Reads a topic's committed records from the beginning of every partition (assigned directly, no
   * consumer group, {@code read_committed}).
   *
   * <p>With {@code count > 0}: returns once {@code count} records arrived, or throws an {@link AssertionError}
   * saying how many did if they do not within {@code timeout}. With {@code count == 0}: returns every record
   * up to the partitions' end offsets at the time of the call (so {@code isEmpty()} really means the topic is
   * empty); it waits at most {@code max(timeout, MIN_READ_TO_END)} for that and throws otherwise.
   */
  public <K, V> List<ConsumerRecord<K, V>> consume(final String topic, final Deserializer<K> keys,
      final Deserializer<V> values, final int count, final Duration timeout) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0");
    }
    final Duration wait = count == 0 && timeout.compareTo(MIN_READ_TO_END) < 0 ? MIN_READ_TO_END : timeout;
    final long deadline = System.nanoTime() + wait.toNanos();
    final List<ConsumerRecord<K, V>> records = new ArrayList<>();
    final Map<String, Object> props = consumerProps("unused");
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    // Only what exactly-once producers committed (no difference for plain producers).
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(props, keys, values)) {
      List<TopicPartition> partitions = List.of();
      while (partitions.isEmpty() && System.nanoTime() < deadline) {
        partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      }
      if (partitions.isEmpty()) {
        throw new AssertionError("Topic " + topic + " has no partitions after " + wait);
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      final Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
      while (System.nanoTime() < deadline) {
        if (count > 0 ? records.size() >= count : reached(consumer, end)) {
          return records;
        }
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    throw new AssertionError(count > 0
        ? "Expected " + count + " records on " + topic + " within " + wait + ", got " + records.size()
        : "Could not read " + topic + " to its end within " + wait + " (read " + records.size() + ")");
  }

  private static boolean reached(final KafkaConsumer<?, ?> consumer, final Map<TopicPartition, Long> end) {
    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey(), Duration.ofSeconds(5)) >= e.getValue());
  }

  private static void deleteRecursively(final Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // Best effort: a leftover temp file must not fail the test class.
        }
      });
    } catch (IOException e) {
      // Best effort, as above.
    }
  }
}
