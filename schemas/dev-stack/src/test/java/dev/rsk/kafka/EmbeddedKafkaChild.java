package dev.rsk.kafka;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The child JVM of {@link EmbeddedKafkaRestartTest}: starts a node on {@code args[0]} with a broker session of
 * {@code args[2]} ms, writes one record to topic {@code t}, creates {@code args[1]} and waits to be killed.
 */
public final class EmbeddedKafkaChild {

  private EmbeddedKafkaChild() {}

  public static void main(final String[] args) throws Exception {
    final EmbeddedKafka kafka = EmbeddedKafka.start(Path.of(args[0]), 0,
        Map.of("broker.session.timeout.ms", args[2]));
    kafka.createTopic("t", 1, Map.of());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
        new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>("t", "k", "before the kill")).get(60, TimeUnit.SECONDS);
    }
    Files.writeString(Path.of(args[1]), "ready");
    Thread.sleep(Long.MAX_VALUE);
  }
}
