package dev.rsk.api.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams metrics (client, thread, task and RocksDB store meters) bound to a registry, rebindable.
 *
 * <p>Task and store meters only exist once tasks are assigned, and Micrometer's binder finds new Kafka metrics
 * only at its 60 s refresh, so the server rebinds at every transition to RUNNING. A rebind must not race the
 * old binder's refresh: Micrometer's {@code close()} interrupts its scheduler but does not wait, so a refresh in
 * flight could register meters after {@code close()} removed them, and the new binder's registrations of the
 * same ids were then refused with "This Gauge has been already registered" WARN lines (seen on the demo
 * console). Each binder therefore runs on a scheduler this class owns; a rebind shuts it down and waits for a
 * refresh in flight (at most {@link #REFRESH_WAIT}) before the old meters are removed.
 */
final class StreamsMeterBinding implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StreamsMeterBinding.class);
  /** Bound on waiting for a binder's refresh in flight; a refresh reads an in-memory metrics map. */
  static final Duration REFRESH_WAIT = Duration.ofSeconds(10);

  private final KafkaStreams streams;
  private final MeterRegistry registry;
  private ScheduledExecutorService scheduler;
  private KafkaStreamsMetrics binder;
  private boolean closed;

  StreamsMeterBinding(final KafkaStreams streams, final MeterRegistry registry) {
    this.streams = streams;
    this.registry = registry;
    bind();
  }

  /** Replaces the binder, so that meters of newly assigned tasks and stores appear at once. */
  synchronized void rebind() {
    if (closed) {
      return;
    }
    unbind();
    bind();
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      unbind();
    }
  }

  private void bind() {
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      final Thread t = new Thread(r, "rsk-streams-meters");
      t.setDaemon(true);
      return t;
    });
    binder = new KafkaStreamsMetrics(streams, List.of(), scheduler);
    binder.bindTo(registry);
  }

  private void unbind() {
    scheduler.shutdown();
    try {
      if (!scheduler.awaitTermination(REFRESH_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.info("Kafka Streams meter refresh still running after {}; rebinding anyway", REFRESH_WAIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    binder.close();
  }
}
