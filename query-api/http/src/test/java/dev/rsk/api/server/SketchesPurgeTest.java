package dev.rsk.api.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.testing.KafkaExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sketches topic's purge on a real broker: never below what any listed group committed. */
class SketchesPurgeTest {

  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

  private static final String TOPIC = "purged-sketches";
  private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
  private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

  @Test
  void deletesOnlyWhatEveryGroupCommitted() throws Exception {
    KAFKA.createTopic(TOPIC, 2);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(KAFKA.producerProps(), new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < 10; i++) {
        producer.send(new ProducerRecord<>(TOPIC, 0, "k" + i, "v" + i));
        producer.send(new ProducerRecord<>(TOPIC, 1, "k" + i, "v" + i));
      }
      producer.flush();
    }
    final Map<String, Object> adminConfig = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        KAFKA.bootstrapServers());
    try (Admin admin = Admin.create(adminConfig);
        SketchesPurge purge = SketchesPurge.start(adminConfig, TOPIC, List.of("aggregator", "downstream"),
            Duration.ofHours(1))) {
      commit(admin, "aggregator", Map.of(P0, 6L, P1, 10L));
      commit(admin, "downstream", Map.of(P0, 8L)); // has not read partition 1 yet

      // partition 0: the lower of 6 and 8; partition 1: one group committed nothing there, so nothing goes
      assertThat(purge.run()).isEqualTo(Map.of(P0, 6L));
      assertThat(earliest(admin)).isEqualTo(Map.of(P0, 6L, P1, 0L));
      assertThat(purge.run()).as("nothing new committed").isEmpty();

      commit(admin, "downstream", Map.of(P0, 8L, P1, 3L));
      assertThat(purge.run()).isEqualTo(Map.of(P1, 3L));
      assertThat(earliest(admin)).isEqualTo(Map.of(P0, 6L, P1, 3L));
    }
    assertThat(SketchesPurge.start(adminConfig, TOPIC, List.of(), Duration.ofSeconds(1))).as("no groups: off")
        .isNull();
  }

  private static void commit(final Admin admin, final String group, final Map<TopicPartition, Long> offsets)
      throws Exception {
    admin.alterConsumerGroupOffsets(group, offsets.entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> new OffsetAndMetadata(e.getValue()))))
        .all().get(30, TimeUnit.SECONDS);
  }

  private static Map<TopicPartition, Long> earliest(final Admin admin) throws Exception {
    return admin.listOffsets(Map.of(P0, OffsetSpec.earliest(), P1, OffsetSpec.earliest())).all()
        .get(30, TimeUnit.SECONDS).entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
  }
}
