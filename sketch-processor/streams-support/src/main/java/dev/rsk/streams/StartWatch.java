package dev.rsk.streams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says in the log where a Kafka Streams application that is not RUNNING is: a restart after {@code kill -9} that
 * stays REBALANCING must be diagnosable from the log alone (docs/foundation.md "Restart after a crash").
 *
 * <p>It is the application's restore listener (so it knows, per changelog partition, where restoration started,
 * where it must end and where it is, and when it last moved), and every {@link #every} while the application is
 * not RUNNING it logs one line: its state and for how long, each stream thread's state and tasks, and the
 * restorations in progress. After {@link #STACKS_AFTER} without RUNNING it also logs, once per
 * {@link #STACKS_EVERY}, the stacks of the application's own threads (stream threads, state updater, producers
 * and consumers). It only reads and logs; its one daemon thread ends at {@link #close}.
 */
public final class StartWatch implements StateRestoreListener, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StartWatch.class);
  /** How often the stack's applications log while they are not RUNNING. */
  public static final Duration EVERY = Duration.ofSeconds(10);
  /** Not RUNNING this long: the stacks too. */
  static final Duration STACKS_AFTER = Duration.ofSeconds(60);
  static final Duration STACKS_EVERY = Duration.ofSeconds(60);

  private final String name;
  private final long everyNanos;
  private volatile long lastCheck = System.nanoTime();
  private final Supplier<KafkaStreams> streams;
  private final ScheduledExecutorService timer;
  private final Map<String, long[]> restoring = new ConcurrentHashMap<>();
  private volatile long notRunningSince = System.nanoTime();
  private volatile long lastProgress = System.nanoTime();
  private volatile long lastStacks;
  private final AtomicLong restoredRecords = new AtomicLong();

  StartWatch(final String name, final Supplier<KafkaStreams> streams, final Duration every) {
    this.name = name;
    this.streams = streams;
    this.everyNanos = every.toNanos();
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      final Thread t = new Thread(r, "rsk-start-watch-" + name);
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(this::check, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Watches {@code streams} (not started yet: the restore listener can only be set before {@link KafkaStreams#start}),
   * logging every {@code every} while it is not RUNNING.
   *
   * @param name the application's name in the log lines
   */
  public static StartWatch attach(final KafkaStreams streams, final String name, final Duration every) {
    final StartWatch watch = new StartWatch(name, () -> streams, every);
    streams.setGlobalStateRestoreListener(watch);
    return watch;
  }

  /**
   * Call from the application's state listener: logs the transition; the clock of "not RUNNING for" restarts when
   * the application leaves RUNNING.
   */
  public void onState(final KafkaStreams.State now, final KafkaStreams.State before) {
    // Kafka Streams' own transition lines are below the log's level: a RUNNING that falls back is visible here
    LOG.info("{}: {} -> {} ({} s since start or last RUNNING)", name, before, now,
        (System.nanoTime() - notRunningSince) / 1_000_000_000L);
    if (now != KafkaStreams.State.RUNNING && before == KafkaStreams.State.RUNNING) {
      notRunningSince = System.nanoTime();
    }
  }

  /** Nanoseconds since a restoration last moved (or since this watch started, when none did). */
  public long nanosSinceRestoreProgress() {
    return System.nanoTime() - lastProgress;
  }

  /** Changelog records restored since the start. */
  public long restoredRecords() {
    return restoredRecords.get();
  }

  /** Restorations started and not ended: "store partition: at X of [start, end]". */
  public List<String> restorations() {
    final List<String> out = new ArrayList<>();
    new TreeMap<>(restoring).forEach((k, v) -> out.add(k + " at " + v[2] + " of [" + v[0] + ", " + v[1] + "]"));
    return out;
  }

  private void check() {
    final long now = System.nanoTime();
    final long late = now - lastCheck - everyNanos;
    lastCheck = now;
    if (late > everyNanos) {
      // every thread of the process went silent meanwhile: a GC pause, CPU starvation, a stopped process
      LOG.warn("{}: this watch ran {} s late: the JVM did not run its threads for that long (GC pauses, CPU "
          + "starvation)", name, late / 1_000_000_000L);
    }
    try {
      final KafkaStreams s = streams.get();
      final KafkaStreams.State state = s.state();
      if (state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.CREATED
          || !state.isRunningOrRebalancing()) {
        return;
      }
      final long waited = System.nanoTime() - notRunningSince;
      LOG.info("{} is {} ({} s since start or last RUNNING; restore last moved {} s ago, {} records restored): "
          + "threads (as of their last assignment) {}; restoring {}", name, state, waited / 1_000_000_000L,
          nanosSinceRestoreProgress() / 1_000_000_000L, restoredRecords.get(), threads(s), restorations());
      if (waited > STACKS_AFTER.toNanos() && System.nanoTime() - lastStacks > STACKS_EVERY.toNanos()) {
        lastStacks = System.nanoTime();
        LOG.warn("{} not RUNNING for {} s; its threads:\n{}", name, waited / 1_000_000_000L, stacks(s));
      }
    } catch (RuntimeException e) {
      LOG.debug("start watch of {} could not read the application", name, e);
    }
  }

  private static String threads(final KafkaStreams s) {
    final StringBuilder out = new StringBuilder("[");
    for (final ThreadMetadata t : s.metadataForLocalThreads()) {
      out.append(t.threadName()).append(' ').append(t.threadState()).append(" active ");
      t.activeTasks().forEach(task -> out.append(task.taskId()).append(' '));
      out.append("standby ");
      t.standbyTasks().forEach(task -> out.append(task.taskId()).append(' '));
      out.append("; ");
    }
    return out.append(']').toString();
  }

  /** The stacks of the threads whose name starts with the application's client id (its stream threads' prefix). */
  static String stacks(final KafkaStreams s) {
    final List<String> prefixes = new ArrayList<>();
    for (final ThreadMetadata t : s.metadataForLocalThreads()) {
      final int i = t.threadName().lastIndexOf("-StreamThread-");
      prefixes.add(i > 0 ? t.threadName().substring(0, i) : t.threadName());
    }
    final StringBuilder out = new StringBuilder();
    Thread.getAllStackTraces().forEach((thread, stack) -> {
      if (prefixes.stream().anyMatch(p -> thread.getName().startsWith(p))) {
        out.append('"').append(thread.getName()).append("\" ").append(thread.getState()).append('\n');
        for (final StackTraceElement e : stack) {
          out.append("    at ").append(e).append('\n');
        }
      }
    });
    return out.toString();
  }

  private static String key(final TopicPartition partition, final String store) {
    return store + " " + partition;
  }

  @Override
  public void onRestoreStart(final TopicPartition partition, final String store, final long start, final long end) {
    restoring.put(key(partition, store), new long[] {start, end, start});
    lastProgress = System.nanoTime();
  }

  @Override
  public void onBatchRestored(final TopicPartition partition, final String store, final long batchEnd,
      final long restored) {
    final long[] r = restoring.get(key(partition, store));
    if (r != null) {
      r[2] = batchEnd;
    }
    restoredRecords.addAndGet(restored);
    lastProgress = System.nanoTime();
  }

  @Override
  public void onRestoreEnd(final TopicPartition partition, final String store, final long total) {
    restoring.remove(key(partition, store));
    lastProgress = System.nanoTime();
  }

  @Override
  public void onRestoreSuspended(final TopicPartition partition, final String store, final long total) {
    restoring.remove(key(partition, store));
    lastProgress = System.nanoTime();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
