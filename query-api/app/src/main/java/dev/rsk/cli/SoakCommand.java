package dev.rsk.cli;

import dev.rsk.avro.ModuleActivation;
import dev.rsk.cli.SoakProbe.Sample;
import dev.rsk.serde.AvroSerdes;
import dev.rsk.sim.RoomSimulator;
import dev.rsk.sim.SimulatedInference;
import dev.rsk.sim.SimulationConfig;
import dev.rsk.sim.SimulationPublisher;
import dev.rsk.streams.RocksDbMemory;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code rsk soak} (issue 14 item 5): {@code rsk standalone} in a child JVM fed the demo room's inferences at a
 * steady rate for a while; every sample prints its resident memory, heap, RocksDB cache and disk, and the end
 * says whether each stayed bounded ({@link SoakReport}). Exit 0 when all did, 1 when one grew or a step failed.
 * Not a CI test: an hour by default.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
    description = "Runs rsk standalone at a steady rate and prints its memory and disk over time (docs/foundation.md).")
public final class SoakCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--minutes", defaultValue = "60", description = "How long to publish (default: ${DEFAULT-VALUE}).")
  int minutes;

  @Option(names = "--rate", defaultValue = "20", description = "Inferences per second, about 14 events each "
      + "(default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--sample-seconds", defaultValue = "60", description = "Seconds between samples (default: "
      + "${DEFAULT-VALUE}).")
  int sampleSeconds;

  @Option(names = "--data-dir", description = "Data directory of the stack; default: a fresh one under "
      + "~/.cache/rsk, deleted at the end.")
  Path dataDir;

  @Override
  public Integer call() throws Exception {
    if (minutes < 1 || rate <= 0 || rate > 5_000 || sampleSeconds < 1) {
      throw new ParameterException(spec.commandLine(),
          "need --minutes >= 1, 0 < --rate <= 5000 and --sample-seconds >= 1");
    }
    final boolean temporary = dataDir == null;
    final Path dir = temporary ? Files.createTempDirectory(Files.createDirectories(DemoCommand.CACHE), "soak-")
        .resolve("data") : dataDir;
    final Path out = dir.resolveSibling(dir.getFileName() + "-standalone.out");
    // a reused data dir's output file already holds the lines of earlier runs (it is appended to)
    final int readyLines = (Files.exists(out) ? StandaloneChild.readyLines(out).size() : 0) + 1;
    // ports 0: the child binds free ports itself and prints them; ports picked here and released could be taken
    // by another process before it binds them (a soak under CI load once could not reach the child's registry)
    final Process stack = StandaloneChild.start(out, "standalone", "--kafka-port", "0", "--registry-port", "0",
        "--http-port", "0", "--data-dir", dir.toString());
    try {
      if (!StandaloneChild.awaitReady("soak", out, readyLines, stack, 600)) {
        return 1;
      }
      final StandaloneChild.Ports ports;
      try {
        ports = StandaloneChild.ports(Files.readAllLines(out));
      } catch (IllegalStateException e) {
        System.err.println("soak: " + e.getMessage() + ", see " + out);
        return 1;
      }
      final int kafka = ports.kafka();
      final int registry = ports.registry();
      final int http = ports.http();
      System.out.printf(Locale.ROOT, "soak: rsk standalone pid %d, data %s, log %s; %d min at %.1f inferences/s, "
          + "a sample every %d s; load average %.2f%n", stack.pid(), dir, out, minutes, rate, sampleSeconds,
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      return run(stack, "127.0.0.1:" + kafka, "http://127.0.0.1:" + registry, "http://127.0.0.1:" + http, dir);
    } finally {
      stack.destroy();
      if (!stack.waitFor(60, TimeUnit.SECONDS)) {
        stack.destroyForcibly();
      }
      if (temporary) {
        StandaloneChild.deleteRecursively(dir.getParent());
      }
    }
  }

  private int run(final Process stack, final String bootstrap, final String registry, final String api,
      final Path dir) throws Exception {
    final SoakProbe probe = new SoakProbe(stack.pid(), api, dir);
    final long total = (long) Math.ceil(minutes * 60.0 * rate);
    // the demo room sees one inference every 12 minutes: as many simulated days as the run needs
    final int days = (int) (total / (24 * 60 / SimulationConfig.DEFAULT_INTERVAL_MINUTES)) + 1;
    final RoomSimulator simulator = new RoomSimulator(SimulationConfig.defaults().withDays(days));
    final AtomicLong published = new AtomicLong();
    final AtomicReference<Exception> failure = new AtomicReference<>();
    final List<Sample> samples = new ArrayList<>();
    System.out.printf("%8s %10s %10s %10s %10s %12s %12s %10s %12s %10s%n", "seconds", "published", "queryable",
        "RSS MB", "heap MB", "heap comm MB", "heap live MB", "RocksDB MB", "disk MB", "B/inf");
    try (Serde<ModuleActivation> serde = AvroSerdes.specific(ModuleActivation.class,
        Map.of("schema.registry.url", registry), false);
        KafkaProducer<String, ModuleActivation> producer = new KafkaProducer<>(
            SimulationPublisher.producerConfig(bootstrap), new StringSerializer(), serde.serializer())) {
      final long t0 = System.nanoTime();
      final Thread publisher = new Thread(() -> publish(simulator, producer, total, t0, published, failure),
          "soak-publisher");
      publisher.start();
      for (int k = 1; k <= minutes * 60 / sampleSeconds && failure.get() == null && stack.isAlive(); k++) {
        final long due = t0 + TimeUnit.SECONDS.toNanos((long) k * sampleSeconds);
        TimeUnit.NANOSECONDS.sleep(Math.max(0, due - System.nanoTime()));
        final Sample s = probe.sample((System.nanoTime() - t0) / 1e9, published.get());
        samples.add(s);
        System.out.printf(Locale.ROOT, "%8.0f %,10d %,10d %10s %10s %12s %12s %10s %12s %10s%n", s.seconds(),
            s.published(), s.queryable(), mb(s.rssBytes()), mb(s.heapBytes()), mb(s.heapCommittedBytes()),
            mb(s.heapLiveBytes()), mb(s.rocksDbBytes()), mb(s.diskBytes()),
            s.queryable() > 0 && s.diskBytes() >= 0 ? String.format(Locale.ROOT, "%,d", s.diskBytes() / s.queryable())
                : "?");
      }
      publisher.interrupt();
      publisher.join(TimeUnit.SECONDS.toMillis(30));
    }
    if (failure.get() != null || !stack.isAlive()) {
      System.err.println("soak: stopped early: " + (!stack.isAlive() ? "rsk standalone exited (" + stack.exitValue()
          + ")" : failure.get().toString()));
      return 1;
    }
    // the standalone stack runs both roles with their default bounds (rsk.rocksdb.memory.bytes)
    final long rocksDbBound = RocksDbMemory.DEFAULT_BYTES + RocksDbMemory.PROCESSOR_DEFAULT_BYTES;
    System.out.printf("soak: largest value in the first half and in the second half of the run (bounded: at most "
        + "%.0f%% more; the RocksDB caches: within %.0f%% of their %,d-byte bound)%n", SoakReport.GROWTH * 100,
        SoakReport.GROWTH * 100, rocksDbBound);
    final List<SoakReport.Measure> measures = SoakReport.measures(samples, rocksDbBound);
    measures.forEach(m -> System.out.println(m.line()));
    return measures.stream().allMatch(SoakReport.Measure::bounded) ? 0 : 1;
  }

  /** Sends inference i at t0 + i / rate (events of one inference together), until the total or an interrupt. */
  private void publish(final RoomSimulator simulator, final KafkaProducer<String, ModuleActivation> producer,
      final long total, final long t0, final AtomicLong published, final AtomicReference<Exception> failure) {
    try {
      for (long i = 0; i < total && simulator.hasNext() && failure.get() == null; i++) {
        TimeUnit.NANOSECONDS.sleep(Math.max(0, t0 + (long) (i * 1e9 / rate) - System.nanoTime()));
        final SimulatedInference inference = simulator.next();
        for (final ModuleActivation event : inference.events()) {
          producer.send(new ProducerRecord<>("activations", inference.inferenceId(), event), (m, e) -> {
            if (e != null) {
              failure.compareAndSet(null, e);
            }
          });
        }
        published.incrementAndGet();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      failure.compareAndSet(null, e);
    }
  }

  private static String mb(final long bytes) {
    return bytes < 0 ? "?" : String.format(Locale.ROOT, "%.1f", bytes / 1e6);
  }
}
