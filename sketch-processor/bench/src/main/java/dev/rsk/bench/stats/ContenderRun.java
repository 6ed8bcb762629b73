package dev.rsk.bench.stats;

import dev.rsk.api.server.ServerConfig;
import dev.rsk.avro.InferenceSketch;
import dev.rsk.bench.stats.StatsBenchmark.Options;
import dev.rsk.bench.stats.StatsBenchmark.Result;
import dev.rsk.config.ConfigDefs;
import dev.rsk.registry.InMemorySchemaRegistryClient;
import dev.rsk.serde.AvroSerdes;
import dev.rsk.serde.JavaProperties;
import dev.rsk.stats.StatsConfig;
import dev.rsk.stats.StatsTopology;
import dev.rsk.stats.graph.IndexSettings;
import dev.rsk.stats.graph.SimilarityGraph;
import dev.rsk.streams.RocksDbMemory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

/**
 * One Kafka Streams run of one {@code rsk bench-stats} contender, a warm-up or a measured run: the same code whether
 * the contender runs in the benchmark's JVM beside the in-process broker or alone in a child JVM
 * ({@code --jvm-per-contender true}, {@link ContenderProcess}), so that both modes measure the same thing.
 */
final class ContenderRun {

  static final Duration WAIT = Duration.ofMinutes(15);
  static final String RSK = "rsk-stats";
  static final String RSK_NO_INDEX = "rsk-stats-no-index";
  /** rsk without the index, with {@code --also}'s Kafka Streams properties over the server's defaults. */
  static final String RSK_ALSO = "rsk-stats-also";
  static final String PEER = "plain-windowed-count";
  static final List<String> APPS = List.of(RSK, RSK_NO_INDEX, RSK_ALSO, PEER);
  /**
   * The stats server's Kafka defaults ({@code kafka.*} keys without the prefix: exactly-once, zstd for its
   * producer, its changelogs' segments and dirty ratio, its error handlers), which rsk's contenders run with; the
   * benchmark sets the application id, the stream threads and the commit interval over them.
   */
  private static final Map<String, Object> SERVER_DEFAULTS =
      Map.copyOf(ConfigDefs.kafkaDefaults(ServerConfig.kafkaConfigDef()));

  /**
   * The broker and one admin client for every poll: a client per poll would leave hundreds of live clients
   * refreshing their metadata in the contender's JVM, CPU taken from it.
   */
  record Broker(String bootstrap, Admin admin) {}

  /** One run of {@code app}; a warm-up is not measured and runs under its own application id (consumer group). */
  record Spec(String app, int round, boolean warmup, int target) {
    String label() {
      return (warmup ? "warmup-" : "") + app;
    }

    String appId() {
      return label() + "-" + round;
    }
  }

  /**
   * Told when the Streams client starts, when the measured window opens (the first CPU samples, when a stream thread
   * runs) and when it closes (the last ones): a child JVM announces them to its parent, which samples its own CPU (the
   * broker's) over the same window (from the start if it never opened).
   */
  interface Window {
    Window NONE = new Window() {};

    default void starting() {}

    default void opened() {}

    default void closed() {}
  }

  private ContenderRun() {}

  /**
   * The sketches' serde over {@code registry}, with {@code InferenceSketch}'s schema registered first, as the
   * serializer registers it: it gets id 1 in every fresh registry, so a child JVM's own registry resolves the ids
   * of the records its parent wrote through another one.
   */
  static Serde<InferenceSketch> sketchSerde(final InMemorySchemaRegistryClient registry) {
    registry.register(StatsBenchmark.TOPIC + "-value", JavaProperties.strip(InferenceSketch.getClassSchema()));
    return AvroSerdes.specific(InferenceSketch.class, registry, false);
  }

  /** {@code app} if it names a contender, else {@link IllegalArgumentException}. */
  static String known(final String app) {
    if (!APPS.contains(app)) {
      throw new IllegalArgumentException("unknown contender '" + app + "': one of " + APPS);
    }
    return app;
  }

  /** The topology of contender {@code app}; {@link IllegalArgumentException} for an unknown one. */
  static Topology topology(final String app, final Serde<InferenceSketch> serde, final MeterRegistry meters) {
    return switch (app) {
      case RSK -> StatsTopology.buildTopology(StatsConfig.defaults(serde), meters, IndexSettings.DEFAULTS);
      case RSK_NO_INDEX, RSK_ALSO ->
          StatsTopology.buildTopology(StatsConfig.defaults(serde), meters, IndexSettings.DISABLED);
      case PEER -> PeerTopology.build(StatsBenchmark.TOPIC, serde);
      default -> throw new IllegalArgumentException("unknown contender '" + app + "': one of " + APPS);
    };
  }

  /**
   * Runs {@code run} until the committed offsets cover its target; null for a warm-up, else the figures. Stream
   * threads' and the JVM's CPU are measured from the first stream thread seen RUNNING (from the client's start if
   * the run was over before any was seen) until then; for rsk with the index, also when every
   * sketch was searchable and the background indexers' CPU.
   */
  static Result run(final Spec run, final Broker broker, final Options o, final Path stateDir,
      final Serde<InferenceSketch> serde, final Window window, final PrintStream out) throws Exception {
    final String appId = run.appId();
    final Properties p = properties(run.app(), appId, broker.bootstrap(), o, stateDir);
    // rsk runs with the server's bounded, shared, LZ4-compressed RocksDB memory (rsk.rocksdb.memory.bytes'
    // default); the peer with Kafka Streams' defaults, as a plain app would
    final RocksDbMemory rocksDb = run.app().startsWith(RSK) ? new RocksDbMemory(RocksDbMemory.DEFAULT_BYTES) : null;
    if (rocksDb != null) {
      rocksDb.configure(p);
    }
    final MeterRegistry meters = new SimpleMeterRegistry();
    final boolean indexes = !run.warmup() && run.app().equals(RSK);
    final double seconds;
    final long cpu;
    final long processCpu;
    double indexed = Double.NaN;
    double indexerCpu = Double.NaN;
    try (KafkaStreams streams = new KafkaStreams(topology(run.app(), serde, meters), p)) {
      final long startedAt = System.nanoTime();
      final long processAtStart = processCpuNanos();
      window.starting();
      streams.start();
      final long deadline = System.nanoTime() + WAIT.toNanos();
      long from = -1;
      long cpu0 = 0;
      long process0 = processAtStart;
      long committed = 0;
      long lastReport = System.nanoTime();
      while (committed < run.target() && System.nanoTime() < deadline) {
        Thread.sleep(50);
        if (from < 0 && anyThreadRunning(streams)) {
          from = System.nanoTime();
          cpu0 = StorageReport.streamThreadCpuNanos(appId);
          process0 = processCpuNanos();
          window.opened();
        }
        committed = StorageReport.committed(broker.admin(), appId, StatsBenchmark.TOPIC);
        if (System.nanoTime() - lastReport > 5e9) {
          out.printf(Locale.ROOT, "[%s #%d] %d / %d sketches committed%n", run.label(), run.round(), committed,
              run.target());
          lastReport = System.nanoTime();
        }
      }
      if (committed < run.target()) {
        throw new IllegalStateException(appId + ": only " + committed + " of " + run.target() + " within " + WAIT);
      }
      // Without a running thread seen (a short run may be over between two polls), the window is the whole run,
      // from start(): the parent then samples from STREAMS-START.
      from = from < 0 ? startedAt : from;
      seconds = (System.nanoTime() - from) / 1e9;
      cpu = StorageReport.streamThreadCpuNanos(appId) - cpu0;
      processCpu = processCpuNanos() - process0;
      window.closed();
      if (indexes) {
        indexed = awaitIndexed(meters, o.sketches(), deadline) ? (System.nanoTime() - from) / 1e9
            : Double.NaN;
        indexerCpu = indexerCpuNanos() / 1e3 / o.sketches();
      }
      streams.close(Duration.ofSeconds(60));
    } finally {
      if (rocksDb != null) {
        rocksDb.close();
      }
    }
    if (run.warmup()) {
      out.printf(Locale.ROOT, "[%s] %d sketches in %.2f s (warm-up, not counted)%n", run.label(), run.target(),
          seconds);
      return null;
    }
    final long[] written = StorageReport.internalTopics(broker.admin(), appId);
    final Result r = new Result(run.app(), run.round(), seconds, o.sketches() / seconds, cpu / 1e3 / o.sketches(),
        (double) written[0] / o.sketches(), (double) written[1] / o.sketches(), indexed, indexerCpu,
        processCpu / 1e3 / o.sketches(), Double.NaN);
    report(r, indexes, out);
    return r;
  }

  /**
   * The Streams properties of a run of {@code app}: rsk's contenders start from the server's Kafka defaults, the
   * peer from Kafka Streams' own (as a plain app would); every contender gets exactly-once, the same stream threads
   * and commit interval, and reads the topic from its start; {@link #RSK_ALSO} gets {@code o.also()} over all that.
   */
  static Properties properties(final String app, final String appId, final String bootstrap, final Options o,
      final Path stateDir) {
    final Properties p = new Properties();
    if (app.startsWith(RSK)) {
      p.putAll(SERVER_DEFAULTS);
    }
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, o.threads());
    if (o.commitMs() > 0) {
      p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, o.commitMs());
    }
    p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    if (app.equals(RSK_ALSO)) {
      p.putAll(o.also());
    }
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    return p;
  }

  private static void report(final Result r, final boolean indexes, final PrintStream out) {
    out.printf(Locale.ROOT, "[%s #%d] %.2f s = %.0f sketches/s, stream-thread CPU %.1f us/sketch, internal topics"
        + " %.2f records and %.0f bytes per sketch%n", r.app(), r.round(), r.seconds(), r.sketchesPerSecond(),
        r.cpuMicros(), r.recordsPerSketch(), r.bytesPerSketch());
    if (indexes) {
      out.printf(Locale.ROOT, "[%s #%d] every sketch searchable through the similarity graphs %.2f s after the"
          + " window opened; background indexers' CPU %.1f us/sketch%n", r.app(), r.round(), r.indexedSeconds(),
          r.indexerCpuMicros());
    }
  }

  /**
   * Whether a stream thread of {@code streams} is running (processing): the client itself is RUNNING only once
   * every thread is, which with four threads came after most of a short run (a peer measured over its last 0.9 s
   * at 43,000 sketches/s).
   */
  private static boolean anyThreadRunning(final KafkaStreams streams) {
    return streams.metadataForLocalThreads().stream().anyMatch(t -> t.threadState().equals("RUNNING"));
  }

  /** Waits until the indexers have no backlog and hold {@code n} sketches; false past the deadline. */
  private static boolean awaitIndexed(final MeterRegistry meters, final int n, final long deadline)
      throws InterruptedException {
    while (System.nanoTime() < deadline) {
      final double backlog = meters.get(SimilarityGraph.BACKLOG_GAUGE).gauge().value();
      final double indexed = meters.get(SimilarityGraph.INDEXED_GAUGE).gauge().value();
      if (backlog == 0 && indexed >= n) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }

  /** CPU time of this JVM (every thread, an in-process broker's included); -1 if the platform does not say. */
  static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime() : -1;
  }

  /** CPU time of the live background indexer threads (they end with their tasks, so read before close). */
  private static long indexerCpuNanos() {
    final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long total = 0;
    for (final ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().startsWith("rsk-similarity-indexer-")) {
        total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
      }
    }
    return total;
  }
}
