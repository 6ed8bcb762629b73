package dev.rsk.fault;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * What a fault test prints when a restarted {@code rsk standalone} is not ready in time: where the stack is stuck.
 * Every part is bounded and best effort (a part that fails says why, the others still print):
 * the child JVM's thread dump ({@code jcmd <pid> Thread.print}, also kept in {@code target/fault-logs}), its
 * {@code /health}, the consumer groups' state and members, the changelogs' end offsets beside their last stable
 * offsets, the groups' committed offsets, and the start watch's last lines from the child's log
 * ({@code dev.rsk.streams.StartWatch}: thread states, tasks, restore progress).
 */
final class StackDiagnosis {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final int TIMEOUT_S = 15;

  private StackDiagnosis() {}

  /**
   * Everything above, as text.
   *
   * @param name the test's name (the thread dump's file: {@code target/fault-logs/<name>-threads.txt})
   * @param api the stack's HTTP base URL
   * @param bootstrap the stack's broker
   * @param rskLog the child's {@code rsk.log} (may not exist)
   */
  static String of(final String name, final ChildJvm stack, final String api, final String bootstrap,
      final Path rskLog) {
    final StringBuilder out = new StringBuilder();
    section(out, "/health", () -> health(api));
    section(out, "consumer groups", () -> groups(bootstrap));
    section(out, "changelogs and groups' committed offsets", () -> offsets(bootstrap));
    section(out, "start watch (last lines of rsk.log)", () -> watchLines(rskLog));
    section(out, "thread dump of the child JVM", () -> threadDump(name, stack));
    return out.toString();
  }

  private interface Part {
    String get() throws Exception;
  }

  private static void section(final StringBuilder out, final String title, final Part part) {
    out.append("--- ").append(title).append(" ---\n");
    try {
      out.append(part.get());
    } catch (Exception e) {
      out.append("unavailable: ").append(e);
    }
    out.append('\n');
  }

  private static String health(final String api) throws Exception {
    final HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/health"))
        .timeout(Duration.ofSeconds(TIMEOUT_S)).build(), HttpResponse.BodyHandlers.ofString());
    return r.statusCode() + " " + r.body();
  }

  private static String groups(final String bootstrap) throws Exception {
    try (Admin admin = FaultTopics.admin(bootstrap)) {
      final List<String> ids = admin.listGroups().all().get(TIMEOUT_S, TimeUnit.SECONDS).stream()
          .map(g -> g.groupId()).filter(g -> g.startsWith("rsk-")).toList();
      final StringBuilder out = new StringBuilder();
      for (final Map.Entry<String, ConsumerGroupDescription> e : new TreeMap<>(
          admin.describeConsumerGroups(ids).all().get(TIMEOUT_S, TimeUnit.SECONDS)).entrySet()) {
        final ConsumerGroupDescription d = e.getValue();
        out.append(e.getKey()).append(' ').append(d.groupState()).append(" coordinator ").append(d.coordinator())
            .append('\n');
        d.members().forEach(m -> out.append("  member ").append(m.consumerId()).append(" instance ")
            .append(m.groupInstanceId().orElse("-")).append(" assigned ").append(m.assignment().topicPartitions())
            .append('\n'));
      }
      return out.toString();
    }
  }

  /** Per changelog partition: end offset, last stable offset; then every rsk group's committed offsets. */
  private static String offsets(final String bootstrap) throws Exception {
    try (Admin admin = FaultTopics.admin(bootstrap)) {
      final List<TopicPartition> parts = new ArrayList<>();
      final Map<String, org.apache.kafka.clients.admin.TopicDescription> topics = admin.describeTopics(
          admin.listTopics().names().get(TIMEOUT_S, TimeUnit.SECONDS).stream()
              .filter(t -> t.endsWith("-changelog")).toList()).allTopicNames().get(TIMEOUT_S, TimeUnit.SECONDS);
      topics.forEach((t, d) -> d.partitions().forEach(p -> parts.add(new TopicPartition(t, p.partition()))));
      final Map<TopicPartition, ListOffsetsResultInfo> end = list(admin, parts, IsolationLevel.READ_UNCOMMITTED);
      final Map<TopicPartition, ListOffsetsResultInfo> stable = list(admin, parts, IsolationLevel.READ_COMMITTED);
      final StringBuilder out = new StringBuilder();
      final Map<String, String> lines = new TreeMap<>();
      for (final TopicPartition p : parts) {
        final long e = end.get(p).offset();
        final long s = stable.get(p).offset();
        lines.put(p.toString(), "end " + e + " stable " + s + (e != s ? "  <- open transaction" : ""));
      }
      lines.forEach((p, l) -> out.append(p).append(' ').append(l).append('\n'));
      final List<String> groups = admin.listGroups().all().get(TIMEOUT_S, TimeUnit.SECONDS).stream()
          .map(g -> g.groupId()).filter(g -> g.startsWith("rsk-")).toList();
      for (final String g : groups) {
        final Map<String, Long> committed = new TreeMap<>();
        admin.listConsumerGroupOffsets(g).partitionsToOffsetAndMetadata().get(TIMEOUT_S, TimeUnit.SECONDS)
            .forEach((p, o) -> committed.put(p.toString(), o == null ? -1 : o.offset()));
        out.append("group ").append(g).append(" committed ").append(committed).append('\n');
      }
      return out.toString();
    }
  }

  private static Map<TopicPartition, ListOffsetsResultInfo> list(final Admin admin, final List<TopicPartition> parts,
      final IsolationLevel level) throws Exception {
    final Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
    parts.forEach(p -> specs.put(p, OffsetSpec.latest()));
    return admin.listOffsets(specs, new ListOffsetsOptions(level)).all().get(TIMEOUT_S, TimeUnit.SECONDS);
  }

  /**
   * The start watch's lines (and the stacks it logged) since the last start in {@code rskLog}, at most 12,000 chars.
   */
  private static String watchLines(final Path rskLog) throws IOException {
    if (!Files.exists(rskLog)) {
      return "no " + rskLog;
    }
    final List<String> lines = Files.readAllLines(rskLog, StandardCharsets.UTF_8);
    int from = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains("Performing controller activation")) {
        from = i;
      }
    }
    final StringBuilder out = new StringBuilder();
    boolean inWatch = false;
    for (final String l : lines.subList(from, lines.size())) {
      final boolean logLine = l.length() > 23 && Character.isDigit(l.charAt(0));
      if (logLine) {
        inWatch = l.contains("StartWatch") || l.contains("corrupted") || l.contains("ERROR");
      }
      if (inWatch) {
        out.append(l).append('\n');
      }
    }
    return out.length() <= 12_000 ? out.toString() : out.substring(out.length() - 12_000);
  }

  /** {@code jcmd <pid> Thread.print} (30 s at most), kept in {@code target/fault-logs/<name>-threads.txt}. */
  private static String threadDump(final String name, final ChildJvm stack) throws Exception {
    if (!stack.alive()) {
      return "the child JVM is not running";
    }
    final Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    final Path out = Files.createTempFile("rsk-threads", ".txt");
    try {
      final Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(stack.pid()), "Thread.print")
          .redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "jcmd did not answer within 30 s";
      }
      ChildJvm.keepLog(out, name + "-threads.txt");
      final String dump = Files.readString(out);
      return streamThreads(dump) + "(whole dump in target/fault-logs/" + name + "-threads.txt)";
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** The dump's Kafka Streams threads (stream threads, state updaters), the rest left to the kept file. */
  static String streamThreads(final String dump) {
    final StringBuilder out = new StringBuilder();
    for (final String block : dump.split("\n\n")) {
      if (block.contains("StreamThread-") || block.contains("StateUpdater")) {
        out.append(block.strip()).append("\n\n");
      }
    }
    return out.toString();
  }
}
