package dev.rsk.standalone;

import dev.rsk.avro.ConceptEvent;
import dev.rsk.avro.InferenceSketch;
import dev.rsk.stats.concepts.ConceptConfig;
import dev.rsk.avro.ModuleActivation;
import dev.rsk.kafka.EmbeddedKafka;
import dev.rsk.processor.ProcessorConfig;
import dev.rsk.registry.HttpSchemaRegistryClient;
import dev.rsk.registry.server.SchemaRegistryServer;
import dev.rsk.serde.JavaProperties;
import dev.rsk.stats.StatsConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone stack in this JVM: a single-node Kafka broker (data under {@code <dataDir>/kafka}), a
 * schema registry over its {@code _schemas} topic, the three topics and the (compacted) concepts topic, and the
 * three value schemas registered
 * so that any producer can fetch them. Later parts (processor, API...) {@link #attach} themselves and are
 * closed first, in reverse order. A restart on the same data directory keeps topics, records and schema ids.
 *
 * <p>Topics are created with infinite retention ({@code retention.ms=-1}): events carry their own event
 * times, possibly a year old, and time-based retention would delete them on arrival.
 */
public final class StandaloneStack implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StandaloneStack.class);
  private static final Duration WARM_UP = Duration.ofSeconds(30);
  /** Longest wait for the registry's start (it reads the {@code _schemas} topic; the broker bounds its calls). */
  private static final Duration REGISTRY_START = Duration.ofSeconds(120);
  static final Map<String, String> TOPIC_CONFIG = Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1");
  /**
   * The sketches topic: no time retention either, but purged below what the aggregator committed
   * ({@code SketchesPurge}); the broker deletes only whole segments, never the active one, so they are small (4 MB,
   * or 10 minutes by record timestamp) and what stays after a purge is at most one of them per partition.
   */
  static final Map<String, String> SKETCHES_TOPIC_CONFIG = Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1",
      TopicConfig.SEGMENT_BYTES_CONFIG, String.valueOf(4 << 20), TopicConfig.SEGMENT_MS_CONFIG, "600000");
  /**
   * After a {@code kill -9} the broker re-reads (recovers) every log from its last flush, and a log is flushed
   * when its segment rolls: with the default 1 GB segments that is nearly all the data of every big topic and
   * changelog. 32 MB segments bound that work per partition (and let the log cleaner compact the changelogs
   * Kafka Streams restores after the crash: the active segment is never cleaned); two recovery threads use both
   * cores of a small machine. The broker's own compacted topics ({@code __transaction_state}, {@code
   * __consumer_offsets}) grow with every commit and are compacted only below their active segment, 100 MB by
   * default: never in a small stack. 1 MB segments let the cleaner keep them to the latest state
   * of each transactional id and group.
   */
  static final Map<String, String> BROKER_CONFIG = Map.of("log.segment.bytes", String.valueOf(32 * 1024 * 1024),
      "num.recovery.threads.per.data.dir", "2",
      // segments below a purged log start offset are deleted at the retention check: every 30 s, not 5 min
      "log.retention.check.interval.ms", "30000",
      "transaction.state.log.segment.bytes", String.valueOf(1 << 20),
      "offsets.topic.segment.bytes", String.valueOf(1 << 20));
  static final Map<String, String> CONCEPTS_TOPIC_CONFIG =
      Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);

  private final StandaloneOptions options;
  private final EmbeddedKafka kafka;
  private final SchemaRegistryServer registry;
  private final Deque<AutoCloseable> parts = new ArrayDeque<>();

  private StandaloneStack(final StandaloneOptions options, final EmbeddedKafka kafka,
      final SchemaRegistryServer registry) {
    this.options = options;
    this.kafka = kafka;
    this.registry = registry;
  }

  /**
   * Starts broker and registry, creates the topics and registers the schemas; stops what started on failure. The
   * registry starts (reading its {@code _schemas} topic) while this thread creates the topics and ends the previous
   * run's transactions: both need only the broker.
   */
  public static StandaloneStack start(final StandaloneOptions options) {
    final EmbeddedKafka kafka = EmbeddedKafka.start(options.dataDir().resolve("kafka"), options.kafkaPort(),
        BROKER_CONFIG);
    final CompletableFuture<SchemaRegistryServer> starting = CompletableFuture.supplyAsync(
        () -> SchemaRegistryServer.start(kafka.bootstrapServers(), options.registryPort()),
        command -> new Thread(command, "rsk-registry-start").start());
    SchemaRegistryServer registry = null;
    try {
      prepareTopics(options, kafka);
      registry = awaitRegistry(starting, options.registryPort());
      final HttpSchemaRegistryClient client = HttpSchemaRegistryClient.forUrl(registry.url());
      client.register(options.activationsTopic() + "-value", JavaProperties.strip(ModuleActivation.getClassSchema()));
      client.register(options.sketchesTopic() + "-value", JavaProperties.strip(InferenceSketch.getClassSchema()));
      client.register(ConceptConfig.DEFAULT_TOPIC + "-value", JavaProperties.strip(ConceptEvent.getClassSchema()));
      return new StandaloneStack(options, kafka, registry);
    } catch (RuntimeException e) {
      final SchemaRegistryServer started = registry != null ? registry : startedOrNull(starting);
      if (started != null) {
        started.close();
      }
      kafka.close();
      throw e;
    }
  }

  /** The topics (created if missing), the transaction log, and the previous run's transactions ended. */
  private static void prepareTopics(final StandaloneOptions options, final EmbeddedKafka kafka) {
    for (final String topic : new String[] {options.activationsTopic(), options.dlqTopic(),
        StatsConfig.defaultDlqTopic(options.sketchesTopic())}) {
      kafka.createTopic(topic, options.partitions(), TOPIC_CONFIG);
    }
    kafka.createTopic(options.sketchesTopic(), options.partitions(), SKETCHES_TOPIC_CONFIG);
    // Concept events: keyed by concept id, the latest event of a concept is its state (docs/concepts.md).
    kafka.createTopic(ConceptConfig.DEFAULT_TOPIC, options.partitions(), CONCEPTS_TOPIC_CONFIG);
    createTransactionLog(kafka);
    try (Admin admin = kafka.admin()) {
      new LeftoverTransactions(admin, List.of(ProcessorConfig.DEFAULT_APPLICATION_ID, StandaloneApi.APPLICATION_ID),
          WARM_UP).abort();
    }
  }

  /** The registry once started (bounded by {@link #REGISTRY_START}); {@link IllegalStateException} if it failed. */
  private static SchemaRegistryServer awaitRegistry(final CompletableFuture<SchemaRegistryServer> starting,
      final int port) {
    try {
      return starting.get(REGISTRY_START.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while the schema registry starts", e);
    } catch (ExecutionException | TimeoutException e) {
      final Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new IllegalStateException("Schema registry cannot start on port " + port + ": " + cause.getMessage(),
          cause);
    }
  }

  /**
   * The registry if its start completed, else null; one still starting is closed when it completes (the stack
   * gives up on it).
   */
  private static SchemaRegistryServer startedOrNull(final CompletableFuture<SchemaRegistryServer> starting) {
    if (starting.isDone() && !starting.isCompletedExceptionally()) {
      return starting.join();
    }
    starting.thenAccept(SchemaRegistryServer::close);
    return null;
  }

  /**
   * Makes the broker create its {@code __transaction_state} topic now, with one transactional producer, before the
   * exactly-once apps start: left to them, several coordinator look-ups at once race the broker's auto-creation
   * ("Auto topic creation failed ... TOPIC_ALREADY_EXISTS" warnings). Bounded by {@link #WARM_UP}; a failure
   * only costs those warnings, so it is logged and ignored.
   */
  private static void createTransactionLog(final EmbeddedKafka kafka) {
    final Map<String, Object> config = Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ProducerConfig.TRANSACTIONAL_ID_CONFIG, "rsk-standalone-warm-up",
        ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) WARM_UP.toMillis());
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.initTransactions();
    } catch (final KafkaException e) {
      LOG.info("The transaction log was not created ahead ({}); the apps will create it", e.toString());
    }
  }

  /** Registers a part started on top of the stack, to be closed (before the stack) by {@link #close}. */
  public synchronized <T extends AutoCloseable> T attach(final T part) {
    parts.push(part);
    return part;
  }

  public StandaloneOptions options() {
    return options;
  }

  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  public String registryUrl() {
    return registry.url();
  }

  public EmbeddedKafka kafka() {
    return kafka;
  }

  /** The data directory (other parts may keep their state under it, e.g. {@code <dataDir>/streams}). */
  public Path dataDir() {
    return options.dataDir();
  }

  /** Closes attached parts (last attached first), then the registry, then the broker. */
  @Override
  public synchronized void close() {
    while (!parts.isEmpty()) {
      final AutoCloseable part = parts.pop();
      try {
        part.close();
      } catch (Exception e) {
        LOG.warn("Error while stopping {}", part, e);
      }
    }
    try {
      registry.close();
    } finally {
      kafka.close();
    }
  }
}
