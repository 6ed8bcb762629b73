package dev.rsk.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code rsk <args>} in a child JVM, for the commands that measure a real {@code rsk standalone} process from
 * outside ({@code bench-recovery}, {@code soak}): this JVM's memory and VM flags ({@link #inheritedFlags}) and
 * classpath, output appended to a file, readiness read from the line {@code rsk standalone} prints, and the ports a
 * child on ports 0 bound from its banner ({@link #ports}).
 */
final class StandaloneChild {

  /** The line {@code rsk standalone} prints once the processor and the API run. */
  static final String READY = "rsk standalone: ready (processor and API running)";
  /** The port at the end of an address, before an optional slash. */
  private static final Pattern PORT = Pattern.compile(":(\\d{1,5})/?$");

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

  /** The ports a child started with ports 0 bound: the broker's, the registry's and the query API's. */
  record Ports(int kafka, int registry, int http) {}

  /**
   * The ports of the last banner in {@code lines}, the output of {@code rsk standalone --kafka-port 0
   * --registry-port 0 --http-port 0}: the child binds free ports itself and prints them, where a port picked by
   * the parent and released could be taken by another process before the child binds it. The last banner, as an
   * output file reused across runs holds the earlier runs' first.
   *
   * @throws IllegalStateException if a banner line is missing or its address ends in no port (1..65535)
   */
  static Ports ports(final List<String> lines) {
    return new Ports(port(lines, StandaloneCommand.BOOTSTRAP_LABEL), port(lines, StandaloneCommand.REGISTRY_LABEL),
        port(lines, StandaloneCommand.API_LABEL));
  }

  private static int port(final List<String> lines, final String label) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      final String line = lines.get(i);
      if (line.startsWith(label)) {
        // the address is the first word after the label: 127.0.0.1:9092, http://localhost:8080
        final Matcher m = PORT.matcher(line.substring(label.length()).trim().split("\\s+")[0]);
        final int port = m.find() ? Integer.parseInt(m.group(1)) : 0;
        if (port < 1 || port > 65535) {
          throw new IllegalStateException("rsk standalone printed no port in \"" + line.trim() + "\"");
        }
        return port;
      }
    }
    throw new IllegalStateException("rsk standalone printed no \"" + label.trim() + "\" line");
  }

  static void deleteRecursively(final Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (final Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }
}
