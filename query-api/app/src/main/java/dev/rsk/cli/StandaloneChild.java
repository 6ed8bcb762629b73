package dev.rsk.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code rsk <args>} in a child JVM, for the commands that measure a real {@code rsk standalone} process from
 * outside ({@code bench-recovery}, {@code soak}): this JVM's memory and VM flags ({@link #inheritedFlags}) and
 * classpath, output appended to a file, readiness read from the line {@code rsk standalone} prints.
 */
final class StandaloneChild {

  /** The line {@code rsk standalone} prints once the processor and the API run. */
  static final String READY = "rsk standalone: ready (processor and API running)";

  private StandaloneChild() {}

  /** Starts {@code rsk <args>}, output appended to {@code out}; client tokens are not passed on. */
  static Process start(final Path out, final String... args) throws IOException {
    final List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(inheritedFlags(ManagementFactory.getRuntimeMXBean().getInputArguments()));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Rsk.class.getName());
    cmd.addAll(List.of(args));
    final ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()));
    pb.environment().keySet().removeIf(k -> k.startsWith("RSK_API_TOKENS"));
    return pb.start();
  }

  /**
   * The flags of {@code parent} (this JVM's input arguments) that the child gets too: heap and stack sizes
   * ({@code -Xm*}, {@code -Xss*}) and VM options ({@code -XX:}), so that {@code RSK_JAVA_OPTS="-Xms1536m -Xmx1536m
   * -XX:+AlwaysPreTouch" rsk soak} measures a child that runs with them. System properties, agents and debugger
   * flags stay with the parent (a second JVM would clash on a debugger's port).
   */
  static List<String> inheritedFlags(final List<String> parent) {
    return parent.stream().filter(a -> a.startsWith("-Xm") || a.startsWith("-Xss") || a.startsWith("-XX:")).toList();
  }

  /**
   * Waits until {@code out} holds {@code n} ready lines; false, with a message on stderr naming {@code who}, if the
   * child exits or {@code timeoutSeconds} pass (the child is then killed).
   */
  static boolean awaitReady(final String who, final Path out, final int n, final Process child,
      final long timeoutSeconds) throws IOException, InterruptedException {
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (System.nanoTime() < deadline) {
      if (readyLines(out).size() >= n) {
        return true;
      }
      if (!child.isAlive()) {
        System.err.println(who + ": rsk standalone exited (" + child.exitValue() + "), see " + out);
        return false;
      }
      Thread.sleep(100);
    }
    System.err.println(who + ": rsk standalone not ready after " + timeoutSeconds + " s, see " + out);
    child.destroyForcibly();
    return false;
  }

  static List<String> readyLines(final Path out) throws IOException {
    return Files.readAllLines(out).stream().filter(l -> l.startsWith(READY)).toList();
  }

  /** A TCP port free right now (bound and released). */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static void deleteRecursively(final Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (final Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }
}
