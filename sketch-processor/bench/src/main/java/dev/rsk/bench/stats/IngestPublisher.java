package dev.rsk.bench.stats;

import dev.rsk.api.server.StatsServer;
import dev.rsk.avro.InferenceSketch;
import dev.rsk.sketch.SketchSpec;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sketches arriving while {@code rsk bench-api --ingest N} measures: a background thread publishes demo-like
 * sketches ({@link SketchData}, the generator the fill uses; ids {@code live-0, live-1, ...}) into the sketches
 * topic at a constant rate of {@code N} per second, slot {@code i} at {@code start + i/N} s. A sketch's event time
 * (and record timestamp) is its slot's wall-clock time: event times <b>continue after the filled year</b> (which
 * ends when the fill starts), in the newest hours of the year the routes ask for, as a running deployment's do.
 * Each commit that writes them (every 100 ms under exactly-once) moves the servers' store version, so what the
 * answer cache keeps lives at most until the next such commit.
 *
 * <p><b>Bounds.</b> Its own thread and producer ({@code max.block.ms} 1 s): it never waits on the request client
 * nor makes it wait, but shares the CPU with it and the servers, as a deployment's ingest does; it also sketches
 * here (a fraction of a millisecond per sketch) what the processor would sketch in its own process. It never
 * bursts: more than {@link #MAX_LAG} behind its schedule, it skips the missed slots and says so in {@link #report}.
 * The achieved rate is counted over the measured (paced) phases only, from acknowledged sends. With {@code N = 0}
 * it publishes nothing (no thread, no producer) and only counts commits. The routes' range ends at the whole hour
 * after the measuring began: sketches of a later hour (a run across the hour) still move the version, but the
 * answers do not count them. Every sketch published stays in today's edge day, so a long run at a high rate makes
 * that day far denser than the demo's (about 5 sketches an hour). Not thread-safe except {@link #close}: the phase
 * calls come from the measuring thread.
 */
final class IngestPublisher implements AutoCloseable {

  /** How far behind its schedule the publisher may fall before it skips slots. */
  static final Duration MAX_LAG = Duration.ofSeconds(1);
  private static final long NANOS = 1_000_000_000L;

  private final int rate;
  private final LongSupplier commits;
  private final KafkaProducer<String, byte[]> producer;
  private final Thread thread;
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicLong maxLateNanos = new AtomicLong();
  private volatile boolean stop;
  private long phasePublished;
  private long phaseCommits;
  private long phaseStart;
  private long measuredPublished;
  private long measuredCommits;
  private long measuredNanos;

  private IngestPublisher(final int rate, final String bootstrap, final Serde<InferenceSketch> serde,
      final LongSupplier commits) {
    this.rate = rate;
    this.commits = commits;
    if (rate == 0) {
      producer = null;
      thread = null;
      return;
    }
    producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.MAX_BLOCK_MS_CONFIG, 1000), new StringSerializer(),
        new ByteArraySerializer());
    producer.partitionsFor(StatsBenchmark.TOPIC); // the metadata before the schedule starts, not at its first send
    final SketchData data = new SketchData(SketchSpec.defaults().withD(1024), Instant.now(), Duration.ofSeconds(1),
        rate, "live-");
    thread = new Thread(() -> publish(data, serde), "rsk-bench-ingest");
    thread.setDaemon(true);
    thread.setUncaughtExceptionHandler((t, e) -> System.err.println("rsk bench-api: ingest stopped: " + e));
  }

  /**
   * Starts publishing {@code rate} sketches per second (0: none) to {@link StatsBenchmark#TOPIC} on the broker at
   * {@code bootstrap}; {@code commits} counts the servers' commits (sampled at each phase's start and end).
   */
  static IngestPublisher start(final int rate, final String bootstrap, final Serde<InferenceSketch> serde,
      final LongSupplier commits) {
    final IngestPublisher p = new IngestPublisher(rate, bootstrap, serde, commits);
    if (p.thread != null) {
      p.thread.start();
    }
    return p;
  }

  /** Stream-thread commits that committed at least one task (Kafka Streams' {@code commit-total}), all servers. */
  static long commits(final List<StatsServer> servers) {
    long n = 0;
    for (final StatsServer s : servers) {
      for (final Metric m : s.streams().metrics().values()) {
        if (m.metricName().name().equals("commit-total") && m.metricName().group().equals("stream-thread-metrics")) {
          n += ((Number) m.metricValue()).longValue();
        }
      }
    }
    return n;
  }

  /** Nanoseconds after the start at which slot {@code slot} is due, at {@code rate} per second. */
  static long dueNanos(final long slot, final int rate) {
    return slot * NANOS / rate;
  }

  /**
   * The slot to send at {@code elapsedNanos} after the start when slot {@code slot} is next: itself, or, once more
   * than {@link #MAX_LAG} behind it, the newest slot already due (the ones between are skipped, never burst).
   */
  static long nextSlot(final long slot, final long elapsedNanos, final int rate) {
    return elapsedNanos - dueNanos(slot, rate) <= MAX_LAG.toNanos() ? slot
        : Math.max(slot, elapsedNanos * rate / NANOS);
  }

  private void publish(final SketchData data, final Serde<InferenceSketch> serde) {
    final long start = System.nanoTime();
    long slot = 0;
    while (!stop) {
      final long due = start + dueNanos(slot, rate);
      long wait;
      while (!stop && (wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(50)));
      }
      if (stop) {
        return;
      }
      final long elapsed = System.nanoTime() - start;
      maxLateNanos.accumulateAndGet(elapsed - dueNanos(slot, rate), Math::max);
      final long next = nextSlot(slot, elapsed, rate);
      skipped.addAndGet(next - slot);
      slot = next;
      final InferenceSketch s = data.sketch(Math.toIntExact(slot));
      try {
        producer.send(new ProducerRecord<>(StatsBenchmark.TOPIC, null, s.getEventTime().toEpochMilli(),
            s.getInferenceId(), serde.serializer().serialize(StatsBenchmark.TOPIC, s)),
            (metadata, e) -> (e == null ? published : failed).incrementAndGet());
      } catch (final KafkaException e) {
        failed.incrementAndGet();
      }
      slot++;
    }
  }

  /** A measured phase begins. */
  void phaseStarted() {
    phasePublished = published.get();
    phaseCommits = commits.getAsLong();
    phaseStart = System.nanoTime();
  }

  /** The measured phase begun by {@link #phaseStarted} ended. */
  void phaseEnded() {
    measuredNanos += System.nanoTime() - phaseStart;
    measuredPublished += published.get() - phasePublished;
    measuredCommits += commits.getAsLong() - phaseCommits;
  }

  /**
   * Prints the rate asked for and achieved over the measured phases, how late it ran at most (over the whole run),
   * the commits with work during the phases, and whether it fell so far behind that it skipped slots.
   */
  void report(final PrintStream out, final int servers) {
    final double s = measuredNanos / 1e9;
    out.printf(Locale.ROOT, "ingest: asked %d sketches/s, published %.1f/s over the measured phases (%d in %.1f s;"
        + " %d in all, %d failed; at most %.0f ms behind its schedule); stream-thread commits with work: %.1f/s per"
        + " server during the phases (%d, %d servers)%n", rate, measuredPublished / s, measuredPublished, s,
        published.get(), failed.get(), maxLateNanos.get() / 1e6, measuredCommits / s / servers, measuredCommits,
        servers);
    if (skipped.get() > 0) {
      out.printf(Locale.ROOT, "ingest FELL BEHIND: %d slots skipped (each more than %d ms behind its schedule)%n",
          skipped.get(), MAX_LAG.toMillis());
    }
  }

  /** Stops publishing (waits up to 5 s for the thread and for the producer to send what it holds). */
  @Override
  public void close() throws InterruptedException {
    stop = true;
    if (thread != null) {
      thread.join(5_000);
      producer.close(Duration.ofSeconds(5));
    }
  }
}
