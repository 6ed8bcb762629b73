package dev.rsk.processor;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.Properties;
import java.util.function.LongFunction;
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
 * buffer manager ({@link RocksDbMemory}, {@code rsk.rocksdb.memory.bytes}), closed after the client, and also
 * when the client cannot be built or started (the exception is rethrown).
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

  private ProcessorRunner(final ProcessorConfig config, final Topology topology, final MeterRegistry meters,
      final LongFunction<RocksDbMemory> memory) {
    this.config = config;
    this.readiness = new Readiness(config.readyFile());
    this.props = config.streamsProperties();
    props.put(ProcessorConfig.METRICS_REGISTRY, meters);
    this.rocksDb = memory.apply(config.rocksDbMemoryBytes());
    KafkaStreams s = null;
    KafkaStreamsMetrics metrics = null;
    StartWatch watch = null;
    try {
      rocksDb.bindTo(meters, "processor");
      rocksDb.configure(props);
      this.closeOptions = GracefulClose.options(props, config.closeTimeout());
      s = new KafkaStreams(topology, props);
      this.streams = s;
      metrics = new KafkaStreamsMetrics(s);
      this.streamsMetrics = metrics;
      metrics.bindTo(meters);
      watch = StartWatch.attach(s, "sketch processor", StartWatch.EVERY);
      this.startWatch = watch;
      final StartWatch watching = watch;
      s.setStateListener((now, before) -> {
        watching.onState(now, before);
        readiness.onState(now);
      });
      s.setUncaughtExceptionHandler(this::onUncaught);
    } catch (RuntimeException e) {
      closeUnstarted(s, metrics, watch, e);
      throw e;
    }
  }

  /**
   * Frees what a constructor that threw had built, the native RocksDB cache included (a process that goes on, a
   * test or a retry, would otherwise keep it to its exit); each step runs whatever the one before threw, which is
   * added to {@code cause}, the exception the caller rethrows.
   */
  private void closeUnstarted(final KafkaStreams s, final KafkaStreamsMetrics metrics, final StartWatch watch,
      final RuntimeException cause) {
    if (watch != null) {
      closeQuietly(watch::close, cause);
    }
    if (metrics != null) {
      closeQuietly(metrics::close, cause);
    }
    // never started, so no stream thread can be in a store; a client that does not close in time still might be
    boolean closed = s == null;
    try {
      closed = closed || s.close(config.closeTimeout());
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
    if (closed) {
      closeQuietly(rocksDb::close, cause);
    }
  }

  private static void closeQuietly(final Runnable close, final RuntimeException cause) {
    try {
      close.run();
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  /** Builds the topology from {@code config} (registry from {@code schema.registry.url}) and starts it. */
  public static ProcessorRunner start(final ProcessorConfig config, final MeterRegistry meters) {
    return start(config, ProcessorTopology.buildTopology(config, meters), meters);
  }

  /**
   * Starts {@code topology} with {@code config}'s Streams properties.
   *
   * @throws RuntimeException what the Kafka Streams client throws on a configuration it rejects or a start that
   *     fails; everything built until then, the RocksDB cache included, is closed first
   */
  public static ProcessorRunner start(final ProcessorConfig config, final Topology topology,
      final MeterRegistry meters) {
    return start(config, topology, meters, RocksDbMemory::new);
  }

  /** {@link #start(ProcessorConfig, Topology, MeterRegistry)} with the RocksDB memory made by {@code memory}. */
  static ProcessorRunner start(final ProcessorConfig config, final Topology topology, final MeterRegistry meters,
      final LongFunction<RocksDbMemory> memory) {
    LOG.info("Starting rsk sketch processor with configuration:\n{}", config.describe());
    final ProcessorRunner runner = new ProcessorRunner(config, topology, meters, memory);
    try {
      runner.streams.start();
    } catch (RuntimeException e) {
      try {
        runner.close();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
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
