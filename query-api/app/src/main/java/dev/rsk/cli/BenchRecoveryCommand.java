package dev.rsk.cli;

import dev.rsk.sim.SimulationConfig;
import dev.rsk.standalone.RestartTimeline;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rsk bench-recovery}: the restart time after {@code kill -9} with a year of demo state (issue 14, docs/
 * foundation.md "Restart after a crash"). Fills a data directory with {@code rsk demo --exit} (unless it already
 * holds a stack), starts {@code rsk standalone} on it in a child JVM, SIGKILLs it once ready, restarts it and
 * prints the seconds to ready, where they went, and the changelog bytes restored per second.
 */
@Command(name = "bench-recovery", mixinStandardHelpOptions = true,
    description = "Restart time of rsk standalone after kill -9, with a year of demo state (docs/foundation.md).")
public final class BenchRecoveryCommand implements Callable<Integer> {

  static final long READY_TIMEOUT_S = 600;

  @Option(names = "--days", defaultValue = "365",
      description = "Days of demo state to fill (default: ${DEFAULT-VALUE}).")
  int days;

  @Option(names = "--kills", defaultValue = "1", description = "kill -9 / restart cycles (default: ${DEFAULT-VALUE}).")
  int kills;

  @Option(names = "--data-dir", description = "Data directory to fill (or reuse if it holds a stack already); "
      + "default: a fresh one under ~/.cache/rsk, deleted at the end.")
  Path dataDir;

  @Override
  public Integer call() throws Exception {
    try {
      SimulationConfig.defaults().withDays(days); // the demo's own check, before anything starts
    } catch (final IllegalArgumentException e) {
      System.err.println("bench-recovery: " + e.getMessage());
      return DemoCommand.EXIT_USAGE;
    }
    final boolean temporary = dataDir == null;
    final Path dir = temporary ? Files.createTempDirectory(Files.createDirectories(DemoCommand.CACHE), "recovery-")
        .resolve("data") : dataDir;
    try {
      if (!Files.isDirectory(dir.resolve("kafka"))) {
        final long t0 = System.nanoTime();
        System.out.printf("bench-recovery: filling %s with %d days of demo state (rsk demo --exit)...%n", dir, days);
        final Process demo = StandaloneChild.start(dir.resolveSibling(dir.getFileName() + "-demo.out"), "demo",
            "--days", String.valueOf(days), "--exit", "--http-port", "0", "--data-dir", dir.toString());
        if (!demo.waitFor(3, TimeUnit.HOURS) || demo.exitValue() != 0) {
          System.err.println("bench-recovery: rsk demo failed (exit " + (demo.isAlive() ? "none" : demo.exitValue())
              + "), see " + dir.resolveSibling(dir.getFileName() + "-demo.out"));
          demo.destroyForcibly();
          return 1;
        }
        System.out.printf(Locale.ROOT, "bench-recovery: filled in %.0f s%n", (System.nanoTime() - t0) / 1e9);
      }
      System.out.printf(Locale.ROOT, "bench-recovery: state %s; load average %.2f on %d cores%n",
          RestartTimeline.changelogSummary(dir), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
          Runtime.getRuntime().availableProcessors());
      final Path out = dir.resolveSibling(dir.getFileName() + "-standalone.out");
      // a reused data dir's output file already holds the ready lines of earlier runs (it is appended to)
      int readyLines = (Files.exists(out) ? StandaloneChild.readyLines(out).size() : 0) + 1;
      Process stack = standalone(dir, out);
      if (!StandaloneChild.awaitReady("bench-recovery", out, readyLines, stack, READY_TIMEOUT_S)) {
        return 1;
      }
      System.out.printf("bench-recovery: started: %s%n", lastReady(out));
      final List<Double> restarts = new ArrayList<>();
      for (int k = 1; k <= kills; k++) {
        Thread.sleep(3_000);
        stack.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        final long t0 = System.nanoTime();
        stack = standalone(dir, out);
        readyLines++;
        if (!StandaloneChild.awaitReady("bench-recovery", out, readyLines, stack, READY_TIMEOUT_S)) {
          return 1;
        }
        final double s = (System.nanoTime() - t0) / 1e9;
        restarts.add(Math.round(s * 10) / 10.0);
        System.out.printf(Locale.ROOT, "bench-recovery: kill -9 #%d, restart: %s; %.1f s from process start to "
            + "ready; load average %.2f%n", k, lastReady(out), s,
            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        final RestartTimeline timeline = RestartTimeline.read(dir.resolve("rsk.log"));
        System.out.print(timeline.describe());
        System.out.printf(Locale.ROOT, "  %-40s  %5.1f s%n", "rest (JVM + Kafka start, aggregator restore)",
            readySeconds(out) - timeline.lastStepSeconds());
      }
      stack.destroy();
      stack.waitFor(60, TimeUnit.SECONDS);
      System.out.printf(Locale.ROOT, "bench-recovery: restarts after kill -9 (s, process start to ready): %s%n",
          restarts);
      return 0;
    } finally {
      if (temporary) {
        StandaloneChild.deleteRecursively(dir.getParent());
      }
    }
  }

  private static Process standalone(final Path dir, final Path out) throws IOException {
    return StandaloneChild.start(out, "standalone", "--kafka-port", "0", "--registry-port", "0", "--http-port", "0",
        "--data-dir", dir.toString());
  }




  /** The N of the last {@code ready ... N s after start} line. */
  private static double readySeconds(final Path out) throws IOException {
    final String line = lastReady(out);
    final String[] words = line.split(" ");
    return Double.parseDouble(words[words.length - 4].replace(',', '.')); // printed in the default locale
  }

  private static String lastReady(final Path out) throws IOException {
    final List<String> lines = StandaloneChild.readyLines(out);
    return lines.get(lines.size() - 1).substring("rsk standalone: ".length());
  }

}
