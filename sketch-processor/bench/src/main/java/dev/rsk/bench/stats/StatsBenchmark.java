package dev.rsk.bench.stats;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.avro.ModuleActivation;
import dev.rsk.bench.processor.BenchmarkData;
import dev.rsk.bench.stats.ContenderRun.Broker;
import dev.rsk.bench.stats.ContenderRun.Spec;
import dev.rsk.kafka.EmbeddedKafka;
import dev.rsk.registry.InMemorySchemaRegistryClient;
import dev.rsk.serde.AvroSerdes;
import dev.rsk.sketch.SketchSpec;
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
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code rsk bench-stats}: the stats aggregator beside a plain Kafka Streams peer ({@link PeerTopology}), on the same
 * pre-filled {@code sketches} topic of an in-process broker, exactly-once, contenders interleaved in one run
 * ({@code rounds} times rsk then peer). Per run: sketches/s from the first stream thread running until the committed
 * offsets cover the topic, CPU of the stream threads per sketch, and what the run wrote to its internal topics
 * (changelogs and repartition topics: records and bytes per sketch). After the last rsk run it prints the storage per
 * inference (sketches topic, changelogs, RocksDB) beside the Avro bytes of the raw activation events. Before the
 * rounds, each contender processes the topic's first {@code warmup} sketches once, unmeasured, under its own
 * application id: the contenders share one JVM, and without it the first one alone paid the class loading and the JIT
 * (reversing the order moved 35-115 us of stream-thread CPU per sketch to whichever ran first). With
 * {@code jvmPerContender}, each run (its warm-up first) is a child JVM of its own instead ({@link ContenderProcess}):
 * shared code (Kafka Streams, the clients, RocksDB's JNI wrappers) is no longer compiled again for each contender's
 * type profiles, and the broker's CPU, left in this JVM, is reported apart.
 */
public final class StatsBenchmark {

  static final String TOPIC = "sketches";

  /**
   * Parameters; {@code commitMs}: every contender's {@code commit.interval.ms} (0: Kafka Streams' default under
   * exactly-once, 100 ms), {@code threads}: every contender's {@code num.stream.threads}, the same for all so the
   * comparison stays fair; {@code jvmPerContender}: each run in a child JVM, warmed up there; {@code also}: if not
   * empty, one more contender ({@link ContenderRun#RSK_ALSO}): rsk without the index, these Kafka Streams properties
   * over the server's defaults.
   */
  public record Options(int sketches, int partitions, int d, int rounds, boolean withoutIndex, int warmup,
      long commitMs, int threads, boolean jvmPerContender, Map<String, String> also) {

    /** {@code also} copied; null is none. */
    public Options {
      also = also == null ? Map.of() : Map.copyOf(also);
    }

    /** Without a warm-up, at the default commit interval, one stream thread, in this JVM, no other contender. */
    public Options(final int sketches, final int partitions, final int d, final int rounds,
        final boolean withoutIndex) {
      this(sketches, partitions, d, rounds, withoutIndex, 0, 0, 1, false, Map.of());
    }

    /** The contenders of a round, in the order they run. */
    List<String> apps() {
      final List<String> apps = new ArrayList<>(List.of(ContenderRun.RSK));
      if (withoutIndex) {
        apps.add(ContenderRun.RSK_NO_INDEX);
      }
      if (!also.isEmpty()) {
        apps.add(ContenderRun.RSK_ALSO);
      }
      apps.add(ContenderRun.PEER);
      return apps;
    }
  }

  /**
   * The figures of one run; {@code indexedSeconds}: from the first stream thread running until every sketch was
   * searchable through the similarity graphs (NaN without an index), {@code indexerCpuMicros}: CPU of the background
   * indexers per sketch, {@code processCpuMicros}: CPU of everything the run cost per sketch while the stream threads'
   * CPU was measured (the broker, the clients, the indexer, GC and JIT included; with a JVM per contender, the child's
   * and the parent's, which holds the broker): beside the wall clock, it tells whether the run was bound by the two
   * cores or waited (on the broker's appends and transaction markers); {@code brokerCpuMicros}: with a JVM per
   * contender, the parent's share of it (the broker's, mostly), NaN without (the broker shares the contender's JVM).
   */
  public record Result(String app, int round, double seconds, double sketchesPerSecond, double cpuMicros,
      double recordsPerSketch, double bytesPerSketch, double indexedSeconds, double indexerCpuMicros,
      double processCpuMicros, double brokerCpuMicros) {

    /** This child JVM's result with the parent's CPU over its window, {@code micros} per sketch, added. */
    Result withBroker(final double micros) {
      return new Result(app, round, seconds, sketchesPerSecond, cpuMicros, recordsPerSketch, bytesPerSketch,
          indexedSeconds, indexerCpuMicros, processCpuMicros + micros, micros);
    }
  }

  private StatsBenchmark() {}

  /** Runs the benchmark, printing progress and a summary to {@code out}. */
  public static List<Result> run(final Options o, final PrintStream out) throws Exception {
    final Path dir = Files.createTempDirectory("rsk-bench-stats-");
    final List<Result> results = new ArrayList<>();
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0); Admin admin = kafka.admin()) {
      final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
      final Serde<InferenceSketch> serde = ContenderRun.sketchSerde(registry);
      final Serde<ModuleActivation> activations = AvroSerdes.specific(ModuleActivation.class, registry, false);
      kafka.createTopic(TOPIC, o.partitions(), Map.of("retention.ms", "-1"));
      out.printf(Locale.ROOT, "rsk bench-stats: exactly_once_v2, %d stream thread(s) per contender, %s%n",
          o.threads(), o.jvmPerContender() ? "each run in a child JVM (the broker in this one)" : "all in this JVM");
      final long rawBytes = fill(kafka, o, serde, activations, out);
      final Broker broker = new Broker(kafka.bootstrapServers(), admin);
      if (o.warmup() > 0 && !o.jvmPerContender()) {
        // The JIT and the class loading are paid here, by every contender alike: unmeasured, each processes the
        // first `warmup` sketches of the topic once (without it the first contender of the JVM pays them).
        for (final String app : o.apps()) {
          ContenderRun.run(new Spec(app, 0, true, Math.min(o.warmup(), o.sketches())), broker, o,
              Files.createTempDirectory(dir, "warmup"), serde, ContenderRun.Window.NONE, out);
        }
      }
      Path lastRskState = null;
      for (int r = 1; r <= o.rounds(); r++) {
        for (final String app : o.apps()) {
          final Path state = Files.createTempDirectory(dir, app);
          results.add(o.jvmPerContender() ? ContenderProcess.run(app, r, broker.bootstrap(), o, state, out)
              : ContenderRun.run(new Spec(app, r, false, o.sketches()), broker, o, state, serde,
                  ContenderRun.Window.NONE, out));
          if (app.equals(ContenderRun.RSK)) {
            lastRskState = state;
          }
        }
      }
      summary(results, o, out);
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

  /**
   * {@code rsk bench-stats-contender}: one contender's run in this JVM, a child of {@code rsk bench-stats
   * --jvm-per-contender true}, against the parent's broker at {@code bootstrap}; the figures go to {@code out}.
   */
  public static void runContender(final String bootstrap, final String app, final int round, final Options o,
      final Path stateDir, final PrintStream out) throws Exception {
    ContenderChild.run(bootstrap, app, round, o, stateDir, out);
  }

  private static void summary(final List<Result> results, final Options o, final PrintStream out) {
    out.println();
    out.println("app                   round   seconds  sketches/s  cpu-us/sketch  changelog-records/sketch"
        + "  changelog-bytes/sketch  all-indexed-s  indexer-cpu-us/sketch  process-cpu-us/sketch"
        + "  broker-cpu-us/sketch");
    for (final Result x : results) {
      out.printf(Locale.ROOT, "%-21s %5d %9.2f %11.0f %14.1f %25.2f %23.0f %14.2f %22.1f %22.1f %21.1f%n", x.app(),
          x.round(), x.seconds(), x.sketchesPerSecond(), x.cpuMicros(), x.recordsPerSketch(), x.bytesPerSketch(),
          x.indexedSeconds(), x.indexerCpuMicros(), x.processCpuMicros(), x.brokerCpuMicros());
    }
    out.printf(Locale.ROOT, "rsk / peer throughput (best of each): %.2fx%n",
        best(results, ContenderRun.RSK) / best(results, ContenderRun.PEER));
    if (o.withoutIndex()) {
      out.printf(Locale.ROOT, "rsk without the similarity index / peer (best of each): %.2fx%n",
          best(results, ContenderRun.RSK_NO_INDEX) / best(results, ContenderRun.PEER));
    }
    if (!o.also().isEmpty()) {
      out.printf(Locale.ROOT, "rsk without the similarity index, with %s / peer (best of each): %.2fx%n", o.also(),
          best(results, ContenderRun.RSK_ALSO) / best(results, ContenderRun.PEER));
    }
  }

  private static double best(final List<Result> results, final String app) {
    return results.stream().filter(r -> r.app().equals(app)).mapToDouble(Result::sketchesPerSecond).max()
        .orElse(Double.NaN);
  }

  /** Publishes the sketches (record timestamp: the time of publishing); returns the Avro bytes of their raw events. */
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
        // Record timestamp: now, as the processor gives a sketch its events' publish time; not the event time (a
        // year within seconds would roll the changelogs' 10-minute segments at every batch: docs/exact-stats.md).
        producer.send(new ProducerRecord<>(TOPIC, s.getInferenceId(), serde.serializer().serialize(TOPIC, s)));
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
}
