package dev.rsk.bench.stats;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.avro.ModuleActivation;
import dev.rsk.bench.processor.BenchmarkData;
import dev.rsk.kafka.EmbeddedKafka;
import dev.rsk.registry.InMemorySchemaRegistryClient;
import dev.rsk.serde.AvroSerdes;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.streams.RocksDbMemory;
import dev.rsk.stats.StatsConfig;
import dev.rsk.stats.StatsTopology;
import dev.rsk.stats.graph.IndexSettings;
import dev.rsk.stats.graph.SimilarityGraph;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

/**
 * {@code rsk bench-stats}: the stats aggregator beside a plain Kafka Streams peer ({@link PeerTopology}), on the
 * same pre-filled {@code sketches} topic of an in-process broker, exactly-once, contenders interleaved in one run
 * ({@code rounds} times rsk then peer). Per run: sketches/s from RUNNING until the committed offsets cover the
 * topic, CPU of the stream threads per sketch, and what the run wrote to its internal topics (changelogs and
 * repartition topics: records and bytes per sketch). After the last rsk run it prints the storage per inference
 * (sketches topic, changelogs, RocksDB) beside the Avro bytes of the raw activation events. Before the rounds,
 * each contender processes the topic's first {@code warmup} sketches once, unmeasured, under its own application
 * id: the contenders share one JVM, and without it the first one alone paid the class loading and the JIT
 * (reversing the order moved 35-115 us of stream-thread CPU per sketch to whichever ran first).
 */
public final class StatsBenchmark {

  private static final Duration WAIT = Duration.ofMinutes(15);
  static final String TOPIC = "sketches";

  /**
   * Parameters; {@code commitMs}: every contender's {@code commit.interval.ms} (0: Kafka Streams' default under
   * exactly-once, 100 ms), {@code threads}: every contender's {@code num.stream.threads}, the same for all so the
   * comparison stays fair.
   */
  public record Options(int sketches, int partitions, int d, int rounds, boolean withoutIndex, int warmup,
      long commitMs, int threads) {

    /** Without a warm-up, at the default commit interval, one stream thread. */
    public Options(final int sketches, final int partitions, final int d, final int rounds,
        final boolean withoutIndex) {
      this(sketches, partitions, d, rounds, withoutIndex, 0, 0, 1);
    }
  }

  /**
   * The figures of one run; {@code indexedSeconds}: from RUNNING until every sketch was searchable through the
   * similarity graphs (NaN without an index), {@code indexerCpuMicros}: CPU of the background indexers per sketch,
   * {@code processCpuMicros}: CPU of the whole JVM per sketch while the stream threads' CPU was measured (the
   * in-process broker, the clients, the indexer, GC and JIT included): beside the wall clock, it tells whether the
   * run was bound by the two cores or waited (on the broker's appends and transaction markers).
   */
  public record Result(String app, int round, double seconds, double sketchesPerSecond, double cpuMicros,
      double recordsPerSketch, double bytesPerSketch, double indexedSeconds, double indexerCpuMicros,
      double processCpuMicros) {}

  private StatsBenchmark() {}

  /** Runs the benchmark, printing progress and a summary to {@code out}. */
  public static List<Result> run(final Options o, final PrintStream out) throws Exception {
    final Path dir = Files.createTempDirectory("rsk-bench-stats-");
    final List<Result> results = new ArrayList<>();
    // One admin client for every poll: a client per poll would leave hundreds of live clients refreshing their
    // metadata in this JVM, CPU taken from every contender.
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0); Admin admin = kafka.admin()) {
      final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
      final Serde<InferenceSketch> serde = AvroSerdes.specific(InferenceSketch.class, registry, false);
      final Serde<ModuleActivation> activations = AvroSerdes.specific(ModuleActivation.class, registry, false);
      kafka.createTopic(TOPIC, o.partitions(), Map.of("retention.ms", "-1"));
      out.printf(Locale.ROOT, "rsk bench-stats: exactly_once_v2, %d stream thread(s) per contender%n", o.threads());
      final long rawBytes = fill(kafka, o, serde, activations, out);
      final StatsConfig config = StatsConfig.defaults(serde);
      Path lastRskState = null;
      if (o.warmup() > 0) {
        // The JIT and the class loading are paid here, by every contender alike: unmeasured, each processes the
        // first `warmup` sketches of the topic once (without it the first contender of the JVM pays them).
        final int target = Math.min(o.warmup(), o.sketches());
        runApp("warmup-rsk-stats", 0, kafka, admin, o, Files.createTempDirectory(dir, "warmup"),
            StatsTopology.buildTopology(config, new SimpleMeterRegistry(), IndexSettings.DEFAULTS), null, target, out);
        if (o.withoutIndex()) {
          runApp("warmup-rsk-stats-no-index", 0, kafka, admin, o, Files.createTempDirectory(dir, "warmup"),
              StatsTopology.buildTopology(config, new SimpleMeterRegistry(), IndexSettings.DISABLED), null, target,
              out);
        }
        runApp("warmup-plain-windowed-count", 0, kafka, admin, o, Files.createTempDirectory(dir, "warmup"),
            PeerTopology.build(TOPIC, serde.deserializer()), null, target, out);
      }
      for (int r = 1; r <= o.rounds(); r++) {
        final Path rskState = Files.createTempDirectory(dir, "rsk");
        final SimpleMeterRegistry meters = new SimpleMeterRegistry();
        results.add(runApp("rsk-stats", r, kafka, admin, o, rskState,
            StatsTopology.buildTopology(config, meters, IndexSettings.DEFAULTS), meters, o.sketches(), out));
        lastRskState = rskState;
        if (o.withoutIndex()) {
          results.add(runApp("rsk-stats-no-index", r, kafka, admin, o, Files.createTempDirectory(dir, "rsk-no-index"),
              StatsTopology.buildTopology(config, new SimpleMeterRegistry(), IndexSettings.DISABLED), null, o.sketches(),
              out));
        }
        results.add(runApp("plain-windowed-count", r, kafka, admin, o, Files.createTempDirectory(dir, "peer"),
            PeerTopology.build(TOPIC, serde.deserializer()), null, o.sketches(), out));
      }
      out.println();
      out.println("app                   round   seconds  sketches/s  cpu-us/sketch  changelog-records/sketch"
          + "  changelog-bytes/sketch  all-indexed-s  indexer-cpu-us/sketch  process-cpu-us/sketch");
      for (final Result x : results) {
        out.printf(Locale.ROOT, "%-21s %5d %9.2f %11.0f %14.1f %25.2f %23.0f %14.2f %22.1f %22.1f%n", x.app(),
            x.round(), x.seconds(), x.sketchesPerSecond(), x.cpuMicros(), x.recordsPerSketch(), x.bytesPerSketch(),
            x.indexedSeconds(), x.indexerCpuMicros(), x.processCpuMicros());
      }
      out.printf(Locale.ROOT, "rsk / peer throughput (best of each): %.2fx%n",
          best(results, "rsk-stats") / best(results, "plain-windowed-count"));
      if (o.withoutIndex()) {
        out.printf(Locale.ROOT, "rsk without the similarity index / peer (best of each): %.2fx%n",
            best(results, "rsk-stats-no-index") / best(results, "plain-windowed-count"));
      }
      StorageReport.breakdown(admin, "rsk-stats-" + o.rounds(), o.sketches(), out);
      StorageReport.print(admin, TOPIC, "rsk-stats-" + o.rounds(), lastRskState, o.sketches(), rawBytes, out);
      out.printf(Locale.ROOT, "load average at the end: %.2f (%d cores; machine shared, figures are noisy)%n",
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
          Runtime.getRuntime().availableProcessors());
    } finally {
      StorageReport.deleteRecursively(dir);
    }
    return results;
  }

  private static double best(final List<Result> results, final String app) {
    return results.stream().filter(r -> r.app().equals(app)).mapToDouble(Result::sketchesPerSecond).max()
        .orElse(Double.NaN);
  }

  /** Publishes the sketches (record timestamp = event time); returns the Avro bytes of their raw events. */
  static long fill(final EmbeddedKafka kafka, final Options o, final Serde<InferenceSketch> serde,
      final Serde<ModuleActivation> activations, final PrintStream out) {
    final Instant end = Instant.now();
    final SketchData data = new SketchData(SketchSpec.defaults().withD(o.d()), end.minus(Duration.ofDays(365)),
        Duration.ofDays(365), o.sketches());
    final Random rawRandom = new Random(42);
    long raw = 0;
    final long t0 = System.nanoTime();
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 5,
        ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024), new StringSerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < o.sketches(); i++) {
        final InferenceSketch s = data.sketch(i);
        producer.send(new ProducerRecord<>(TOPIC, null, s.getEventTime().toEpochMilli(), s.getInferenceId(),
            serde.serializer().serialize(TOPIC, s)));
        // The same inference's raw events (same seed and order as SketchData draws them).
        for (final ModuleActivation a : BenchmarkData.inference(s.getInferenceId(), rawRandom, s.getEventTime())) {
          raw += activations.serializer().serialize("activations", a).length;
        }
      }
      producer.flush();
    }
    out.printf(Locale.ROOT, "filled %d sketches (d=%d, %d objects each, a year of event time) into %d partitions"
        + " in %.1f s, broker %s%n", o.sketches(), o.d(), BenchmarkData.OBJECTS, o.partitions(),
        (System.nanoTime() - t0) / 1e9, kafka.bootstrapServers());
    return raw;
  }

  private static Result runApp(final String app, final int round, final EmbeddedKafka kafka, final Admin admin,
      final Options o,
      final Path stateDir, final Topology topology, final MeterRegistry meters, final int target,
      final PrintStream out) throws Exception {
    final String appId = app + "-" + round;
    final Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, o.threads());
    if (o.commitMs() > 0) {
      p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, o.commitMs());
    }
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    // rsk runs with the server's bounded, shared, LZ4-compressed RocksDB memory (rsk.rocksdb.memory.bytes'
    // default); the peer with Kafka Streams' defaults, as a plain app would
    final RocksDbMemory rocksDb = app.contains("rsk-stats") ? new RocksDbMemory(RocksDbMemory.DEFAULT_BYTES) : null;
    if (rocksDb != null) {
      rocksDb.configure(p);
    }
    final AtomicLong runningAt = new AtomicLong();
    final double seconds;
    final long cpu;
    final long processCpu;
    double indexed = Double.NaN;
    double indexerCpu = Double.NaN;
    try (KafkaStreams streams = new KafkaStreams(topology, p)) {
      streams.setStateListener((now, before) -> {
        if (now == KafkaStreams.State.RUNNING) {
          runningAt.compareAndSet(0, System.nanoTime());
        }
      });
      streams.start();
      final long deadline = System.nanoTime() + WAIT.toNanos();
      long cpu0 = -1;
      long process0 = -1;
      long committed = 0;
      long lastReport = System.nanoTime();
      while (committed < target && System.nanoTime() < deadline) {
        Thread.sleep(50);
        if (cpu0 < 0 && runningAt.get() != 0) {
          cpu0 = StorageReport.streamThreadCpuNanos(appId);
          process0 = processCpuNanos();
        }
        committed = StorageReport.committed(admin, appId, TOPIC);
        if (System.nanoTime() - lastReport > 5e9) {
          out.printf(Locale.ROOT, "[%s #%d] %d / %d sketches committed%n", app, round, committed, target);
          lastReport = System.nanoTime();
        }
      }
      if (committed < target) {
        throw new IllegalStateException(app + ": only " + committed + " of " + target + " within " + WAIT);
      }
      seconds = (System.nanoTime() - runningAt.get()) / 1e9;
      cpu = StorageReport.streamThreadCpuNanos(appId) - Math.max(0, cpu0);
      processCpu = processCpuNanos() - Math.max(0, process0);
      if (meters != null) {
        indexed = awaitIndexed(meters, o.sketches(), deadline) ? (System.nanoTime() - runningAt.get()) / 1e9
            : Double.NaN;
        indexerCpu = indexerCpuNanos() / 1e3 / o.sketches();
      }
      streams.close(Duration.ofSeconds(60));
    } finally {
      if (rocksDb != null) {
        rocksDb.close();
      }
    }
    if (round == 0) {
      out.printf(Locale.ROOT, "[%s] %d sketches in %.2f s (warm-up, not counted)%n", app, target, seconds);
      return null;
    }
    final long[] written = StorageReport.internalTopics(admin, appId);
    final Result r = new Result(app, round, seconds, o.sketches() / seconds, cpu / 1e3 / o.sketches(),
        (double) written[0] / o.sketches(), (double) written[1] / o.sketches(), indexed, indexerCpu,
        processCpu / 1e3 / o.sketches());
    out.printf(Locale.ROOT, "[%s #%d] %.2f s = %.0f sketches/s, stream-thread CPU %.1f us/sketch, internal topics"
        + " %.2f records and %.0f bytes per sketch%n", app, round, r.seconds(), r.sketchesPerSecond(), r.cpuMicros(),
        r.recordsPerSketch(), r.bytesPerSketch());
    if (meters != null) {
      out.printf(Locale.ROOT, "[%s #%d] every sketch searchable through the similarity graphs %.2f s after RUNNING;"
          + " background indexers' CPU %.1f us/sketch%n", app, round, indexed, indexerCpu);
    }
    return r;
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

  /** CPU time of this JVM (every thread, the in-process broker's included); -1 if the platform does not say. */
  private static long processCpuNanos() {
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
