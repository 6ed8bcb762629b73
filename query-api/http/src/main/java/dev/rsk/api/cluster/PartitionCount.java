package dev.rsk.api.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partition count of one topic, read from the brokers with an {@link Admin} client: what an answer
 * over all keys must cover. Described once, then again at most every {@link #REFRESH} (a topic's
 * partitions can be increased, never decreased); each description is bounded by a timeout. Until the
 * first description succeeds it is 0 ("unknown": the API answers 503). Thread-safe.
 */
public final class PartitionCount implements IntSupplier, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PartitionCount.class);
  /** How long a known count is trusted before it is described again. */
  static final Duration REFRESH = Duration.ofSeconds(30);

  private final Admin admin;
  private final String topic;
  private final Duration timeout;
  private int count;
  private long describedAt;

  /**
   * @param adminConfig Kafka client configuration (bootstrap servers, security) for the admin client
   * @param timeout bound of one description
   */
  public PartitionCount(final Map<String, Object> adminConfig, final String topic, final Duration timeout) {
    this.admin = Admin.create(adminConfig);
    this.topic = topic;
    this.timeout = timeout;
  }

  /** The partition count; 0 while it could not be described yet. */
  @Override
  public synchronized int getAsInt() {
    final long now = System.nanoTime();
    if (count < 1 || now - describedAt > REFRESH.toNanos()) {
      final int described = describe();
      if (described > 0) {
        count = Math.max(count, described);
        describedAt = now;
      }
    }
    return count;
  }

  private int describe() {
    try {
      final TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(topic);
      return d == null ? 0 : d.partitions().size();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("cannot describe topic {} (answers over all keys wait for it): {}", topic, e.toString());
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
