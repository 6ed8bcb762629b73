package dev.rsk.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.avro.ModuleActivation;
import dev.rsk.kafka.EmbeddedKafka;
import dev.rsk.registry.server.SchemaRegistryServer;
import dev.rsk.serde.AvroSerdes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 (c): the schema registry down for {@link #OUTAGE} while the processor (a child JVM, {@code rsk
 * processor}) works. Inferences are published before, during and after the outage, and the processor is
 * SIGKILLed and restarted during it, so that it must fetch the activation schema again while the registry is
 * down (a running processor has it cached). Nothing may be dead-lettered, and once the registry is back every
 * inference is on {@code sketches} exactly once.
 */
@Tag("long")
@Tag("fault")
class RegistryOutageTest {

  static final Duration OUTAGE = Duration.ofSeconds(30);
  static final int PER_PHASE = 200;
  static final FaultRecords RECORDS = new FaultRecords(Instant.parse("2026-03-02T00:00:00Z"), "registry-outage");

  @TempDir Path dir;

  @Test
  void registryDownFor30SecondsNothingDeadLetteredEverythingSketchedAfter() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
      final int registryPort = ChildJvm.freePort();
      SchemaRegistryServer registry = SchemaRegistryServer.start(kafka.bootstrapServers(), registryPort);
      for (final String topic : List.of("activations", "sketches", "activations-dlq")) {
        kafka.createTopic(topic, 4, Map.of());
      }
      final Path config = Files.writeString(dir.resolve("processor.properties"), String.join("\n",
          "kafka.bootstrap.servers=" + kafka.bootstrapServers(),
          "kafka.schema.registry.url=http://127.0.0.1:" + registryPort,
          "kafka.state.dir=" + dir.resolve("state"),
          "rsk.ready.file=" + dir.resolve("ready"),
          ""));
      final Path log = dir.resolve("processor.log");
      ChildJvm processor = ChildJvm.rsk(log, Map.of(), "processor", "--config", config.toString());
      try (KafkaProducer<String, ModuleActivation> producer = producer(kafka, registryPort)) {
        processor.awaitFile(dir.resolve("ready"));
        publish(producer, 0);
        FaultTopics.awaitCommitted(kafka.bootstrapServers(), "sketches", PER_PHASE, processor);

        registry.close();
        final long down = System.nanoTime();
        publish(producer, PER_PHASE); // the producer's serializer has the schema id cached
        processor.kill();
        processor = ChildJvm.rsk(log, Map.of(), "processor", "--config", config.toString());
        Thread.sleep(Math.max(0, OUTAGE.toMillis() - ChildJvm.since(down).toMillis()));
        assertThat(processor.alive()).as("the processor survives the outage:\n" + processor.tail(3000)).isTrue();
        registry = SchemaRegistryServer.start(kafka.bootstrapServers(), "127.0.0.1", registryPort,
            SchemaRegistryServer.DEFAULT_TOPIC);

        publish(producer, 2 * PER_PHASE);
        FaultTopics.awaitCommitted(kafka.bootstrapServers(), "sketches", 3 * PER_PHASE, processor);
        final List<String> keys = keys(kafka, "sketches");
        assertThat(keys).hasSize(3 * PER_PHASE);
        assertThat(new HashSet<>(keys)).hasSize(3 * PER_PHASE);
        assertThat(keys(kafka, "activations-dlq")).as("dead-lettered").isEmpty();
      } finally {
        processor.close();
        registry.close();
        ChildJvm.keepLog(log, "RegistryOutageTest.log");
      }
    }
  }

  private static KafkaProducer<String, ModuleActivation> producer(final EmbeddedKafka kafka, final int registryPort)
      throws Exception {
    final KafkaProducer<String, ModuleActivation> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
        new StringSerializer(), AvroSerdes.specific(ModuleActivation.class,
            Map.of("schema.registry.url", "http://127.0.0.1:" + registryPort), false).serializer());
    return producer;
  }

  /** {@link #PER_PHASE} inferences from number {@code first}: a scene root with one cat input each. */
  private static void publish(final KafkaProducer<String, ModuleActivation> producer, final int first)
      throws Exception {
    for (int i = first; i < first + PER_PHASE; i++) {
      final String id = "r-" + i;
      producer.send(RECORDS.activation(id, id + "-cat", "cat", List.of(), false, i));
      producer.send(RECORDS.activation(id, id + "-root", "scene", List.of(id + "-cat"), true, i));
    }
    producer.flush();
  }




  /** The keys of every committed record of {@code topic}. */
  private static List<String> keys(final EmbeddedKafka kafka, final String topic) {
    return FaultTopics.keys(kafka.bootstrapServers(), topic, true);
  }

}
