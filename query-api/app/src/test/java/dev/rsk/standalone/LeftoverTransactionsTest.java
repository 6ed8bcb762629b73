package dev.rsk.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.testing.KafkaExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A transaction left open by a dead producer (never committed nor aborted, with a transaction timeout far
 * longer than the test) keeps its group's offsets unstable; {@link LeftoverTransactions} ends it at once, and
 * leaves other applications' transactions alone.
 */
class LeftoverTransactionsTest {

  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

  @Test
  void abortsTheStacksOpenTransactionsSoTheirOffsetsAreStableAgain() throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic("leftover-in", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
      final KafkaProducer<String, String> ours = openTransaction(admin, "app-a", "app-a-1234-1");
      final KafkaProducer<String, String> theirs = openTransaction(admin, "other", "other-1");
      try {
        assertThat(stable("app-a")).as("offsets before").isFalse();

        final int aborted = new LeftoverTransactions(admin, List.of("app-a", "app-b"), Duration.ofSeconds(30))
            .abort();

        assertThat(aborted).isEqualTo(1);
        assertThat(stable("app-a")).as("offsets after").isTrue();
        assertThat(admin.listConsumerGroupOffsets("app-a").partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS))
            .as("the aborted offsets are not committed").isEmpty();
        assertThat(stable("other")).as("another application's transaction is left open").isFalse();
      } finally {
        ours.close(Duration.ZERO);
        theirs.close(Duration.ZERO);
      }
    }
  }

  @Test
  void withNothingLeftOpenItAbortsNothing() throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()))) {
      assertThat(new LeftoverTransactions(admin, List.of("app-c"), Duration.ofSeconds(30)).abort()).isZero();
    }
  }

  /** A transactional producer mid-transaction: one record and the group's offset sent, nothing committed. */
  private static KafkaProducer<String, String> openTransaction(final Admin admin, final String group,
      final String transactionalId) throws Exception {
    final KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
        ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 600_000), new StringSerializer(), new StringSerializer());
    producer.initTransactions();
    producer.beginTransaction();
    producer.send(new ProducerRecord<>("leftover-in", "k", "v")).get(30, TimeUnit.SECONDS);
    producer.sendOffsetsToTransaction(Map.of(new TopicPartition("leftover-in", 0), new OffsetAndMetadata(1)),
        new ConsumerGroupMetadata(group));
    return producer;
  }

  /**
   * True if a read_committed consumer of the group can read its committed offset of {@code leftover-in-0} within
   * 3 s (such a consumer asks for stable offsets, and retries while they are pending in a transaction).
   */
  private static boolean stable(final String group) {
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, group,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
        new StringDeserializer(), new StringDeserializer())) {
      consumer.committed(Set.of(new TopicPartition("leftover-in", 0)), Duration.ofSeconds(3));
      return true;
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      return false;
    }
  }
}
