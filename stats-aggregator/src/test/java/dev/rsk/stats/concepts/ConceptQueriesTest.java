package dev.rsk.stats.concepts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rsk.avro.ConceptEvent;
import dev.rsk.avro.ConceptEventKind;
import dev.rsk.registry.InMemorySchemaRegistryClient;
import dev.rsk.serde.AvroSerdes;
import dev.rsk.stats.StatsConfig;
import dev.rsk.stats.StatsTopology;
import dev.rsk.stats.query.StoreUnavailableException;
import dev.rsk.stats.serde.StatsSerdes;
import dev.rsk.stats.testing.DriverProps;
import dev.rsk.stats.testing.DriverStores;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ConceptQueries over the real concept view (the global store the concepts topic feeds) of a TopologyTestDriver:
 * the events sent on the topic are what it answers, the latest per concept, a tombstone removing one.
 */
class ConceptQueriesTest {

  private static final Instant T = Instant.parse("2026-03-01T00:00:00Z");

  @TempDir Path stateDir;
  private final Serde<ConceptEvent> serde =
      AvroSerdes.specific(ConceptEvent.class, new InMemorySchemaRegistryClient(), false);
  private TopologyTestDriver driver;
  private TestInputTopic<String, ConceptEvent> concepts;
  private DriverStores stores;

  @BeforeEach
  void open() {
    final StatsConfig stats = StatsConfig.defaults(StatsSerdes.inferenceSketchBinary());
    final ConceptConfig config = new ConceptConfig("concepts", serde, ConceptParams.DEFAULTS, Duration.ofSeconds(2));
    driver = new TopologyTestDriver(StatsTopology.buildTopology(stats, new SimpleMeterRegistry(), config),
        DriverProps.withDeadLetters("concept-queries", stateDir));
    concepts = driver.createInputTopic("concepts", new StringSerializer(), serde.serializer());
    stores = new DriverStores(Map.of(0, driver));
  }

  @AfterEach
  void close() {
    driver.close();
  }

  private static ConceptEvent event(final String id, final ConceptEventKind kind, final long size) {
    return ConceptEvent.newBuilder().setConceptId(id).setKind(kind).setSpecKey("64;1").setD(64).setSeed(1L)
        .setAlpha(0.5).setBeta(0.5).setSchemeVersion(1).setFirstMember(id + "-m0").setFirstSeen(T)
        .setLastSeen(T.plusSeconds(size)).setEmergedAt(T.plusSeconds(1)).setSize(size).setDaily(List.of())
        .setHours(List.of()).setExemplars(List.of()).setCentroid(ByteBuffer.wrap(new byte[] {1, 2})).build();
  }

  @Test
  void allAndGetAnswerTheLatestEventOfEachConcept() {
    final ConceptQueries q = new ConceptQueries(stores, Duration.ofSeconds(5));
    assertThat(q.all()).isEmpty();
    assertThat(q.get("c1")).isEmpty();

    concepts.pipeInput("c1", event("c1", ConceptEventKind.EMERGED, 12));
    concepts.pipeInput("c2", event("c2", ConceptEventKind.EMERGED, 15));
    concepts.pipeInput("c1", event("c1", ConceptEventKind.GREW, 20));

    assertThat(q.get("c1")).hasValueSatisfying(e -> {
      assertThat(e.getKind()).isEqualTo(ConceptEventKind.GREW);
      assertThat(e.getSize()).isEqualTo(20);
      assertThat(e.getFirstMember()).isEqualTo("c1-m0");
      assertThat(e.getLastSeen()).isEqualTo(T.plusSeconds(20));
    });
    assertThat(q.get("c2").map(ConceptEvent::getSize)).contains(15L);
    assertThat(q.get("c3")).isEmpty();
    assertThat(q.all()).extracting(ConceptEvent::getConceptId, ConceptEvent::getSize)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("c1", 20L),
            org.assertj.core.groups.Tuple.tuple("c2", 15L));

    concepts.pipeInput("c1", (ConceptEvent) null);
    assertThat(q.get("c1")).isEmpty();
    assertThat(q.all()).extracting(ConceptEvent::getConceptId).containsExactly("c2");
    // the view is read as one global store: no partition asked
    assertThat(stores.requests()).allSatisfy(p -> {
      assertThat(p.storeName()).isEqualTo(ConceptStores.VIEW);
      assertThat(p.partition()).isNull();
    });
  }

  @Test
  void aViewStillRestoringIsRetriedThenUnavailableAfterTheWait() {
    concepts.pipeInput("c1", event("c1", ConceptEventKind.EMERGED, 12));
    stores.failNext(2);
    assertThat(new ConceptQueries(stores, Duration.ofSeconds(5)).get("c1")).isPresent();
    assertThat(stores.requests()).hasSize(3);

    final DriverStores never = new DriverStores(Map.of(0, driver)).unavailable(ConceptStores.VIEW);
    final ConceptQueries q = new ConceptQueries(never, Duration.ofMillis(300));
    final long start = System.nanoTime();
    assertThatThrownBy(q::all).isInstanceOfSatisfying(StoreUnavailableException.class, e -> {
      assertThat(e.store()).isEqualTo(ConceptStores.VIEW);
      assertThat(e.partition()).isEqualTo(-1);
      assertThat(e.getCause()).isInstanceOf(InvalidStateStoreException.class);
    });
    final long waitedMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(waitedMs).isGreaterThanOrEqualTo(300).isLessThan(3_000);
    assertThat(never.requests()).hasSizeBetween(3, 8); // a try every 50 ms or so, not a busy loop
  }

  @Test
  void anInterruptWhileWaitingEndsTheWaitAndKeepsTheInterrupt() {
    final DriverStores never = new DriverStores(Map.of(0, driver)).unavailable(ConceptStores.VIEW);
    final ConceptQueries q = new ConceptQueries(never, Duration.ofSeconds(10));
    Thread.currentThread().interrupt();
    try {
      final long start = System.nanoTime();
      assertThatThrownBy(() -> q.get("c1")).isInstanceOfSatisfying(StoreUnavailableException.class,
          e -> assertThat(e.getCause()).isInstanceOf(InterruptedException.class));
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    assertThat(never.requests()).hasSize(1);
  }
}
