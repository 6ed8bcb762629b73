package dev.rsk.fault;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real child JVM running {@code dev.rsk.cli.Rsk} on this test's classpath (the built classes and their
 * dependencies), output to a log file. {@link #kill()} is {@code kill -9} ({@link Process#destroyForcibly}
 * sends SIGKILL on Linux): no shutdown hook runs, nothing is flushed or committed.
 */
final class ChildJvm implements AutoCloseable {

  private final Process process;
  private final Path log;

  private ChildJvm(final Process process, final Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts {@code rsk <args>} with {@code env} added to this process's environment. */
  static ChildJvm rsk(final Path log, final Map<String, String> env, final String... args) throws IOException {
    final List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.add("-XX:+UseSerialGC");
    // C1 only: these children live a minute or two, and on a 2-core CI machine their C2 compilations competed with
    // the test for the CPU (ClusterFailoverTest + StandaloneCrashTest: 137 s -> 112 s wall, 226 s -> 153 s CPU).
    cmd.add("-XX:TieredStopAtLevel=1");
    // Every collection and safepoint pause, with wall-clock times: a restart where every thread of the child went
    // silent (no log line from any of them for tens of seconds) is told apart from a stuck Streams thread.
    cmd.add("-Xlog:gc,safepoint:file=" + gcLog(log) + ":time,uptime,level,tags");
    cmd.add("-cp");
    cmd.add(classpath());
    cmd.add("dev.rsk.cli.Rsk");
    cmd.addAll(List.of(args));
    final ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().keySet().removeIf(k -> k.startsWith("RSK_"));
    pb.environment().putAll(env);
    return new ChildJvm(pb.start(), log);
  }

  /** The children's GC and safepoint logs, beside {@code log}: one per child ({@code %p}: its pid). */
  static String gcLog(final Path log) {
    return log.resolveSibling(log.getFileName() + ".gc-%p.log").toString();
  }

  /** Copies every child's GC log of {@code log} to {@code target/fault-logs/<name>.gc-<pid>.log}. */
  static void keepGcLogs(final Path log, final String name) {
    final String prefix = log.getFileName() + ".gc-";
    try (java.util.stream.Stream<Path> files = Files.list(log.getParent())) {
      files.filter(f -> f.getFileName().toString().startsWith(prefix)).forEach(f ->
          keepLog(f, name + f.getFileName().toString().substring(prefix.length() - 4)));
    } catch (IOException e) {
      System.err.println("cannot keep the GC logs of " + log + ": " + e);
    }
  }

  /** The test classpath (surefire's, not its manifest-only booter jar when it says so). */
  private static String classpath() {
    final String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
  }

  /** kill -9, then waits until the process is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("process " + process.pid() + " survived SIGKILL for 30 s");
    }
  }

  /** Waits (at most 180 s) until {@code file} exists, failing with the log's tail if the process exits first. */
  void awaitFile(final Path file) {
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200)).until(() -> {
      org.assertj.core.api.Assertions.assertThat(alive()).as("process exited:\n" + tail(3000)).isTrue();
      return Files.exists(file);
    });
  }

  /** Waits for the process to exit by itself; false on timeout. */
  boolean waitFor(final long time, final TimeUnit unit) throws InterruptedException {
    return process.waitFor(time, unit);
  }

  int exitValue() {
    return process.exitValue();
  }

  boolean alive() {
    return process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  /** The last {@code chars} characters of the log, for failure messages. */
  String tail(final int chars) {
    try {
      final String s = Files.readString(log);
      return s.length() <= chars ? s : s.substring(s.length() - chars);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** SIGTERM, bounded wait, then SIGKILL. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(40, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }

  /** Copies {@code log} to {@code target/fault-logs/<name>} (kept after the test's temp dir is gone). */
  static void keepLog(final Path log, final String name) {
    try {
      final Path dir = Files.createDirectories(Path.of("target", "fault-logs"));
      Files.copy(log, dir.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      System.err.println("cannot keep " + log + ": " + e);
    }
  }

  /** A port free right now (bound and released). */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  static Duration since(final long t0) {
    return Duration.ofNanos(System.nanoTime() - t0);
  }
}
