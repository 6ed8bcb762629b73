package dev.rsk.bench.stats;

import dev.rsk.bench.stats.StatsBenchmark.Options;
import dev.rsk.bench.stats.StatsBenchmark.Result;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The parent's side of {@code --jvm-per-contender true}: one contender (its warm-up, then its measured run) in a
 * child JVM ({@link ContenderChild}), so that its JIT profiles are its own, against the broker of this JVM. The
 * child's figures are its own JVM's; this JVM's CPU over the child's measured window (the broker's, mostly) is
 * added to the process CPU and reported apart. The child runs with this JVM's java binary, class path and heap
 * flags, within {@link ContenderRun#WAIT}, and is killed if anything here fails or this JVM shuts down; if this JVM
 * is killed outright (SIGKILL, no hook runs), the child sees this JVM's pid gone and ends itself.
 */
final class ContenderProcess {

  /** The launcher, by name: a class literal would make this package depend on the launcher's, which uses it. */
  static final String MAIN_CLASS = "dev.rsk.bench.RskBench";
  static final String COMMAND = "bench-stats-contender";
  private static final int STDERR_LINES = 20;
  private static final long DRAIN_S = 10;

  private ContenderProcess() {}

  /** Runs {@code app}'s round {@code round} in a child JVM; its figures, this JVM's share included. */
  static Result run(final String app, final int round, final String bootstrap, final Options o, final Path stateDir,
      final PrintStream out) throws Exception {
    final Process child = new ProcessBuilder(command(app, round, bootstrap, o, stateDir)).start();
    final Thread killer = new Thread(child::destroyForcibly, "rsk-bench-contender-killer");
    Runtime.getRuntime().addShutdownHook(killer);
    try {
      return await(child, app, round, o, out);
    } finally {
      child.destroyForcibly();
      child.waitFor(DRAIN_S, TimeUnit.SECONDS);
      closeQuietly(child.getOutputStream());
      closeQuietly(child.getInputStream());
      closeQuietly(child.getErrorStream());
      try {
        Runtime.getRuntime().removeShutdownHook(killer);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs anyway; nothing to undo
      }
    }
  }

  private static Result await(final Process child, final String app, final int round, final Options o,
      final PrintStream out) throws Exception {
    final String name = app + " #" + round;
    child.getOutputStream().close();
    final long launched = ContenderRun.processCpuNanos();
    final ChildStdout stdout = new ChildStdout(out);
    final Deque<String> lastErr = new ArrayDeque<>();
    final Thread outReader = reader(child.getInputStream(), stdout, "rsk-bench-child-stdout");
    final Thread errReader = reader(child.getErrorStream(), line -> {
      System.err.println("  child " + name + ": " + line);
      synchronized (lastErr) {
        lastErr.addLast(line);
        if (lastErr.size() > STDERR_LINES) {
          lastErr.removeFirst();
        }
      }
    }, "rsk-bench-child-stderr");
    if (!child.waitFor(ContenderRun.WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException(name + ": the child JVM did not finish within " + ContenderRun.WAIT);
    }
    final long exited = ContenderRun.processCpuNanos();
    outReader.join(TimeUnit.SECONDS.toMillis(DRAIN_S));
    errReader.join(TimeUnit.SECONDS.toMillis(DRAIN_S));
    if (child.exitValue() != 0) {
      final String lines;
      synchronized (lastErr) {
        lines = String.join("\n", lastErr);
      }
      throw new IllegalStateException(name + ": the child JVM exited with " + child.exitValue()
          + "; its last stderr lines:\n" + lines);
    }
    if (stdout.resultLine == null) {
      throw new IllegalStateException(name + ": the child JVM exited without a " + ResultLine.PREFIX.trim() + " line");
    }
    final Result r = ResultLine.decode(stdout.resultLine);
    final long broker = stdout.end(exited) - stdout.start(launched);
    return r.withBroker(broker / 1e3 / o.sketches());
  }

  /** The child's command line: this JVM's java, heap flags and class path, then the launcher's hidden command. */
  static List<String> command(final String app, final int round, final String bootstrap, final Options o,
      final Path stateDir) {
    final List<String> c = new ArrayList<>();
    c.add(ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    c.addAll(heapFlags(ManagementFactory.getRuntimeMXBean().getInputArguments()));
    c.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN_CLASS, COMMAND,
        "--bootstrap", bootstrap, "--app", app, "--round", Integer.toString(round),
        "--sketches", Integer.toString(o.sketches()), "--partitions", Integer.toString(o.partitions()),
        "--d", Integer.toString(o.d()), "--threads", Integer.toString(o.threads()),
        "--commit-ms", Long.toString(o.commitMs()), "--warmup", Integer.toString(o.warmup()),
        "--state-dir", stateDir.toAbsolutePath().toString(),
        "--parent-pid", Long.toString(ProcessHandle.current().pid())));
    o.also().forEach((k, v) -> c.addAll(List.of("--also", k + "=" + v)));
    return c;
  }

  /** The heap flags among a JVM's arguments ({@code -Xmx*}, {@code -Xms*}), in order: the child's heap is ours. */
  static List<String> heapFlags(final List<String> jvmArguments) {
    return jvmArguments.stream().filter(a -> a.startsWith("-Xmx") || a.startsWith("-Xms")).toList();
  }

  /** A daemon thread giving each line of {@code in} to {@code lines} until its end (the pipe never fills up). */
  private static Thread reader(final InputStream in, final Consumer<String> lines, final String name) {
    final Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          lines.accept(line);
        }
      } catch (IOException closed) {
        // the stream was closed under us: the child is being killed
      }
    }, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void closeQuietly(final Closeable c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // closing a pipe of a dead process
    }
  }

  /**
   * The child's stdout: this JVM's CPU when the child announces its client's start and its measured window, the
   * result line (decoded by the waiting thread, so that a bad line fails the run, not this reader), and every other
   * line to {@code out}, indented, so its progress shows.
   */
  private static final class ChildStdout implements Consumer<String> {
    private final PrintStream out;
    private volatile long starting = -1;
    private volatile long start = -1;
    private volatile long end = -1;
    private volatile String resultLine;

    ChildStdout(final PrintStream out) {
      this.out = out;
    }

    @Override
    public void accept(final String line) {
      if (line.equals(ResultLine.STREAMS_START)) {
        starting = ContenderRun.processCpuNanos();
      } else if (line.equals(ResultLine.MEASURE_START)) {
        start = ContenderRun.processCpuNanos();
      } else if (line.equals(ResultLine.MEASURE_END)) {
        end = ContenderRun.processCpuNanos();
      } else if (line.startsWith(ResultLine.PREFIX)) {
        resultLine = line;
      } else {
        out.println("  " + line);
      }
    }

    /**
     * This JVM's CPU when the window opened; from the client's start if it never did (the child's figures then
     * run from there too), and from the child's launch if not even that was said: never a silent zero.
     */
    long start(final long launched) {
      return start >= 0 ? start : starting >= 0 ? starting : launched;
    }

    /** This JVM's CPU when the window closed; at the child's exit if that was not said. */
    long end(final long exited) {
      return end >= 0 ? end : exited;
    }
  }
}
