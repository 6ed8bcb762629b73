package dev.rsk.processor;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.Properties;
import dev.rsk.streams.GracefulClose;
import dev.rsk.streams.RocksDbMemory;
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
 * client down) and closes within the configured timeout. Its RocksDB stores share one bounded cache and write
 * buffer manager ({@link RocksDbMemory}, {@code rsk.rocksdb.memory.bytes}), closed after the client.
 */
public final class ProcessorRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessorRunner.class);
  static final int MAX_REPLACEMENTS = 5;
  static final int REPLACEMENT_WINDOW_MINUTES = 5;

  private final ProcessorConfig config;
  private final KafkaStreams streams;
  private final CloseOptions closeOptions;
  private final KafkaStreamsMetrics streamsMetrics;
  private final RocksDbMemory rocksDb;
  /** The properties the client was built with. */
  private final Properties props;
  /** Logs where the topology is while it is not RUNNING (a restart that does not get there is diagnosable). */
  private final StartWatch startWatch;
  private final Readiness readiness;
  private final ThreadReplacements replacements =
      new ThreadReplacements(MAX_REPLACEMENTS, Duration.ofMinutes(REPLACEMENT_WINDOW_MINUTES));

  private ProcessorRunner(final ProcessorConfig config, final Topology topology, final MeterRegistry meters) {
    this.config = config;
    this.readiness = new Readiness(config.readyFile());
    this.props = config.streamsProperties();
    props.put(ProcessorConfig.METRICS_REGISTRY, meters);
    this.rocksDb = new RocksDbMemory(config.rocksDbMemoryBytes());
    rocksDb.bindTo(meters, "processor");
    rocksDb.configure(props);
    this.closeOptions = GracefulClose.options(props, config.closeTimeout());
    this.streams = new KafkaStreams(topology, props);
    this.streamsMetrics = new KafkaStreamsMetrics(streams);
    streamsMetrics.bindTo(meters);
    this.startWatch = StartWatch.attach(streams, "sketch processor", StartWatch.EVERY);
    streams.setStateListener((now, before) -> {
      startWatch.onState(now, before);
      readiness.onState(now);
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

  /** What the client does with a stream thread that died (the uncaught-exception handler). */
  synchronized StreamThreadExceptionResponse onUncaught(final Throwable e) {
    final StreamThreadExceptionResponse response = replacements.onFailure(System.currentTimeMillis());
    if (response == StreamThreadExceptionResponse.SHUTDOWN_CLIENT) {
      LOG.error("Stream thread failed {} times in {} minutes; shutting the processor down", replacements.counted(),
          REPLACEMENT_WINDOW_MINUTES, e);
    } else {
      LOG.warn("Stream thread failed; replacing it (records are reprocessed from the last commit)", e);
    }
    return response;
  }

  /** True while the Streams client is RUNNING. */
  public boolean isReady() {
    return readiness.isReady();
  }

  /** Waits until the client first reaches RUNNING; false on timeout. */
  public boolean awaitReady(final Duration timeout) throws InterruptedException {
    return readiness.awaitReady(timeout);
  }

  /** Waits until the client stops by itself (fatal error); false on timeout. */
  public boolean awaitStopped(final Duration timeout) throws InterruptedException {
    return readiness.awaitStopped(timeout);
  }

  public KafkaStreams streams() {
    return streams;
  }

  public ProcessorConfig config() {
    return config;
  }

  /** The Kafka Streams properties the client was built with (a copy). */
  Properties clientProperties() {
    final Properties copy = new Properties();
    copy.putAll(props);
    return copy;
  }

  /** Closes the client, waiting at most {@code rsk.close.timeout.ms}; commits what was processed. */
  @Override
  public void close() {
    startWatch.close();
    final boolean clean = streams.close(closeOptions);
    streamsMetrics.close();
    readiness.closed();
    if (clean) {
      rocksDb.close(); // after the client: its stores used the cache until they closed
    } else {
      // a stream thread may still be in a store: freeing the cache under it could crash the JVM
      LOG.warn("Kafka Streams did not close within {}; its RocksDB cache is left to the process exit",
          config.closeTimeout());
    }
  }
}
