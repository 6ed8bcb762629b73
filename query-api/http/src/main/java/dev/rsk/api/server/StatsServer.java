package dev.rsk.api.server;

import dev.rsk.api.ApiServer;
import dev.rsk.api.cluster.PartitionCount;
import dev.rsk.avro.ConceptEvent;
import dev.rsk.avro.InferenceSketch;
import dev.rsk.stats.concepts.ConceptConfig;
import dev.rsk.stats.concepts.ConceptQueries;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import dev.rsk.serde.AvroSerdes;
import dev.rsk.stats.StatsConfig;
import dev.rsk.streams.RocksDbMemory;
import dev.rsk.stats.StatsTopology;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serde;
import dev.rsk.streams.GracefulClose;
import dev.rsk.streams.StartWatch;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stats-aggregator + query-api instance: the HTTP server (started first: its port is the
 * instance's {@code application.server}), the Kafka Streams stats topology, and the Prometheus registry
 * with the topology's {@code rsk.stats.*} meters, Kafka Streams (including RocksDB) and JVM metrics bound.
 */
public final class StatsServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StatsServer.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private final PrometheusMeterRegistry registry;
  private final ApiServer api;
  private final KafkaStreams streams;
  private final CloseOptions closeOptions;
  private final PartitionCount partitionCount;
  private final StreamsMeterBinding streamsMetrics;
  /** Logs where the topology is while it is not RUNNING (a restart that does not get there is diagnosable). */
  private final StartWatch startWatch;
  private final JvmGcMetrics gcMetrics;
  private final HostInfo self;
  private final String scheme;
  /** The bounded off-heap memory of this instance's RocksDB stores; closed after the streams. */
  private final RocksDbMemory rocksDb;
  /** Deletes consumed records of the sketches topic (null: off). */
  private SketchesPurge purge;

  private StatsServer(final ServerConfig config, final StatsConfig stats, final Serde<ConceptEvent> conceptSerde,
      final PrometheusMeterRegistry registry) {
    LOG.info("Starting rsk stats + API instance with configuration:\n{}", config.describe());
    this.registry = registry;
    // What a start that fails part-way has made, closed latest first: nothing outlives the failed instance.
    final Deque<AutoCloseable> made = new ArrayDeque<>();
    made.push(registry::close);
    try {
      // Prometheus needs one tag-key set per meter name; Kafka Streams tags key-value and window stores
      // differently (rocksdb.state.id / rocksdb.window.state.id), so both become "store".
      for (final String key : new String[] {"rocksdb.state.id", "rocksdb.window.state.id", "in.memory.state.id",
          "in.memory.window.state.id"}) {
        registry.config().meterFilter(MeterFilter.renameTag("kafka.stream.state", key, "store"));
      }
      new JvmMemoryMetrics().bindTo(registry);
      new JvmThreadMetrics().bindTo(registry);
      new ProcessorMetrics().bindTo(registry);
      this.gcMetrics = new JvmGcMetrics(); // listens to the JVM's collectors until closed
      made.push(gcMetrics);
      gcMetrics.bindTo(registry);
      this.api = ApiServer.start(config.bindHost(), config.httpPort(), config.limits(), registry, config.security());
      made.push(api::close);
      this.scheme = config.security().scheme();
      this.self = new HostInfo(config.advertisedHost(), config.advertisedPort(api.port()));
      final RocksDbMemory memory = new RocksDbMemory(config.rocksDbMemoryBytes());
      this.rocksDb = memory;
      final AtomicBoolean streamsStillOpen = new AtomicBoolean();
      // not while a stream thread that did not close may still be in a store (see close())
      made.push(() -> closeUnless(streamsStillOpen.get(), memory));
      rocksDb.bindTo(registry, "stats");
      final Properties props = config.streamsProperties(self.host() + ":" + self.port());
      rocksDb.configure(props);
      this.closeOptions = GracefulClose.options(props, CLOSE_TIMEOUT);
      this.partitionCount = new PartitionCount(new StreamsConfig(props).getAdminConfigs("rsk-partition-count"),
          stats.sketchesTopic(), config.limits().remoteTimeout());
      made.push(partitionCount::close);
      final Map<String, Object> admin = new StreamsConfig(props).getAdminConfigs("rsk-concepts-check");
      final String conceptsOff = !config.conceptsEnabled() ? ServerConfig.CONCEPTS_ENABLED + " is false"
          : ConceptsTopic.missing(admin, config.conceptsTopic(), config.limits().remoteTimeout());
      final ConceptConfig concepts = conceptsOff != null ? null : new ConceptConfig(config.conceptsTopic(),
          conceptSerde != null ? conceptSerde : AvroSerdes.specific(ConceptEvent.class, config.serdeConfig(), false),
          config.conceptParams(), config.duration(ServerConfig.CONCEPTS_PUBLISH_INTERVAL,
              ConceptConfig.DEFAULT_PUBLISH_INTERVAL));
      LOG.info(concepts != null ? "concept detection on, topic {}" : "concept detection off: {}",
          concepts != null ? config.conceptsTopic() : conceptsOff);
      // The topology's own meters (rsk.stats.*) join the same registry, served on GET /metrics.
      final KafkaStreams s =
          new KafkaStreams(StatsTopology.buildTopology(stats, registry, config.similarityIndex(), concepts), props);
      this.streams = s;
      made.push(() -> streamsStillOpen.set(!s.close(CLOSE_TIMEOUT)));
      this.streamsMetrics = new StreamsMeterBinding(s, registry);
      made.push(streamsMetrics::close);
      // Task and store (RocksDB) metrics only exist once tasks are assigned: rebind at every RUNNING.
      final StreamsMeterBinding bound = streamsMetrics;
      final StartWatch watch = StartWatch.attach(s, "stats topology", StartWatch.EVERY);
      this.startWatch = watch;
      made.push(watch::close);
      streams.setStateListener((now, before) -> {
        watch.onState(now, before);
        stats.changes().changed(); // partitions may have moved: cached answers are void
        if (now == KafkaStreams.State.RUNNING) {
          bound.rebind();
        }
      });
      api.attach(streams, stats, self, partitionCount,
          concepts == null ? null : new ConceptQueries(streams, config.limits().storeWait()), conceptsOff);
      streams.setUncaughtExceptionHandler(e -> {
        LOG.error("stats stream thread failed; replacing it", e);
        return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
            .REPLACE_THREAD;
      });
      streams.start();
      this.purge = SketchesPurge.start(new StreamsConfig(props).getAdminConfigs("rsk-sketches-purge"),
          stats.sketchesTopic(), config.sketchesPurgeGroups(),
          config.duration(SketchesPurge.INTERVAL, SketchesPurge.DEFAULT_INTERVAL));
    } catch (RuntimeException | Error e) {
      closeAll(made, e);
      throw e;
    }
    LOG.info("rsk stats + API instance {} serving http on port {}", self, api.port());
  }

  /** Closes {@code made} latest first, each despite the others' failures, which join {@code cause} suppressed. */
  private static void closeAll(final Deque<AutoCloseable> made, final Throwable cause) {
    while (!made.isEmpty()) {
      try {
        made.pop().close();
      } catch (Exception e) {
        cause.addSuppressed(e);
      }
    }
  }

  private static void closeUnless(final boolean inUse, final RocksDbMemory memory) {
    if (!inUse) {
      memory.close();
    }
  }

  /** Starts an instance reading {@code InferenceSketch} records through the registry configured in {@code config}. */
  public static StatsServer start(final ServerConfig config) {
    final Serde<InferenceSketch> serde = AvroSerdes.specific(InferenceSketch.class, config.serdeConfig(), false);
    return start(config, serde);
  }

  /** Starts an instance with a given input serde (tests: an in-memory registry). */
  public static StatsServer start(final ServerConfig config, final Serde<InferenceSketch> serde) {
    return start(config, serde, null);
  }

  /**
   * Starts an instance with given serdes of the sketches and of the concepts topic ({@code conceptSerde} null:
   * through the registry of {@code config}).
   */
  public static StatsServer start(final ServerConfig config, final Serde<InferenceSketch> serde,
      final Serde<ConceptEvent> conceptSerde) {
    return start(config, serde, conceptSerde, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  /** Starts an instance that owns {@code registry}: closes it at {@link #close()}, or when the start fails. */
  static StatsServer start(final ServerConfig config, final Serde<InferenceSketch> serde,
      final Serde<ConceptEvent> conceptSerde, final PrometheusMeterRegistry registry) {
    return new StatsServer(config, statsConfig(config, serde), conceptSerde, registry);
  }

  /** The stats topology's configuration from {@code config}'s keys (defaults: {@link StatsConfig#defaults}). */
  static StatsConfig statsConfig(final ServerConfig config, final Serde<InferenceSketch> serde) {
    final StatsConfig defaults = StatsConfig.defaults(serde);
    return defaults.withSketchesTopic(config.sketchesTopic())
        .withStatsBucket(config.duration("rsk.stats.bucket", defaults.statsBucket()))
        .withRetention(config.duration("rsk.retention", defaults.retention()),
            config.duration("rsk.stats.retention", defaults.statsRetention()),
            config.duration("rsk.repository.retention", defaults.repositoryRetention()))
        .withAgeing(config.duration(ServerConfig.REPOSITORY_FULL_FOR, defaults.repositoryFullFor()),
            config.agedFraction())
        .withCleanup(config.duration(ServerConfig.REPOSITORY_CLEANUP_INTERVAL, defaults.cleanupInterval()),
            defaults.cleanupBatch())
        .withExactDims(config.exactDims())
        .withRepositoryItemsMax(config.repositoryItemsMax());
  }

  public int httpPort() {
    return api.port();
  }

  /** {@code http://host:port} (or {@code https://}) as other instances and clients reach it. */
  public String url() {
    return scheme + "://" + self.host() + ":" + self.port();
  }

  /** The HTTP server of this instance. */
  public ApiServer api() {
    return api;
  }

  public KafkaStreams streams() {
    return streams;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    try {
      api.close();
      if (purge != null) {
        purge.close();
      }
    } finally {
      streamsMetrics.close();
      startWatch.close();
      if (streams.close(closeOptions)) {
        rocksDb.close(); // after the client: its stores used the cache until they closed
      } else {
        // a stream thread may still be in a store: freeing the cache under it could crash the JVM
        LOG.warn("Kafka Streams did not close within {}; its RocksDB cache is left to the process exit",
            CLOSE_TIMEOUT);
      }
      partitionCount.close();
      gcMetrics.close();
      registry.close();
    }
  }
}
