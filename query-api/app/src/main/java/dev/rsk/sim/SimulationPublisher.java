package dev.rsk.sim;

import dev.rsk.avro.ModuleActivation;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * Publishes a simulation to a topic like any producer: one record per module activation, keyed by inference id
 * (so an inference's events share a partition), events of an inference in random order, through whatever value
 * serializer the producer was built with (the Confluent-format Avro serializer and the registry in rsk).
 * Ground truth is accumulated as the events are generated.
 *
 * <p>Errors: the first failed send (a broker error, or the serializer failing to reach the registry) stops publishing
 * and is thrown as a {@link KafkaException} after the producer is flushed; nothing is reported as published that was
 * not acknowledged. Every wait is bounded by the producer's {@code max.block.ms} and {@code delivery.timeout.ms} (see
 * {@link #producerConfig}).
 */
public final class SimulationPublisher {

  /** How often progress is reported. */
  public static final Duration PROGRESS_INTERVAL = Duration.ofMillis(500);

  /** Progress of a run: inferences generated and sent out of the total, events sent and acknowledged. */
  public record Progress(long inferencesSent, long inferencesTotal, long eventsSent, long eventsAcked,
      long elapsedNanos) {
    public double eventsPerSecond() {
      return elapsedNanos == 0 ? 0.0 : eventsAcked / (elapsedNanos / 1e9);
    }
  }

  /** Receives progress from the publishing thread, at most every {@link #PROGRESS_INTERVAL} and once at the end. */
  @FunctionalInterface
  public interface ProgressListener {
    void onProgress(Progress progress);
  }

  private SimulationPublisher() {}

  /**
   * Producer settings for a fast, safe bulk publish: idempotent ({@code enable.idempotence}, {@code acks=all}),
   * batched and lz4-compressed; every blocking call bounded (60 s to block on metadata or a full buffer, 120 s to
   * deliver a record).
   */
  public static Map<String, Object> producerConfig(final String bootstrapServers) {
    final Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "rsk-simulator");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
    return p;
  }

  /**
   * Generates every inference of {@code simulator}, adds it to {@code truth} and sends its events to {@code topic};
   * returns when every event is acknowledged.
   *
   * @throws KafkaException if a send failed (after flushing what was sent)
   * @throws InterruptedException if interrupted while publishing (the producer is left to the caller to close)
   */
  public static Progress publish(final RoomSimulator simulator, final GroundTruth truth,
      final Producer<String, ModuleActivation> producer, final String topic, final ProgressListener listener)
      throws InterruptedException {
    final long start = System.nanoTime();
    final AtomicLong acked = new AtomicLong();
    final AtomicReference<Exception> failure = new AtomicReference<>();
    long sent = 0;
    long inferences = 0;
    long lastReport = start;
    while (simulator.hasNext() && failure.get() == null) {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException("interrupted after " + inferences + " inferences");
      }
      final SimulatedInference inference = simulator.next();
      truth.add(inference);
      for (final ModuleActivation event : inference.events()) {
        try {
          producer.send(new ProducerRecord<>(topic, inference.inferenceId(), event), (metadata, error) -> {
            if (error != null) {
              failure.compareAndSet(null, error);
            } else {
              acked.incrementAndGet();
            }
          });
        } catch (final KafkaException e) { // serializer or registry failure
          failure.compareAndSet(null, e);
          break;
        }
        sent++;
        if (failure.get() != null) {
          // a metadata timeout (max.block.ms) comes through the callback, not thrown: each further send would block
          // as long again, once per event of the inference
          break;
        }
      }
      inferences++;
      final long now = System.nanoTime();
      if (now - lastReport >= PROGRESS_INTERVAL.toNanos()) {
        lastReport = now;
        listener.onProgress(new Progress(inferences, simulator.total(), sent, acked.get(), now - start));
      }
    }
    producer.flush();
    final Exception error = failure.get();
    if (error != null) {
      throw new KafkaException("publishing to '" + topic + "' failed after " + acked.get() + " acknowledged events: "
          + error.getMessage(), error);
    }
    final Progress done = new Progress(inferences, simulator.total(), sent, acked.get(), System.nanoTime() - start);
    listener.onProgress(done);
    return done;
  }
}
