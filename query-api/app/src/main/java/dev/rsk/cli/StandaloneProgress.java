package dev.rsk.cli;

import dev.rsk.standalone.StandaloneApi;
import dev.rsk.standalone.StandaloneStack;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The progress line of {@code rsk standalone}, every {@link #PERIOD_SECONDS} s: published = the end offsets of the
 * activations topic (events, not inferences: producers send one per object; a transactional producer's commit
 * markers count too), sketched = the processor's {@code rsk.processor.sketches.out} (inferences), queryable = how far
 * the stats aggregator's committed position is behind the sketches topic's end, in offsets ("up to date" at 0: every
 * sketch is stored and answerable; offsets also count the processor's transaction markers, so the lag is an upper
 * bound of the records still to store). Rates are over the last period; the line changes only when a figure does.
 * A failed read (broker busy, timeout) skips one update.
 */
final class StandaloneProgress implements AutoCloseable {

  static final int PERIOD_SECONDS = 2;
  private static final long READ_TIMEOUT_SECONDS = 5;

  private final StandaloneStack stack;
  private final Admin admin;
  private final ProgressLine line;
  private final ScheduledExecutorService timer;
  private final MeterRegistry meters;
  private long[] last = {-1, -1, -1};

  private StandaloneProgress(final StandaloneStack stack, final MeterRegistry meters, final ProgressLine line) {
    this.meters = meters;
    this.stack = stack;
    this.admin = stack.kafka().admin();
    this.line = line;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      final Thread t = new Thread(r, "rsk-standalone-progress");
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts updating {@code line} until closed. */
  static StandaloneProgress start(final StandaloneStack stack, final MeterRegistry meters, final ProgressLine line) {
    final StandaloneProgress p = new StandaloneProgress(stack, meters, line);
    p.timer.scheduleWithFixedDelay(p::update, PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
    return p;
  }

  private void update() {
    try {
      final long[] now = {
          endOffsets(stack.options().activationsTopic()),
          (long) meters.find("rsk.processor.sketches.out").counters().stream().mapToDouble(Counter::count).sum(),
          Math.max(0, endOffsets(stack.options().sketchesTopic())
              - committed(StandaloneApi.APPLICATION_ID, stack.options().sketchesTopic()))};
      if (now[0] != last[0] || now[1] != last[1] || now[2] != last[2]) {
        line.update(format(now, last[0] < 0 ? new long[3] : last, PERIOD_SECONDS));
        last = now;
      }
    } catch (final ExecutionException | TimeoutException e) {
      // a busy broker: try again next period
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The line for counts {@code now} after {@code before}, {@code seconds} apart. */
  static String format(final long[] now, final long[] before, final double seconds) {
    return String.format(Locale.ROOT, "published %,d events (%,.0f/s) | sketched %,d inferences (%,.0f/s) | "
            + "queryable: %s", now[0], (now[0] - before[0]) / seconds, now[1], (now[1] - before[1]) / seconds,
        now[2] == 0 ? "up to date" : String.format(Locale.ROOT, "catching up (%,d offsets behind)", now[2]));
  }

  private long endOffsets(final String topic) throws ExecutionException, InterruptedException, TimeoutException {
    final TopicDescription d = admin.describeTopics(java.util.List.of(topic)).allTopicNames()
        .get(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS).get(topic);
    final Map<TopicPartition, OffsetSpec> latest = d.partitions().stream()
        .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
    return admin.listOffsets(latest).all().get(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS).values().stream()
        .mapToLong(i -> i.offset()).sum();
  }

  private long committed(final String group, final String topic)
      throws ExecutionException, InterruptedException, TimeoutException {
    final Collection<Map.Entry<TopicPartition, OffsetAndMetadata>> offsets = admin.listConsumerGroupOffsets(group)
        .partitionsToOffsetAndMetadata().get(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS).entrySet();
    return offsets.stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
        .mapToLong(e -> e.getValue().offset()).sum();
  }

  @Override
  public void close() {
    timer.shutdownNow();
    admin.close(java.time.Duration.ofSeconds(READ_TIMEOUT_SECONDS));
  }
}
