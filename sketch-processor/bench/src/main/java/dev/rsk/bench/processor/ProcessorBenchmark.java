package dev.rsk.bench.processor;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.avro.ModuleActivation;
import dev.rsk.kafka.EmbeddedKafka;
import dev.rsk.processor.ProcessorConfig;
import dev.rsk.processor.ProcessorMetrics;
import dev.rsk.processor.ProcessorTopology;
import dev.rsk.registry.InMemorySchemaRegistryClient;
import dev.rsk.serde.AvroSerdes;
import dev.rsk.sketch.SketchSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/**
 * Throughput and latency of the sketch processor on an in-process broker with exactly-once, beside
 * the plain group-and-rewrite app ({@link BaselineTopology}) run the same way on the same data.
 *
 * <p>Per app: (1) a backlog of {@code inferences} x {@value BenchmarkData#OBJECTS} Avro events is
 * published first, then the app is started and timed from RUNNING until every output record is
 * visible to a {@code read_committed} consumer: events/s = events / that time. (2) With the app
 * caught up, new inferences are published at a fixed rate for a while; the event-to-output latency of
 * each is the time its output becomes visible (read_committed) minus the timestamp of its last event.
 */
public final class ProcessorBenchmark {
  private static final Duration WAIT = Duration.ofMinutes(10);
  /** Give up when no output arrives for this long. */
  private static final Duration STALL = Duration.ofSeconds(60);
  /** Outputs excluded from the timing at the start of each backlog run (at most a fifth of them). */
  private static final long WARMUP_OUTPUTS = 5_000;

  /** Benchmark parameters. */
  public record Options(int inferences, int partitions, int threads, int d, int pacedRate, int pacedSeconds,
      boolean baseline) {
    public static Options defaults() {
      return new Options(40_000, 4, 1, SketchSpec.DEFAULT_D, 20_000, 10, true);
    }
  }

  /** The figures of one app. */
  public record Result(String app, long events, double seconds, double eventsPerSecond, double streamCpuMicros,
      double processCpuMicros, long pacedOutputs, double p50Ms, double p99Ms) {}

  private ProcessorBenchmark() {}

  public static void main(final String[] args) throws Exception {
    run(Options.defaults(), System.out);
  }

  /** Runs the benchmark, printing progress and a summary table to {@code out}. */
  public static List<Result> run(final Options o, final PrintStream out) throws Exception {
    final Path dir = Files.createTempDirectory("rsk-bench-");
    final List<Result> results = new ArrayList<>();
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
      final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
      final Serde<ModuleActivation> activations = AvroSerdes.specific(ModuleActivation.class, registry, false);
      final Serde<InferenceSketch> sketches = AvroSerdes.specific(InferenceSketch.class, registry, false);
      out.printf(Locale.ROOT, "rsk bench-processor: %d inferences x %d objects, %d partitions, %d stream thread(s),"
          + " d=%d, exactly_once_v2, broker %s%n", o.inferences(), BenchmarkData.OBJECTS, o.partitions(),
          o.threads(), o.d(), kafka.bootstrapServers());
      final ProcessorConfig c = ProcessorConfig.builder().activationsTopic("rsk-processor-in")
          .sketchesTopic("rsk-processor-out").dlqTopic("rsk-processor-dlq").spec(SketchSpec.defaults().withD(o.d()))
          .build();
      kafka.createTopic(c.dlqTopic(), 1, Map.of());
      // The processor runs with its own defaults (ProcessorConfig.streamsProperties), the baseline with Kafka's.
      results.add(runApp("rsk-processor", kafka, o, dir, activations.serializer(), out, c.streamsProperties(),
          (in, outTopic) -> ProcessorTopology.buildTopology(c, activations.deserializer(), sketches.serializer(),
              new ProcessorMetrics(new SimpleMeterRegistry()))));
      if (o.baseline()) {
        results.add(runApp("baseline-group-rewrite", kafka, o, dir, activations.serializer(), out, new Properties(),
            (in, outTopic) -> BaselineTopology.build(in, outTopic, activations.deserializer(), BenchmarkData.OBJECTS)));
      }
    } finally {
      deleteRecursively(dir);
    }
    out.println();
    out.println("app                       events    seconds   events/s  stream-cpu-us/ev  process-cpu-us/ev"
        + "  paced-outputs  latency-p50-ms  latency-p99-ms");
    for (final Result r : results) {
      out.printf(Locale.ROOT, "%-24s %8d %10.2f %10.0f %17.1f %18.1f %14d %15.1f %15.1f%n", r.app(), r.events(),
          r.seconds(), r.eventsPerSecond(), r.streamCpuMicros(), r.processCpuMicros(), r.pacedOutputs(), r.p50Ms(),
          r.p99Ms());
    }
    out.printf(Locale.ROOT, "load average at the end: %.2f (%d cores); cpu-us/ev are CPU time per event, so they do"
        + " not depend on how busy the machine is%n",
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        Runtime.getRuntime().availableProcessors());
    return results;
  }

  private interface TopologyFactory {
    Topology build(String inputTopic, String outputTopic);
  }

  private static List<ProducerRecord<byte[], byte[]>> backlog(final String prefix, final int inferences,
      final Serializer<ModuleActivation> serializer) {
    final Random random = new Random(42);
    final Instant t = Instant.now();
    final List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(inferences * BenchmarkData.OBJECTS);
    // Inferences interleave in windows of 8, as concurrent inference services would produce them.
    final int window = 8;
    for (int start = 0; start < inferences; start += window) {
      final List<ProducerRecord<byte[], byte[]>> block = new ArrayList<>();
      for (int i = start; i < Math.min(inferences, start + window); i++) {
        final String id = prefix + "-" + i;
        for (final ModuleActivation a : BenchmarkData.inference(id, random, t)) {
          block.add(new ProducerRecord<>("", id.getBytes(StandardCharsets.UTF_8), serializer.serialize("", a)));
        }
      }
      Collections.shuffle(block, random);
      out.addAll(block);
    }
    return out;
  }

  private static Result runApp(final String app, final EmbeddedKafka kafka, final Options o, final Path dir,
      final Serializer<ModuleActivation> serializer, final PrintStream out, final Properties base,
      final TopologyFactory factory) throws Exception {
    final String in = app + "-in";
    final String outTopic = app + "-out";
    kafka.createTopic(in, o.partitions(), Map.of());
    kafka.createTopic(outTopic, o.partitions(), Map.of());
    // The same seeded backlog for every app, generated again rather than kept (it would weigh on the GC).
    final int events;
    try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
      final long p0 = System.nanoTime();
      final List<ProducerRecord<byte[], byte[]>> backlog = backlog("bench", o.inferences(), serializer);
      events = backlog.size();
      for (final ProducerRecord<byte[], byte[]> r : backlog) {
        producer.send(new ProducerRecord<>(in, r.key(), r.value()));
      }
      producer.flush();
      out.printf(Locale.ROOT, "[%s] published %d events in %.1f s%n", app, events, (System.nanoTime() - p0) / 1e9);
    }
    final Properties props = new Properties();
    props.putAll(base);
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, app + "-bench");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, o.threads());
    props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory(dir, app).toString());
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    final long expected = events / BenchmarkData.OBJECTS;
    // The first outputs are not timed: they warm up the JIT (broker and clients included).
    final long warmup = Math.min(WARMUP_OUTPUTS, expected / 5);
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(kafka, outTopic)) {
      consumer.subscribe(List.of(outTopic));
      consumer.poll(Duration.ofMillis(100));
      final AtomicReference<Long> runningAt = new AtomicReference<>();
      try (KafkaStreams streams = new KafkaStreams(factory.build(in, outTopic), props)) {
        streams.setStateListener((now, before) -> {
          if (now == KafkaStreams.State.RUNNING) {
            runningAt.compareAndSet(null, System.nanoTime());
          }
        });
        streams.start();
        long warmAt = 0;
        long cpuAtWarm = 0;
        long streamCpuAtWarm = 0;
        long seen = 0;
        long lastReport = System.nanoTime();
        long lastProgress = System.nanoTime();
        final long deadline = System.nanoTime() + WAIT.toNanos();
        while (seen < expected && System.nanoTime() < deadline && System.nanoTime() - lastProgress < STALL.toNanos()) {
          final int n = consumer.poll(Duration.ofMillis(100)).count();
          seen += n;
          if (n > 0 || runningAt.get() == null) {
            lastProgress = System.nanoTime();
          }
          if (warmAt == 0 && seen >= warmup && runningAt.get() != null) {
            warmAt = System.nanoTime();
            cpuAtWarm = processCpuNanos();
            streamCpuAtWarm = streamThreadCpuNanos();
          }
          if (System.nanoTime() - lastReport > 2e9) {
            out.printf(Locale.ROOT, "[%s] %d / %d outputs%n", app, seen, expected);
            lastReport = System.nanoTime();
          }
        }
        final long done = System.nanoTime();
        final double timedEvents = (double) (seen - warmup) * BenchmarkData.OBJECTS;
        final double processCpu = (processCpuNanos() - cpuAtWarm) / 1e3 / timedEvents;
        final double streamCpu = (streamThreadCpuNanos() - streamCpuAtWarm) / 1e3 / timedEvents;
        if (seen < expected || runningAt.get() == null) {
          throw new IllegalStateException(app + ": only " + seen + " of " + expected + " outputs within " + WAIT);
        }
        final double seconds = (done - warmAt) / 1e9;
        final double rate = timedEvents / seconds;
        out.printf(Locale.ROOT, "[%s] backlog: %d events -> %d outputs; outputs %d..%d (%.0f events) took %.2f s ="
            + " %.0f events/s; CPU per event: stream threads %.1f us, whole process %.1f us%n", app, events, seen,
            warmup, seen, timedEvents, seconds, rate, streamCpu, processCpu);
        final double[] latency = paced(app, kafka, in, consumer, o, serializer, out);
        return new Result(app, (long) timedEvents, seconds, rate, streamCpu, processCpu, (long) latency[2], latency[0],
            latency[1]);
      }
    }
  }

  /** Publishes at a fixed rate and returns {p50 ms, p99 ms, outputs}. */
  private static double[] paced(final String app, final EmbeddedKafka kafka, final String in,
      final KafkaConsumer<byte[], byte[]> consumer, final Options o, final Serializer<ModuleActivation> serializer,
      final PrintStream out) throws Exception {
    if (o.pacedSeconds() <= 0 || o.pacedRate() <= 0) {
      return new double[] {Double.NaN, Double.NaN, 0};
    }
    final int inferences = Math.max(1, o.pacedRate() * o.pacedSeconds() / BenchmarkData.OBJECTS);
    final Random random = new Random(7);
    final List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
    final Thread producerThread = new Thread(() -> {
      try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
        final long start = System.nanoTime();
        final double nanosPerInference = 1e9 * BenchmarkData.OBJECTS / o.pacedRate();
        for (int i = 0; i < inferences; i++) {
          final long due = start + (long) (i * nanosPerInference);
          long wait;
          while ((wait = due - System.nanoTime()) > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
          final String id = "paced-" + i;
          final byte[] key = id.getBytes(StandardCharsets.UTF_8);
          for (final ModuleActivation a : BenchmarkData.inference(id, random, Instant.now())) {
            producer.send(new ProducerRecord<>(in, null, System.currentTimeMillis(), key, serializer.serialize(in, a)));
          }
        }
        producer.flush();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "bench-paced-producer");
    producerThread.start();
    final long deadline = System.nanoTime() + Duration.ofSeconds(o.pacedSeconds() + 120L).toNanos();
    while (latencies.size() < inferences && System.nanoTime() < deadline) {
      for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(20))) {
        latencies.add((double) (System.currentTimeMillis() - r.timestamp()));
      }
    }
    producerThread.join(Duration.ofSeconds(30).toMillis());
    final double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    final double p50 = percentile(sorted, 0.50);
    final double p99 = percentile(sorted, 0.99);
    out.printf(Locale.ROOT, "[%s] paced %d events/s for %d s: %d outputs, latency p50 %.1f ms, p99 %.1f ms%n", app,
        o.pacedRate(), o.pacedSeconds(), sorted.length, p50, p99);
    return new double[] {p50, p99, sorted.length};
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** CPU time of the Kafka Streams processing threads (not their producers' network threads). */
  private static long streamThreadCpuNanos() {
    final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long total = 0;
    for (final ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().contains("-StreamThread-")
          && !info.getThreadName().startsWith("kafka-")) {
        total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
      }
    }
    return total;
  }

  private static double percentile(final double[] sorted, final double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }

  private static KafkaProducer<byte[], byte[]> producer(final EmbeddedKafka kafka) {
    final Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static KafkaConsumer<byte[], byte[]> consumer(final EmbeddedKafka kafka, final String topic) {
    final Map<String, Object> p = new HashMap<>();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-reader-" + topic);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private static void deleteRecursively(final Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }
}
