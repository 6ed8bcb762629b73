package dev.rsk.standalone;

import dev.rsk.kafka.DeadIncarnation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where the last start of a standalone stack spent its time, read from its log ({@code <data-dir>/rsk.log}), and
 * how much changelog state it had to restore: what {@code rsk bench-recovery} prints (docs/foundation.md).
 */
public final class RestartTimeline {

  /** Log lines marking the steps of a start, in order, by the name printed. */
  static final Map<String, String> STEPS = milestones();
  private static final String START = "Performing controller activation";
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss,SSS");

  private final Map<String, LocalDateTime> reached;

  private RestartTimeline(final Map<String, LocalDateTime> reached) {
    this.reached = reached;
  }

  private static Map<String, String> milestones() {
    final Map<String, String> m = new LinkedHashMap<>();
    // only after a kill -9: the controller-only pass that fences the dead broker (EmbeddedKafka)
    m.put("dead broker fenced (controller only)", DeadIncarnation.FENCED_LINE);
    m.put("broker registered and serving", "Kafka broker started at");
    m.put("schema registry serving", "Schema registry serving");
    m.put("topics, schemas, leftover transactions", "Starting rsk stats + API instance");
    m.put("aggregator + API started", "serving http on port");
    m.put("processor RUNNING", "rsk sketch processor is RUNNING");
    return m;
  }

  /**
   * The steps of the last start logged in {@code log} (the controller's first activation is time 0: after a
   * {@code kill -9}, that of the controller-only pass fencing the dead broker).
   */
  public static RestartTimeline read(final Path log) {
    final List<String> lines;
    try {
      lines = Files.readAllLines(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int from = 0;
    int before = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(START)) {
        before = from;
        from = i;
      }
    }
    // after a kill -9 the start activated a controller-only pass first (DeadIncarnation): time 0 is its activation
    for (int i = before; i < from; i++) {
      if (lines.get(i).contains(DeadIncarnation.FENCED_LINE)) {
        from = before;
      }
    }
    final Map<String, LocalDateTime> reached = new LinkedHashMap<>();
    time(lines.get(from)).ifPresent(t -> reached.put("controller active", t));
    for (final Map.Entry<String, String> step : STEPS.entrySet()) {
      for (int i = from; i < lines.size(); i++) {
        if (lines.get(i).contains(step.getValue())) {
          final int line = i;
          time(lines.get(line)).ifPresent(t -> reached.put(step.getKey(), t));
          break;
        }
      }
    }
    return new RestartTimeline(reached);
  }

  private static java.util.Optional<LocalDateTime> time(final String line) {
    try {
      return java.util.Optional.of(LocalDateTime.parse(line.substring(0, 23), TIME));
    } catch (RuntimeException e) {
      return java.util.Optional.empty();
    }
  }

  /** Seconds from the controller's activation to the last step reached (0 if none). */
  public double lastStepSeconds() {
    LocalDateTime first = null;
    LocalDateTime last = null;
    for (final LocalDateTime t : reached.values()) {
      first = first == null ? t : first;
      last = t;
    }
    return first == null ? 0 : seconds(first, last);
  }

  /** One line per step: seconds since the controller's activation, and since the step before. */
  public String describe() {
    final StringBuilder out = new StringBuilder();
    LocalDateTime first = null;
    LocalDateTime previous = null;
    for (final Map.Entry<String, LocalDateTime> e : reached.entrySet()) {
      if (first == null) {
        first = e.getValue();
      } else {
        out.append(String.format(Locale.ROOT, "  %-40s +%5.1f s  (%4.1f s after the step before)%n", e.getKey(),
            seconds(first, e.getValue()), seconds(previous, e.getValue())));
      }
      previous = e.getValue();
    }
    return out.toString();
  }

  private static double seconds(final LocalDateTime a, final LocalDateTime b) {
    return java.time.Duration.between(a, b).toMillis() / 1e3;
  }

  /** The bytes of the Kafka Streams changelogs and of all Kafka logs under {@code dataDir}, as a line. */
  public static String changelogSummary(final Path dataDir) {
    long changelogs = 0;
    long all = 0;
    try (Stream<Path> files = Files.walk(dataDir.resolve("kafka"))) {
      for (final Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        final long size = Files.size(f);
        all += size;
        if (f.getParent().getFileName().toString().contains("-changelog-")) {
          changelogs += size;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return String.format(Locale.ROOT, "changelogs %.1f MB of %.1f MB of Kafka logs", changelogs / 1e6, all / 1e6);
  }
}
