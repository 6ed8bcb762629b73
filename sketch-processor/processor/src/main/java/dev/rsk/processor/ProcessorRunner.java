package dev.rsk.processor;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import dev.rsk.streams.GracefulClose;
import dev.rsk.streams.StartWatch;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the processor topology in a {@link KafkaStreams} client: logs the effective configuration
 * (secrets redacted), reports readiness only while the client is RUNNING (a log line, {@link #isReady},
 * and optionally a ready file), replaces a stream thread that died (at most
 * {@value #MAX_REPLACEMENTS} times per {@value #REPLACEMENT_WINDOW_MINUTES} minutes, then shuts the
 * client down) and closes within the configured timeout.
 */
public final class ProcessorRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessorRunner.class);
  static final int MAX_REPLACEMENTS = 5;
  static final int REPLACEMENT_WINDOW_MINUTES = 5;

  private final ProcessorConfig config;
  private final KafkaStreams streams;
  private final CloseOptions closeOptions;
  private final KafkaStreamsMetrics streamsMetrics;
  /** Logs where the topology is while it is not RUNNING (a restart that does not get there is diagnosable). */
  private final StartWatch startWatch;
  private final CountDownLatch running = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Deque<Long> replacements = new ArrayDeque<>();
  private volatile boolean ready;

  private ProcessorRunner(final ProcessorConfig config, final Topology topology, final MeterRegistry meters) {
    this.config = config;
    final Properties props = config.streamsProperties();
    props.put(ProcessorConfig.METRICS_REGISTRY, meters);
    this.closeOptions = GracefulClose.options(props, config.closeTimeout());
    this.streams = new KafkaStreams(topology, props);
    this.streamsMetrics = new KafkaStreamsMetrics(streams);
    streamsMetrics.bindTo(meters);
    this.startWatch = StartWatch.attach(streams, "sketch processor", StartWatch.EVERY);
    streams.setStateListener((now, before) -> {
      startWatch.onState(now, before);
      onState(now);
    });
    streams.setUncaughtExceptionHandler(this::onUncaught);
  }

  /** Builds the topology from {@code config} (registry from {@code schema.registry.url}) and starts it. */
  public static ProcessorRunner start(final ProcessorConfig config, final MeterRegistry meters) {
    return start(config, ProcessorTopology.buildTopology(config, meters), meters);
  }

  /** Starts {@code topology} with {@code config}'s Streams properties. */
  public static ProcessorRunner start(final ProcessorConfig config, final Topology topology,
      final MeterRegistry meters) {
    LOG.info("Starting rsk sketch processor with configuration:\n{}", config.describe());
    final ProcessorRunner runner = new ProcessorRunner(config, topology, meters);
    runner.streams.start();
    return runner;
  }

  private void onState(final KafkaStreams.State now) {
    final boolean wasReady = ready;
    ready = now == KafkaStreams.State.RUNNING;
    if (ready && !wasReady) {
      LOG.info("rsk sketch processor is RUNNING (ready)");
      running.countDown();
      writeReadyFile(true);
    } else if (!ready && wasReady) {
      LOG.info("rsk sketch processor is {} (not ready)", now);
      writeReadyFile(false);
    }
    if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
      stopped.countDown();
    }
  }

  private synchronized StreamThreadExceptionResponse onUncaught(final Throwable e) {
    final long now = System.currentTimeMillis();
    replacements.addLast(now);
    while (!replacements.isEmpty()
        && replacements.peekFirst() < now - TimeUnit.MINUTES.toMillis(REPLACEMENT_WINDOW_MINUTES)) {
      replacements.removeFirst();
    }
    if (replacements.size() > MAX_REPLACEMENTS) {
      LOG.error("Stream thread failed {} times in {} minutes; shutting the processor down", replacements.size(),
          REPLACEMENT_WINDOW_MINUTES, e);
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
    LOG.warn("Stream thread failed; replacing it (records are reprocessed from the last commit)", e);
    return StreamThreadExceptionResponse.REPLACE_THREAD;
  }

  private void writeReadyFile(final boolean isReady) {
    if (config.readyFile() == null) {
      return;
    }
    final Path file = Path.of(config.readyFile());
    try {
      if (isReady) {
        Files.writeString(file, "RUNNING\n");
      } else {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot update ready file " + file, e);
    }
  }

  /** True while the Streams client is RUNNING. */
  public boolean isReady() {
    return ready;
  }

  /** Waits until the client first reaches RUNNING; false on timeout. */
  public boolean awaitReady(final Duration timeout) throws InterruptedException {
    return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Waits until the client stops by itself (fatal error); false on timeout. */
  public boolean awaitStopped(final Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public KafkaStreams streams() {
    return streams;
  }

  public ProcessorConfig config() {
    return config;
  }

  /** Closes the client, waiting at most {@code rsk.close.timeout.ms}; commits what was processed. */
  @Override
  public void close() {
    startWatch.close();
    final boolean clean = streams.close(closeOptions);
    streamsMetrics.close();
    ready = false;
    writeReadyFile(false);
    if (!clean) {
      LOG.warn("Kafka Streams did not close within {}", config.closeTimeout());
    }
  }
}
