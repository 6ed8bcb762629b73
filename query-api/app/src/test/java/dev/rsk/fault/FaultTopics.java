package dev.rsk.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a whole topic, as the fault tests check it: every record up to the end offsets at the call. */
final class FaultTopics {

  private FaultTopics() {}

  /**
   * Every record of {@code topic} from the beginning to its end offsets now (at most 60 s of polling), keys
   * as UTF-8 text; {@code committedOnly}: read_committed (what a downstream consumer sees), else
   * read_uncommitted (also the records of open and aborted transactions).
   */
  static List<ConsumerRecord<String, byte[]>> read(final String bootstrap, final String topic,
      final boolean committedOnly) {
    final Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, committedOnly ? "read_committed" : "read_uncommitted");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    final List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
        new ByteArrayDeserializer())) {
      final List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      final Map<TopicPartition, Long> end = consumer.endOffsets(parts);
      final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (parts.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(out::add);
      }
    }
    return out;
  }

  /**
   * Waits (at most 240 s) until {@code topic} holds at least {@code n} committed records, failing with the log's
   * tail if {@code writer} exits first.
   */
  static void awaitCommitted(final String bootstrap, final String topic, final int n, final ChildJvm writer) {
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500)).until(() -> {
      org.assertj.core.api.Assertions.assertThat(writer.alive()).as("process exited:\n" + writer.tail(3000)).isTrue();
      return keys(bootstrap, topic, true).size() >= n;
    });
  }

  /**
   * An admin client for the fault tests' checks, every call bounded by 10 s (request.timeout.ms, 30 s by default,
   * must not exceed default.api.timeout.ms, or the client is not created).
   */
  static Admin admin(final String bootstrap) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000));
  }

  /** The keys of {@link #read}. */
  static List<String> keys(final String bootstrap, final String topic, final boolean committedOnly) {
    return read(bootstrap, topic, committedOnly).stream().map(ConsumerRecord::key).toList();
  }
}
