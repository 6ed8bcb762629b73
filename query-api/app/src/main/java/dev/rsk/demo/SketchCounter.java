package dev.rsk.demo;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Counts the distinct inferences that have a committed sketch on the sketches topic: a consumer of its own
 * ({@code read_committed}, assigned every partition, from the beginning), so it measures the processor's progress
 * without touching the application's consumer groups. It commits what it read under {@link #GROUP}, which the demo
 * lists among the groups the sketches topic's purge waits for, so no sketch is purged before it is counted.
 * Values are not decoded. Runs on its own thread until {@link #close}.
 */
public final class SketchCounter implements AutoCloseable {

  /** The consumer group it commits its position under (it does not subscribe: no rebalance). */
  public static final String GROUP = "rsk-demo-sketch-counter";
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

  private final KafkaConsumer<String, byte[]> consumer;
  private final Set<String> seen = new HashSet<>();
  private final Thread thread;
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private volatile boolean running = true;
  private volatile int count;

  public SketchCounter(final String bootstrapServers, final String topic) {
    this.consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.CLIENT_ID_CONFIG, "rsk-demo-sketch-counter",
        ConsumerConfig.GROUP_ID_CONFIG, GROUP,
        ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000),
        new StringDeserializer(), new ByteArrayDeserializer());
    final List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30))
        .stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    this.thread = new Thread(this::run, "rsk-demo-sketch-counter");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  private void run() {
    try {
      while (running) {
        for (final ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
          if (r.key() != null) {
            seen.add(r.key());
          }
        }
        count = seen.size();
        consumer.commitAsync(); // the position: the purge of the sketches topic waits for it
      }
    } catch (final WakeupException e) {
      // closing
    } catch (final Exception e) {
      failure.set(e);
    } finally {
      consumer.close(CLOSE_TIMEOUT);
    }
  }

  /** Distinct inferences with a committed sketch so far. */
  public int count() {
    final Exception e = failure.get();
    if (e != null) {
      throw new IllegalStateException("counting sketches failed: " + e.getMessage(), e);
    }
    return count;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(CLOSE_TIMEOUT.toMillis() + 1_000);
  }
}
