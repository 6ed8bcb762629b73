package dev.rsk.contract;

import dev.rsk.avro.ModuleActivation;
import dev.rsk.serde.AvroSerdes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes inferences to rsk's activations topic: a plain {@link KafkaProducer} with the contract's
 * Confluent Avro serializer ({@code dev.rsk.serde}), key = inferenceId. Needs only rsk-contract on the
 * classpath. Thread-safe.
 *
 * <pre>{@code
 * try (RskPublisher publisher = RskPublisher.connect(RskPublisher.config("localhost:9092", "http://localhost:8081"))) {
 *   publisher.send(new InferenceEvents("img-42").source("camera-1")
 *       .add("eye-1", "eye", new float[] {0.1f, 0.2f})
 *       .add("cat-1", "cat_detector", new float[] {0.5f, 0.3f, 0.9f}, new SketchInput("eye-1", "left", 0.9f))
 *       .root("cat-1"));
 *   publisher.flush(Duration.ofSeconds(30));
 * }
 * }</pre>
 *
 * <p>Errors, all bounded: {@link #connect} checks the registry (the serializer's bounded retries,
 * {@code max.retries}) and Kafka (metadata of the topic within {@code max.block.ms}) and throws
 * {@link PublishException} saying which is down. {@link #send} validates ({@link IllegalArgumentException})
 * and queues; it throws {@link PublishException} if Kafka or the registry fail meanwhile. Delivery is
 * confirmed by {@link #flush}: it throws {@link PublishException} listing every event Kafka rejected or did
 * not acknowledge within {@code delivery.timeout.ms}, or counting those still in flight at its own timeout.
 * {@link #close} flushes (within {@code delivery.timeout.ms}) then closes the producer.
 */
public final class RskPublisher implements AutoCloseable {

  public static final String DEFAULT_TOPIC = "activations";
  public static final int DEFAULT_DELIVERY_TIMEOUT_MS = 30_000;
  public static final int DEFAULT_MAX_BLOCK_MS = 10_000;

  private final KafkaProducer<String, ModuleActivation> producer;
  private final String topic;
  private final Duration deliveryTimeout;
  private final Queue<Pending> pending = new ConcurrentLinkedQueue<>();

  private record Pending(String inferenceId, String objectId, Future<RecordMetadata> future) {}

  private RskPublisher(final KafkaProducer<String, ModuleActivation> producer, final String topic,
      final Duration deliveryTimeout) {
    this.producer = producer;
    this.topic = topic;
    this.deliveryTimeout = deliveryTimeout;
  }

  /**
   * Producer and serde settings with the publisher's defaults: {@code acks=all}, idempotence,
   * {@code linger.ms=5}, {@code delivery.timeout.ms=30000}, {@code request.timeout.ms=10000},
   * {@code max.block.ms=10000}. Add or override any producer or serde key (docs/foundation.md).
   */
  public static Map<String, Object> config(final String bootstrapServers, final String registryUrl) {
    final Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put("schema.registry.url", registryUrl);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, DEFAULT_DELIVERY_TIMEOUT_MS);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, DEFAULT_MAX_BLOCK_MS);
    return config;
  }

  /** {@link #connect(Map, String)} on the {@value #DEFAULT_TOPIC} topic. */
  public static RskPublisher connect(final Map<String, ?> config) {
    return connect(config, DEFAULT_TOPIC);
  }

  /**
   * A publisher on {@code topic}, after checking that the registry serves the ModuleActivation schema under
   * {@code <topic>-value} (registered if {@code auto.register.schemas}, the default, is true) and that Kafka
   * has the topic.
   *
   * @throws PublishException if the registry or Kafka cannot be reached within the bounds, or the topic is absent
   */
  public static RskPublisher connect(final Map<String, ?> config, final String topic) {
    final Serializer<ModuleActivation> values = AvroSerdes.specific(ModuleActivation.class, config, false)
        .serializer();
    try {
      values.serialize(topic, sample());
    } catch (KafkaException e) {
      throw new PublishException("Schema registry " + config.get("schema.registry.url") + " did not serve the "
          + "ModuleActivation schema under " + topic + "-value: " + e.getMessage(), e);
    }
    final KafkaProducer<String, ModuleActivation> producer = new KafkaProducer<>(new HashMap<>(config),
        new StringSerializer(), values);
    try {
      producer.partitionsFor(topic);
    } catch (KafkaException e) {
      producer.close(Duration.ZERO);
      throw new PublishException("Kafka at " + config.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG) + " did not "
          + "give the partitions of topic '" + topic + "' within max.block.ms (" + config.get(
              ProducerConfig.MAX_BLOCK_MS_CONFIG) + " ms): broker down or topic missing: " + e.getMessage(), e);
    }
    final Object delivery = config.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG);
    return new RskPublisher(producer, topic, Duration.ofMillis(delivery == null ? 120_000
        : Long.parseLong(delivery.toString())));
  }

  private static ModuleActivation sample() {
    return new InferenceEvents("schema-check").eventTime(Instant.EPOCH).add("o", "m", new float[] {0f})
        .root("o").build().get(0);
  }

  /**
   * Validates {@code inference} and queues its events; returns how many.
   *
   * @throws IllegalArgumentException if the inference is invalid (nothing is queued)
   * @throws PublishException if Kafka or the registry fail while queueing (the events queued before stay queued)
   */
  public int send(final InferenceEvents inference) {
    final List<ModuleActivation> events = inference.build();
    int queued = 0;
    for (final ModuleActivation e : events) {
      try {
        pending.add(new Pending(e.getInferenceId(), e.getObjectId(),
            producer.send(new ProducerRecord<>(topic, e.getInferenceId(), e))));
      } catch (KafkaException | IllegalStateException ex) {
        throw new PublishException("Could not queue object " + e.getObjectId() + " of inference "
            + inference.inferenceId() + " (" + queued + " of " + events.size() + " objects queued): "
            + ex.getMessage(), ex);
      }
      queued++;
    }
    return queued;
  }

  /**
   * Waits at most {@code timeout} for Kafka to acknowledge every event queued so far.
   *
   * @throws PublishException listing the events that failed since the last flush, or counting those still in
   *     flight at the timeout (they stay queued: flush again)
   */
  public synchronized void flush(final Duration timeout) {
    final long deadline = System.nanoTime() + timeout.toNanos();
    final List<PublishException.Failure> failures = new ArrayList<>();
    int inFlight = 0;
    for (final Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
      final Pending p = it.next();
      try {
        p.future().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        it.remove();
      } catch (TimeoutException e) {
        inFlight++;
      } catch (ExecutionException e) {
        failures.add(new PublishException.Failure(p.inferenceId(), p.objectId(), e.getCause()));
        it.remove();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PublishException("Interrupted while flushing", e, failures, pending.size());
      }
    }
    if (inFlight > 0 || !failures.isEmpty()) {
      throw new PublishException(describe(failures, inFlight, timeout),
          failures.isEmpty() ? null : failures.get(0).cause(), failures, inFlight);
    }
  }

  private static String describe(final List<PublishException.Failure> failures, final int inFlight,
      final Duration timeout) {
    final StringBuilder s = new StringBuilder();
    if (inFlight > 0) {
      s.append(inFlight).append(" events not acknowledged by Kafka within ").append(timeout)
          .append(" (still queued: flush again or close)");
    }
    if (!failures.isEmpty()) {
      s.append(s.isEmpty() ? "" : "; ").append(failures.size()).append(" events not delivered, e.g. ");
      final PublishException.Failure f = failures.get(0);
      s.append(f.inferenceId()).append('/').append(f.objectId()).append(": ").append(f.cause());
    }
    return s.toString();
  }

  /** Flushes within {@code delivery.timeout.ms}, then closes the producer (also when the flush throws). */
  @Override
  public void close() {
    try {
      flush(deliveryTimeout);
    } finally {
      producer.close(Duration.ofSeconds(5));
    }
  }
}
