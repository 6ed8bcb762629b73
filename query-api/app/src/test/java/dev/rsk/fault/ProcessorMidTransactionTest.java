package dev.rsk.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.avro.ModuleActivation;
import dev.rsk.kafka.EmbeddedKafka;
import dev.rsk.processor.ProcessorConfig;
import dev.rsk.processor.ProcessorTopology;
import dev.rsk.registry.server.SchemaRegistryServer;
import dev.rsk.serde.AvroSerdes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 (d): {@code rsk processor} (a child JVM, exactly-once) SIGKILLed in the middle of a transaction, with
 * inferences proven to straddle a commit. Proven, not assumed:
 * <ul>
 *   <li>the straddlers' first objects are in the pending store's changelog under read_committed before the kill
 *       (their state was committed), and their roots are sent only after it;</li>
 *   <li>right after the kill the broker holds an ongoing transaction of the processor (it died inside one: its
 *       writes are neither committed nor aborted yet).</li>
 * </ul>
 * After a restart on the same state directory every inference is on {@code sketches} exactly once under
 * read_committed, complete, the straddlers with both their objects, and nothing is dead-lettered. The commit
 * interval is raised to 1 s so that the input stream keeps a transaction open most of the time.
 */
@Tag("long")
@Tag("fault")
class ProcessorMidTransactionTest {

  static final int BEFORE = 300;
  static final int DURING = 1_500;
  static final int STRADDLING = 10;
  static final FaultRecords RECORDS = new FaultRecords(Instant.parse("2026-04-01T00:00:00Z"), "mid-transaction");
  static final String PENDING_CHANGELOG =
      ProcessorConfig.DEFAULT_APPLICATION_ID + "-" + ProcessorTopology.PENDING_STORE + "-changelog";

  @TempDir Path dir;

  @Test
  void killedInsideATransactionEveryInferenceIsSketchedOnceAndTheStraddlersComplete() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
      final String bootstrap = kafka.bootstrapServers();
      final int registryPort = ChildJvm.freePort();
      final SchemaRegistryServer registry = SchemaRegistryServer.start(bootstrap, registryPort);
      for (final String topic : List.of("activations", "sketches", "activations-dlq")) {
        kafka.createTopic(topic, 4, Map.of());
      }
      final Path config = Files.writeString(dir.resolve("processor.properties"), String.join("\n",
          "kafka.bootstrap.servers=" + bootstrap,
          "kafka.schema.registry.url=http://127.0.0.1:" + registryPort,
          "kafka.state.dir=" + dir.resolve("state"),
          "kafka.commit.interval.ms=1000",
          "rsk.ready.file=" + dir.resolve("ready"),
          ""));
      final Path log = dir.resolve("processor.log");
      ChildJvm processor = ChildJvm.rsk(log, Map.of(), "processor", "--config", config.toString());
      try (KafkaProducer<String, ModuleActivation> producer = producer(bootstrap, registryPort)) {
        processor.awaitFile(dir.resolve("ready"));
        for (int i = 0; i < BEFORE; i++) {
          RECORDS.sceneWithACatEveryThird(producer, "b-" + i, i);
        }
        for (int i = 0; i < STRADDLING; i++) {
          producer.send(RECORDS.activation("s-" + i, "s-" + i + "-cat", "cat", List.of(), false, i));
        }
        producer.flush();
        FaultTopics.awaitCommitted(bootstrap, "sketches", BEFORE, processor);
        Awaitility.await("the straddlers' objects committed in " + PENDING_CHANGELOG).atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500)).until(() -> committedPending(bootstrap) == STRADDLING);

        final AtomicInteger sent = new AtomicInteger();
        final Thread publisher = new Thread(() -> {
          for (int i = 0; i < DURING; i++) {
            RECORDS.sceneWithACatEveryThird(producer, "d-" + i, BEFORE + i);
            sent.incrementAndGet();
            if (i % 2 == 0) {
              sleep(10); // about 200 inferences/s: the stream outlasts the kill and keeps a transaction open
            }
          }
        }, "publisher");
        publisher.start();
        FaultTopics.awaitCommitted(bootstrap, "sketches", BEFORE + 200, processor);
        // Kill while sketches of an open transaction are on the log (a partition's high watermark beyond its
        // last stable offset): with a 1 s commit interval it stays open for the few ms until the kill.
        final List<TransactionDescription> open;
        try (Admin admin = FaultTopics.admin(bootstrap)) {
          Awaitility.await("sketches of an open transaction on the log").atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(10)).until(() -> openTransactionOnSketches(admin));
          processor.kill();
          open = ongoing(admin);
        }
        final int committedAtKill = FaultTopics.keys(bootstrap, "sketches", true).size();
        final int writtenAtKill = FaultTopics.keys(bootstrap, "sketches", false).size();
        System.out.printf("ProcessorMidTransactionTest: killed -9 after %d of %d inferences sent: %d sketches"
            + " committed, %d written; open transactions %s%n", sent.get(), DURING, committedAtKill, writtenAtKill,
            open);
        assertThat(open).as("an open transaction of the processor at the kill").isNotEmpty();
        assertThat(writtenAtKill).as("sketches of the open transaction on the log").isGreaterThan(committedAtKill);
        assertThat(committedAtKill).isBetween(BEFORE + 200, BEFORE + DURING - 1);

        for (int i = 0; i < STRADDLING; i++) {
          producer.send(
              RECORDS.activation("s-" + i, "s-" + i + "-root", "scene", List.of("s-" + i + "-cat"), true, i));
        }
        processor = ChildJvm.rsk(log, Map.of(), "processor", "--config", config.toString());
        publisher.join(TimeUnit.MINUTES.toMillis(5));
        producer.flush();
        final int total = BEFORE + DURING + STRADDLING;
        FaultTopics.awaitCommitted(bootstrap, "sketches", total, processor);

        final List<ConsumerRecord<String, byte[]>> sketches = FaultTopics.read(bootstrap, "sketches", true);
        assertThat(sketches).hasSize(total);
        assertThat(new HashSet<>(sketches.stream().map(ConsumerRecord::key).toList())).hasSize(total);
        final var deserializer = AvroSerdes.specific(InferenceSketch.class,
            Map.of("schema.registry.url", "http://127.0.0.1:" + registryPort), false).deserializer();
        int straddlers = 0;
        for (final ConsumerRecord<String, byte[]> r : sketches) {
          final InferenceSketch s = deserializer.deserialize("sketches", r.value());
          assertThat(s.getComplete()).as(r.key()).isTrue();
          if (r.key().startsWith("s-")) {
            straddlers++;
            assertThat(s.getModuleCounts()).as(r.key()).containsEntry("cat", 1).containsEntry("scene", 1);
          }
        }
        assertThat(straddlers).isEqualTo(STRADDLING);
        assertThat(FaultTopics.keys(bootstrap, "activations-dlq", true)).as("dead-lettered").isEmpty();
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(e.getMessage() + "\n--- processor log tail ---\n" + processor.tail(4000), e);
      } finally {
        processor.close();
        registry.close();
        ChildJvm.keepLog(log, "ProcessorMidTransactionTest.log");
      }
    }
  }

  /** Straddlers' objects held in the pending store, as committed to its changelog (puts not yet deleted). */
  private static long committedPending(final String bootstrap) {
    final Map<String, Boolean> live = new java.util.HashMap<>();
    for (final ConsumerRecord<String, byte[]> r : FaultTopics.read(bootstrap, PENDING_CHANGELOG, true)) {
      live.put(r.key(), r.value() != null);
    }
    int n = 0;
    for (int i = 0; i < STRADDLING; i++) {
      final String object = "s-" + i + "-cat";
      if (live.entrySet().stream().anyMatch(e -> e.getValue() && e.getKey().endsWith(object))) {
        n++;
      }
    }
    return n;
  }

  /**
   * Whether a partition of {@code sketches} holds records of a transaction not yet ended: its high watermark,
   * read first, is beyond its last stable offset (a commit between the two reads gives false, never a false
   * true).
   */
  private static boolean openTransactionOnSketches(final Admin admin) throws Exception {
    final Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
    for (int p = 0; p < 4; p++) {
      latest.put(new TopicPartition("sketches", p), OffsetSpec.latest());
    }
    final var high = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all()
        .get(15, TimeUnit.SECONDS);
    final var stable = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
        .get(15, TimeUnit.SECONDS);
    return latest.keySet().stream().anyMatch(tp -> high.get(tp).offset() > stable.get(tp).offset());
  }

  /** The processor's transactions the broker holds open (neither committed nor aborted). */
  private static List<TransactionDescription> ongoing(final Admin admin) throws Exception {
    final List<String> ids = admin.listTransactions().all().get(15, TimeUnit.SECONDS).stream()
        .map(TransactionListing::transactionalId)
        .filter(id -> id.startsWith(ProcessorConfig.DEFAULT_APPLICATION_ID)).toList();
    return admin.describeTransactions(ids).all().get(15, TimeUnit.SECONDS).values().stream()
        .filter(d -> d.state() == TransactionState.ONGOING).toList();
  }

  private static KafkaProducer<String, ModuleActivation> producer(final String bootstrap, final int registryPort) {
    return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(),
        AvroSerdes.specific(ModuleActivation.class, Map.of("schema.registry.url", "http://127.0.0.1:" + registryPort),
            false).serializer());
  }





  private static void sleep(final long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
