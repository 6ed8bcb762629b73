package dev.rsk.cli;

import dev.rsk.api.client.RskClient;
import dev.rsk.api.server.ServerConfig;
import dev.rsk.api.server.SketchesPurge;
import dev.rsk.api.server.StatsServer;
import dev.rsk.kafka.LogBytes;
import dev.rsk.processor.ProcessorConfig;
import dev.rsk.processor.ProcessorRunner;
import dev.rsk.sim.GroundTruth;
import dev.rsk.sim.Plant;
import dev.rsk.sim.SimulationConfig;
import dev.rsk.standalone.StandaloneApi;
import dev.rsk.standalone.StandaloneOptions;
import dev.rsk.standalone.StandaloneStack;
import dev.rsk.standalone.StorageBreakdown;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rsk bench-storage}: bytes on disk per inference of what the standalone stack remembers after the demo's
 * year, by component, beside the raw activation events (issue 10, docs/exact-stats.md "Bytes on disk"). A year
 * of a running stack happens in minutes here, so two wall-clock periods are shortened (and printed): the
 * repository clean-up (ageing, {@code rsk.repository.cleanup.interval}) and the changelogs' segment roll
 * ({@code kafka.topic.segment.ms}, the processor's and the aggregator's). After the year, it waits for the
 * ageing, then publishes one more day (so every changelog partition gets an append and rolls its segment: Kafka
 * compacts only rolled segments), waits
 * until the broker's log sizes settle (purge of the sketches topic, segment deletion, log cleaner), stops the
 * stack and compacts its RocksDB stores offline. Kafka bytes are the logs' record bytes as the broker reports
 * them; what remains in each partition's active segment is not compacted and counts.
 */
@Command(name = "bench-storage", mixinStandardHelpOptions = true,
    description = "Bytes on disk per inference after a simulated year, by component, beside the raw events.")
public final class BenchStorageCommand implements Callable<Integer> {

  private static final Duration SETTLE_POLL = Duration.ofSeconds(5);
  /** Bound on each poll of the broker's log sizes. */
  private static final Duration LOG_BYTES_TIMEOUT = Duration.ofSeconds(30);
  /** Log sizes unchanged this long: purge (30 s), retention check (30 s) and cleaner (15 s backoff) are done. */
  private static final Duration SETTLED = Duration.ofSeconds(70);
  private static final Duration SETTLE_MAX = Duration.ofMinutes(6);

  @Option(names = "--days", defaultValue = "" + SimulationConfig.DEFAULT_DAYS,
      description = "Days to simulate (default: ${DEFAULT-VALUE}); one more day follows.")
  int days;

  @Option(names = "--embedding", defaultValue = "0",
      description = "Floats of an embedding appended to every object's attributes (default: ${DEFAULT-VALUE}).")
  int embedding;

  @Option(names = "--cleanup-interval", defaultValue = "PT5S",
      description = "rsk.repository.cleanup.interval during the run (default: ${DEFAULT-VALUE}; the server's"
          + " is 10 min).")
  Duration cleanupInterval;

  @Option(names = "--segment-ms", defaultValue = "20000",
      description = "kafka.topic.segment.ms of the changelogs during the run (default: ${DEFAULT-VALUE}; the server's"
          + " is 600000).")
  long segmentMs;

  @Option(names = "--timeout", defaultValue = "PT20M",
      description = "Longest wait for every inference to be queryable (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() throws Exception {
    final PrintStream out = System.out;
    final SimulationConfig year;
    try {
      year = SimulationConfig.defaults().withDays(days).withEmbedding(embedding)
          .withPlant(days >= DemoCommand.MIN_PLANT_DAYS ? new Plant(Plant.PARTY, days * 11 / 20, 20, 24) : null);
    } catch (final IllegalArgumentException e) {
      System.err.println("rsk bench-storage: " + e.getMessage());
      return DemoCommand.EXIT_USAGE;
    }
    final SimulationConfig tail = year.withPlant(null).withDays(1).withStart(year.end(), "tail");
    final Path dir = Files.createTempDirectory(Files.createDirectories(DemoCommand.CACHE), "storage-");
    final Path log = LogFile.redirect(dir.resolveSibling(dir.getFileName() + ".log"));
    out.printf(Locale.ROOT, "rsk bench-storage: %d days (%,d inferences)%s, then 1 more day (%,d); embedding %d floats;"
        + " clean-up every %s, changelog segments roll after %d ms; data %s, logs %s%n", days, year.inferenceCount(),
        year.plant() == null ? "" : ", a party from day " + year.plant().day(), tail.inferenceCount(), embedding,
        cleanupInterval, segmentMs, dir, log);
    final StandaloneOptions options = StandaloneOptions.defaults().withDataDir(dir).withPorts(0, 0, 0);
    final StandaloneStack stack = StandaloneStack.start(options);
    boolean stopped = false;
    try {
      final Map<String, String> keys = new HashMap<>();
      keys.put(ServerConfig.REPOSITORY_CLEANUP_INTERVAL, cleanupInterval.toString());
      // as in the demo: the purge of the sketches topic also waits for the progress counter (DemoPublisher)
      keys.put(SketchesPurge.GROUPS, StandaloneApi.APPLICATION_ID + "," + dev.rsk.demo.SketchCounter.GROUP);
      keys.put("kafka." + StreamsConfig.TOPIC_PREFIX + "segment.ms", String.valueOf(segmentMs));
      final ServerConfig config = StandaloneApi.config(stack, keys);
      final StatsServer stats = StandaloneApi.attach(stack, config);
      stack.attach(ProcessorRunner.start(ProcessorConfig.builder()
          .activationsTopic(options.activationsTopic()).sketchesTopic(options.sketchesTopic())
          .dlqTopic(options.dlqTopic())
          .kafka(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers())
          .kafka("schema.registry.url", stack.registryUrl())
          .kafka(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("processor").toAbsolutePath().toString())
          .kafka(StreamsConfig.TOPIC_PREFIX + "segment.ms", String.valueOf(segmentMs)).build(),
          stats.registry()));
      final RskClient client = new RskClient(stats.url(), RskClient.DEFAULT_TIMEOUT, StandaloneApi.clientToken(config));
      final long t0 = System.nanoTime();
      if (new DemoPublisher(stack, client, year, new GroundTruth(year, false), timeout).publishAndProcess() == null) {
        return DemoCommand.EXIT_STACK;
      }
      out.printf(Locale.ROOT, "year queryable after %.0f s; waiting %s for the repository's ageing and the segment"
          + " roll%n", seconds(t0), ageingWait(year, options.partitions()));
      Thread.sleep(ageingWait(year, options.partitions()).toMillis());
      final DemoPublisher.Timings lag = new DemoPublisher(stack, client, tail, new GroundTruth(tail, false), timeout,
          year.inferenceCount()).publishAndProcess();
      if (lag == null) {
        return DemoCommand.EXIT_STACK;
      }
      // a small batch into a stack at rest: how long after the last sketch the last inference is queryable
      out.printf(Locale.ROOT, "the extra day into the idle stack: published in %.1f s, all sketched after %.1f s, all"
          + " queryable after %.1f s (sketched to queryable %.1f s; polled every 0.5 s)%n", lag.published(),
          lag.sketched(), lag.queryable(), lag.queryable() - lag.sketched());
      final long inferences = year.inferenceCount() + tail.inferenceCount();
      Map<String, Long> topics;
      try (Admin admin = stack.kafka().admin()) {
        topics = settle(admin, out);
      }
      stack.close();
      stopped = true;
      final Map<String, Long> rocksBefore = rocks(dir);
      StorageBreakdown.compactRocksDb(dir);
      final Map<String, Long> rocksAfter = rocks(dir);
      final long raw = topics.remove(options.activationsTopic());
      StorageBreakdown.print(out, "Kafka logs but the raw activations", topics, inferences);
      StorageBreakdown.print(out, "RocksDB after compaction", rocksAfter, inferences);
      final long memory = StorageBreakdown.sum(topics) + StorageBreakdown.sum(rocksAfter);
      out.printf(Locale.ROOT, "storage per inference: %,.0f B (Kafka %,.0f B + RocksDB %,.0f B; RocksDB before its"
          + " compaction %,.0f B) beside %,.0f B of raw activation events (Avro): memory / raw = %.2f; load average"
          + " %.2f%n", (double) memory / inferences, (double) StorageBreakdown.sum(topics) / inferences,
          (double) StorageBreakdown.sum(rocksAfter) / inferences,
          (double) StorageBreakdown.sum(rocksBefore) / inferences, (double) raw / inferences, (double) memory / raw,
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      return 0;
    } finally {
      if (!stopped) {
        stack.close();
      }
      deleteRecursively(dir);
    }
  }

  /** RocksDB bytes per store of the processor and the aggregator. */
  private static Map<String, Long> rocks(final Path dir) {
    final Map<String, Long> out = new java.util.TreeMap<>();
    StorageBreakdown.rocksDbBytes(dir.resolve("processor"))
        .forEach((k, v) -> out.merge("processor " + k, v, Long::sum));
    StorageBreakdown.rocksDbBytes(dir.resolve("stats")).forEach((k, v) -> out.merge(k, v, Long::sum));
    return out;
  }

  /** Enough clean-up runs to age every sketch of the year (10,000 per run and partition), plus the roll. */
  private Duration ageingWait(final SimulationConfig sim, final int partitions) {
    final long runs = (long) Math.ceil(1.3 * sim.inferenceCount() / partitions / 10_000.0) + 2;
    return cleanupInterval.multipliedBy(runs).plusMillis(segmentMs);
  }

  /** Polls the log sizes until they have not changed for {@link #SETTLED} (at most {@link #SETTLE_MAX}). */
  private static Map<String, Long> settle(final Admin admin, final PrintStream out) throws Exception {
    final long start = System.nanoTime();
    long stableSince = start;
    Map<String, Long> last = LogBytes.perTopic(admin, LOG_BYTES_TIMEOUT);
    long settledBytes = ownTopicsExcluded(last);
    final Map<String, Long> moved = new java.util.TreeMap<>();
    while (System.nanoTime() - stableSince < SETTLED.toNanos() && System.nanoTime() - start < SETTLE_MAX.toNanos()) {
      Thread.sleep(SETTLE_POLL.toMillis());
      final Map<String, Long> previous = last;
      last = LogBytes.perTopic(admin, LOG_BYTES_TIMEOUT);
      last.forEach((topic, bytes) -> {
        final long delta = bytes - previous.getOrDefault(topic, 0L);
        if (delta != 0) {
          moved.merge(topic, delta, Long::sum);
        }
      });
      // the broker's own topics (__transaction_state, __consumer_offsets) grow with every idle commit until the
      // broker compacts them on its own schedule: not waited for (they still count); 0.2% of the rest is settled
      if (Math.abs(ownTopicsExcluded(last) - settledBytes) > settledBytes / 500) {
        stableSince = System.nanoTime();
        settledBytes = ownTopicsExcluded(last);
      }
    }
    out.printf(Locale.ROOT, "Kafka log sizes %s after %.0f s (bytes each topic gained or lost meanwhile: %s)%n",
        System.nanoTime() - stableSince >= SETTLED.toNanos() ? "settled" : "still changing", seconds(start), moved);
    return new java.util.TreeMap<>(last);
  }

  private static long ownTopicsExcluded(final Map<String, Long> topics) {
    return topics.entrySet().stream().filter(e -> !e.getKey().startsWith("__")).mapToLong(Map.Entry::getValue).sum();
  }

  private static double seconds(final long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private static void deleteRecursively(final Path root) throws java.io.IOException {
    try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
