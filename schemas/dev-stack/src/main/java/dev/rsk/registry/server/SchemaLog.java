package dev.rsk.registry.server;

import dev.rsk.registry.CompatibilityLevel;
import dev.rsk.registry.SchemaRegistryException;
import dev.rsk.registry.SchemaStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's durable log: a single-partition compacted Kafka topic, read from the beginning into a
 * {@link SchemaStore} by one background thread, and appended to by registrations.
 *
 * <p>Record format (JSON, close to Confluent's): key {@code {"keytype":"SCHEMA","subject":s,"version":v,
 * "magic":1,"proposal":uuid}} with value {@code {"subject":s,"version":v,"id":n,"schema":"...","deleted":false}};
 * key {@code {"keytype":"CONFIG","subject":s|null,"magic":0}} with value {@code {"compatibilityLevel":"FULL"}}
 * (a null value removes a subject's level). Each proposal has its own key so that compaction never drops
 * the accepted record of a race in favour of the losing one. Unreadable records are logged and skipped.
 */
final class SchemaLog implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SchemaLog.class);
  private static final Duration POLL = Duration.ofMillis(100);

  private final String topic;
  private final TopicPartition partition;
  private final SchemaStore store;
  private final Duration timeout;
  private final ObjectMapper json = new ObjectMapper();
  private final Admin admin;
  private final KafkaProducer<byte[], byte[]> producer;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Thread reader;
  private final Object progress = new Object();
  private long applied;
  private volatile boolean running = true;
  private volatile RuntimeException readerFailure;

  SchemaLog(final String bootstrapServers, final String topic, final SchemaStore store, final Duration timeout) {
    this.topic = topic;
    this.partition = new TopicPartition(topic, 0);
    this.store = store;
    this.timeout = timeout;
    final int timeoutMs = (int) timeout.toMillis();
    this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs));
    try {
      ensureTopic();
      this.producer = new KafkaProducer<>(Map.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
          ProducerConfig.ACKS_CONFIG, "all",
          ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
          ProducerConfig.LINGER_MS_CONFIG, 0,
          ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs,
          ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
          ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs + 1000),
          new ByteArraySerializer(), new ByteArraySerializer());
    } catch (RuntimeException e) {
      admin.close(Duration.ZERO);
      throw e;
    }
    this.consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
    consumer.assign(List.of(partition));
    consumer.seekToBeginning(List.of(partition));
    this.reader = new Thread(this::readLoop, "schema-registry-reader-" + topic);
    reader.setDaemon(true);
    reader.start();
  }

  private void ensureTopic() {
    try {
      final TopicDescription existing = admin.describeTopics(List.of(topic)).allTopicNames()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(topic);
      if (existing.partitions().size() != 1) {
        throw new SchemaRegistryException(500, SchemaRegistryException.STORE_ERROR, "Schema topic '" + topic
            + "' has " + existing.partitions().size() + " partitions; the registry needs exactly 1");
      }
      return;
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
        throw storeError("describe the schema topic", e.getCause());
      }
    } catch (TimeoutException | InterruptedException e) {
      throw storeError("describe the schema topic", e);
    }
    try {
      final int brokers = admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
      final short replication = (short) Math.max(1, Math.min(3, brokers));
      admin.createTopics(List.of(new NewTopic(topic, 1, replication).configs(Map.of(
              TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
              TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(Math.min(2, replication))))))
          .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      LOG.info("Created schema topic {} (compacted, replication {})", topic, replication);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw storeError("create the schema topic", e.getCause());
      }
    } catch (TimeoutException | InterruptedException e) {
      throw storeError("create the schema topic", e);
    }
  }

  private void readLoop() {
    while (running) {
      try {
        for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
          apply(record);
        }
        final long position = consumer.position(partition);
        synchronized (progress) {
          applied = position;
          progress.notifyAll();
        }
      } catch (WakeupException e) {
        // close() woke us up: the loop condition ends the thread.
      } catch (RuntimeException e) {
        readerFailure = e;
        LOG.warn("Schema registry cannot read {} ({}); retrying", topic, e.toString());
        sleepQuietly(1000);
      }
    }
    consumer.close(Duration.ofSeconds(5));
  }

  private void apply(final ConsumerRecord<byte[], byte[]> record) {
    try {
      final JsonNode key = json.readTree(new String(record.key(), StandardCharsets.UTF_8));
      final String type = key.path("keytype").asText();
      if ("SCHEMA".equals(type) && record.value() != null) {
        final JsonNode value = json.readTree(new String(record.value(), StandardCharsets.UTF_8));
        final Schema schema = new Schema.Parser().parse(value.path("schema").asText());
        final boolean accepted = store.applySchema(value.path("subject").asText(), value.path("version").asInt(),
            value.path("id").asInt(), schema);
        LOG.debug("Offset {}: schema proposal {} v{} id {} {}", record.offset(), value.path("subject").asText(),
            value.path("version").asInt(), value.path("id").asInt(), accepted ? "accepted" : "superseded");
      } else if ("CONFIG".equals(type)) {
        final String subject = key.path("subject").isTextual() ? key.path("subject").asText() : null;
        final CompatibilityLevel level = record.value() == null ? null : CompatibilityLevel.parse(
            json.readTree(new String(record.value(), StandardCharsets.UTF_8)).path("compatibilityLevel").asText());
        store.applyConfig(subject, level);
      }
    } catch (Exception e) {
      LOG.warn("Skipping unreadable record at offset {} of {}: {}", record.offset(), topic, e.toString());
    }
  }

  /** Appends a schema proposal and waits until it has been applied (accepted or not). */
  void proposeSchema(final String subject, final int version, final int id, final Schema schema) {
    final ObjectNode key = json.createObjectNode().put("keytype", "SCHEMA").put("subject", subject)
        .put("version", version).put("magic", 1).put("proposal", UUID.randomUUID().toString());
    final ObjectNode value = json.createObjectNode().put("subject", subject).put("version", version)
        .put("id", id).put("schema", schema.toString()).put("deleted", false);
    append(key, value);
  }

  /** Appends a compatibility setting (null subject: global; null level: remove the subject's) and waits for it. */
  void putConfig(final String subject, final CompatibilityLevel level) {
    final ObjectNode key = json.createObjectNode().put("keytype", "CONFIG").put("subject", subject).put("magic", 0);
    append(key, level == null ? null : json.createObjectNode().put("compatibilityLevel", level.name()));
  }

  private void append(final JsonNode key, final JsonNode value) {
    final long offset;
    try {
      offset = producer.send(new ProducerRecord<>(topic, 0, bytes(key), value == null ? null : bytes(value)))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS).offset();
    } catch (ExecutionException e) {
      throw storeError("write to the schema topic", e.getCause());
    } catch (TimeoutException | InterruptedException e) {
      throw storeError("write to the schema topic", e);
    }
    awaitApplied(offset + 1);
  }

  /** Waits until every record written to the log so far has been applied. */
  void syncToEnd() {
    final long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      final long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      try {
        final long end = admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition)
            .get(Math.max(1, left), TimeUnit.MILLISECONDS).offset();
        awaitApplied(end);
        return;
      } catch (ExecutionException e) {
        // A just-created topic may not be in the metadata yet: retriable until the deadline.
        if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
          throw storeError("read the end of the schema topic", e.getCause());
        }
        sleepQuietly(100);
      } catch (TimeoutException | InterruptedException e) {
        throw storeError("read the end of the schema topic", e);
      }
    }
  }

  private void awaitApplied(final long offsetExclusive) {
    final long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (progress) {
      while (applied < offsetExclusive) {
        final long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0 || !running) {
          final RuntimeException failure = readerFailure;
          throw new SchemaRegistryException(500, SchemaRegistryException.OPERATION_TIMEOUT,
              "Timed out after " + timeout.toMillis() + " ms waiting for the schema topic '" + topic
                  + "' to reach offset " + offsetExclusive + " (at " + applied + ")"
                  + (failure == null ? "" : ": " + failure));
        }
        try {
          progress.wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw storeError("wait for the schema topic", e);
        }
      }
    }
  }

  private byte[] bytes(final JsonNode node) {
    return node.toString().getBytes(StandardCharsets.UTF_8);
  }

  private SchemaRegistryException storeError(final String what, final Throwable cause) {
    if (cause instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    final int code = cause instanceof TimeoutException
        || cause instanceof org.apache.kafka.common.errors.TimeoutException
        ? SchemaRegistryException.OPERATION_TIMEOUT : SchemaRegistryException.STORE_ERROR;
    final SchemaRegistryException e = new SchemaRegistryException(500, code,
        "Schema registry could not " + what + " '" + topic + "': " + cause);
    e.initCause(cause);
    return e;
  }

  private static void sleepQuietly(final long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      reader.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(5));
    admin.close(Duration.ofSeconds(5));
  }
}
