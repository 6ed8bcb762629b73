package dev.rsk.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;

/** Idempotent topic creation on the single node of {@link EmbeddedKafka}, waiting until the topic is usable. */
final class TopicCreator {

  private TopicCreator() {}

  /**
   * Creates a topic with replication factor 1 and the given topic configs; an existing topic is left as it is.
   * Each admin call is bounded by {@code timeout}; {@link KafkaException} if creation fails or times out.
   */
  static void create(final Admin admin, final String name, final int partitions, final Map<String, String> config,
      final Duration timeout) {
    try {
      try {
        admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(config)))
            .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new KafkaException("Cannot create topic " + name + ": " + e.getCause().getMessage(), e.getCause());
        }
      }
      awaitTopic(admin, name, timeout);
    } catch (TimeoutException e) {
      throw new KafkaException("Creating topic " + name + " timed out after " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("Interrupted while creating topic " + name, e);
    }
  }

  /**
   * The controller acknowledges a creation before the broker's metadata has it: wait until the broker
   * serves every partition with a leader, and until the leader's replica manager answers for every partition
   * (a list-offsets request succeeds), so that callers can use the topic at once. The metadata alone is not
   * enough: a produce sent in between is refused with NOT_LEADER_OR_FOLLOWER, and an idempotent producer with
   * several requests in flight then has its later batches accepted before its first, whose retry the broker
   * refuses for ever as out of sequence (seen in CI: SimulationPublisherTest's producer expired after 120 s).
   */
  private static void awaitTopic(final Admin admin, final String name, final Duration timeout)
      throws InterruptedException, TimeoutException {
    final long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        final var description = admin.describeTopics(List.of(name)).allTopicNames()
            .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(name);
        if (description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
          final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
          description.partitions()
              .forEach(p -> latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest()));
          admin.listOffsets(latest).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
          return;
        }
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof RetriableException)) {
          throw new KafkaException("Cannot describe topic " + name + ": " + e.getCause().getMessage(), e.getCause());
        }
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("topic " + name + " has no leader after " + timeout);
      }
      Thread.sleep(50);
    }
  }
}
