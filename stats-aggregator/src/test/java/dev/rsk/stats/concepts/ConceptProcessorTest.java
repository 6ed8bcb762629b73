package dev.rsk.stats.concepts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.avro.ConceptEvent;
import dev.rsk.avro.ConceptEventKind;
import dev.rsk.registry.InMemorySchemaRegistryClient;
import dev.rsk.serde.AvroSerdes;
import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.streams.CommitHookStore;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The concept processor alone, on Kafka Streams' own test contexts and real in-memory stores: which changes it
 * publishes and when (EMERGED at once with the member's event time, GREW and FADED at the punctuation, FADED by
 * the key's newest event time), what it writes to its store at a commit (the key entry with origin and spec, the
 * changed clusters, deletions of evicted ones), and what it reloads at init and when uncommitted work is
 * discarded. Members of one kind share one axis, so which sketches belong together is known by construction.
 * Params: join 0.5, 2 members within 10 ms, warm-up 100 ms, fade after 50 ms, 2 clusters, 2 exemplars.
 */
class ConceptProcessorTest {

  private static final SketchSpec SPEC = SketchSpec.of(128, 5L, 0.5, 0.5);
  private static final long T = 1_000_000L;
  private static final ConceptParams PARAMS = new ConceptParams(0.5, 2, Duration.ofMillis(10),
      Duration.ofMillis(100), Duration.ofMillis(50), 2, 2);
  private static final Serde<ConceptEvent> SERDE = AvroSerdes.specific(ConceptEvent.class,
      new InMemorySchemaRegistryClient(), false);
  private static final ConceptConfig CONFIG = new ConceptConfig("concepts", SERDE, PARAMS, Duration.ofSeconds(1));

  private TopologyTestDriver driver;

  @AfterEach
  void close() {
    if (driver != null) {
      driver.close();
    }
  }

  private static byte[] input(final String id, final long t, final int axis) {
    final float[] v = new float[SPEC.d()];
    v[axis] = 1f;
    return ConceptInput.of(id, t, new Sketch(SPEC, v)).encode();
  }

  /** The processor on a mock context with an in-memory cluster store holding {@code stored}. */
  private static final class Mocked {
    final MockProcessorContext<String, ConceptEvent> ctx = new MockProcessorContext<>();
    final KeyValueStore<String, byte[]> store = Stores.keyValueStoreBuilder(
        Stores.inMemoryKeyValueStore(ConceptStores.CLUSTERS), Serdes.String(), Serdes.ByteArray())
        .withLoggingDisabled().build();
    final CommitHookStore hook = new CommitHookStore(ConceptStores.COMMIT_HOOK);
    final ConceptProcessor processor = new ConceptProcessor(CONFIG);

    Mocked(final List<KeyValue<String, byte[]>> stored) {
      store.init(ctx.getStateStoreContext(), store);
      stored.forEach(kv -> store.put(kv.key, kv.value));
      ctx.addStateStore(store);
      ctx.addStateStore(hook);
      processor.init(ctx);
    }

    void send(final String key, final String id, final long t, final int axis) {
      processor.process(new Record<>(key, input(id, t, axis), t));
    }

    /** Runs the wall-clock punctuation; returns and forgets what was forwarded since the last call. */
    List<Record<String, ConceptEvent>> publish() {
      assertThat(ctx.scheduledPunctuators()).singleElement().satisfies(p -> {
        assertThat(p.getInterval()).isEqualTo(Duration.ofSeconds(1));
        p.getPunctuator().punctuate(0L);
      });
      return forwarded();
    }

    List<Record<String, ConceptEvent>> forwarded() {
      final List<Record<String, ConceptEvent>> out = new ArrayList<>();
      ctx.forwarded().forEach(f -> out.add(new Record<>(f.record().key(), f.record().value(),
          f.record().timestamp())));
      ctx.resetForwards();
      return out;
    }
  }

  private static void assertEvent(final Record<String, ConceptEvent> r, final ConceptEventKind kind,
      final String key, final String firstMember, final long size, final long timestamp) {
    assertThat(r.key()).isEqualTo(MicroCluster.id(key, firstMember));
    assertThat(r.value().getConceptId()).isEqualTo(r.key());
    assertThat(r.value().getKind()).isEqualTo(kind);
    assertThat(r.value().getSpecKey()).isEqualTo(key);
    assertThat(r.value().getFirstMember()).isEqualTo(firstMember);
    assertThat(r.value().getSize()).isEqualTo(size);
    assertThat(r.value().getD()).isEqualTo(128);
    assertThat(r.value().getSeed()).isEqualTo(5L);
    assertThat(r.timestamp()).isEqualTo(timestamp);
  }

  @Test
  void emergedAtOnceGrewAtThePunctuationOnlyForConceptsAndOnce() {
    final Mocked m = new Mocked(List.of());
    m.send("k", "b1", T, 0);
    m.send("k", "b2", T + 1, 0); // baseline
    m.send("k", "n1", T + 200, 1);
    assertThat(m.forwarded()).isEmpty();
    m.send("k", "n2", T + 205, 1); // the 2nd member within 10 ms: a concept, published at once
    assertThat(m.forwarded()).singleElement()
        .satisfies(r -> assertEvent(r, ConceptEventKind.EMERGED, "k", "n1", 2, T + 205));
    // the emerging member itself is no growth
    assertThat(m.publish()).isEmpty();
    m.send("k", "n3", T + 230, 1);
    m.send("k", "n4", T + 220, 1); // late: the last member time stays 230
    m.send("k", "b3", T + 231, 0); // the baseline grows: never published
    assertThat(m.forwarded()).isEmpty();
    assertThat(m.publish()).singleElement()
        .satisfies(r -> assertEvent(r, ConceptEventKind.GREW, "k", "n1", 4, T + 230));
    assertThat(m.publish()).isEmpty();
  }

  @Test
  void aConceptFadesByItsKeysNewestEventTimeAndGrowsAgainWhenRevived() {
    final Mocked m = new Mocked(List.of());
    m.send("k", "b1", T, 0);
    m.send("k", "n1", T + 200, 1);
    m.send("k", "n2", T + 201, 1);
    assertThat(m.forwarded()).hasSize(1);
    // the key's newest time 251: the concept's last member (201) is not older than 251 - 50
    m.send("k", "b2", T + 251, 0);
    // another key's time does not count
    m.send("other", "o1", T + 10_000, 2);
    assertThat(m.publish()).isEmpty();
    m.send("k", "b3", T + 252, 0);
    m.send("k", "b4", T + 100, 0); // late: the newest time stays 252
    assertThat(m.publish()).singleElement()
        .satisfies(r -> assertEvent(r, ConceptEventKind.FADED, "k", "n1", 2, T + 252));
    assertThat(m.publish()).isEmpty();
    m.send("k", "n3", T + 300, 1); // revived
    assertThat(m.forwarded()).isEmpty();
    assertThat(m.publish()).singleElement()
        .satisfies(r -> assertEvent(r, ConceptEventKind.GREW, "k", "n1", 3, T + 300));
  }

  @Test
  void anUnreadableInputIsSkipped() {
    final Mocked m = new Mocked(List.of());
    m.processor.process(new Record<>("k", new byte[] {9, 9}, T));
    m.send("k", "n1", T + 200, 1);
    m.send("k", "n2", T + 201, 1);
    // had the bad record set the origin or a spec, it would not matter; the key starts at n1: all baseline
    assertThat(m.forwarded()).isEmpty();
    assertThat(m.publish()).isEmpty();
  }

  private static byte[] meta(final long origin) {
    return ByteBuffer.allocate(40).putLong(origin).putInt(SPEC.d()).putLong(SPEC.seed()).putDouble(SPEC.alpha())
        .putDouble(SPEC.beta()).putInt(SPEC.schemeVersion()).array();
  }

  /** A concept of key k on axis 1, emerged, last member at {@code T + 201}, as it was stored. */
  private static MicroCluster storedConcept() {
    final ConceptClusters c = new ConceptClusters("k", PARAMS, T, List.of());
    final float[] v = new float[SPEC.d()];
    v[1] = 1f;
    c.add("n1", T + 200, new Sketch(SPEC, v));
    final MicroCluster m = c.add("n2", T + 201, new Sketch(SPEC, v)).cluster();
    assertThat(m.state()).isEqualTo(ConceptState.EMERGED);
    return m;
  }

  @Test
  void atInitTheStoredKeysAndClustersAreLoaded() {
    final MicroCluster concept = storedConcept();
    final Mocked m = new Mocked(List.of(KeyValue.pair("k\0", meta(T)),
        KeyValue.pair("k\0" + concept.id(), concept.encode())));
    // the loaded origin T: a cluster born at T + 150 is past the warm-up, so it is a concept (with a fresh
    // origin at its first member it would be baseline); 2 clusters is the maximum, the loaded concept stays
    m.send("k", "x1", T + 160, 2);
    assertThat(m.forwarded()).isEmpty();
    m.send("k", "x2", T + 161, 2);
    assertThat(m.forwarded()).singleElement()
        .satisfies(r -> assertEvent(r, ConceptEventKind.EMERGED, "k", "x1", 2, T + 161));
    // the loaded concept grows (and neither concept is older than the newest time 205 - 50)
    m.send("k", "n3", T + 205, 1);
    assertThat(m.publish()).singleElement()
        .satisfies(r -> assertEvent(r, ConceptEventKind.GREW, "k", "n1", 3, T + 205));
  }

  @Test
  void theKeysNewestTimeIsLoadedFromItsClusters() {
    final MicroCluster concept = storedConcept();
    // a second stored cluster of the key, last seen at T + 300: the concept (201) is past 300 - 50
    final ConceptClusters other = new ConceptClusters("k", PARAMS, T, List.of());
    final float[] v = new float[SPEC.d()];
    v[3] = 1f;
    final MicroCluster later = other.add("y", T + 300, new Sketch(SPEC, v)).cluster();
    final Mocked m = new Mocked(List.of(KeyValue.pair("k\0", meta(T)),
        KeyValue.pair("k\0" + concept.id(), concept.encode()), KeyValue.pair("k\0" + later.id(), later.encode())));
    assertThat(m.publish()).singleElement()
        .satisfies(r -> assertEvent(r, ConceptEventKind.FADED, "k", "n1", 2, T + 300));
  }

  @Test
  void discardedWorkIsForgottenAndReplayedFromTheStore() {
    final Mocked m = new Mocked(List.of());
    m.send("k", "b1", T, 0);
    m.send("k", "n1", T + 200, 1);
    m.send("k", "n2", T + 201, 1);
    m.send("k", "n3", T + 202, 1);
    assertThat(m.forwarded()).hasSize(1);
    // nothing was committed: the task's uncommitted work is discarded, and the inputs come again
    m.hook.clearCache();
    m.send("k", "b1", T, 0);
    m.send("k", "n1", T + 200, 1);
    m.send("k", "n2", T + 201, 1);
    assertThat(m.forwarded()).singleElement()
        .satisfies(r -> assertEvent(r, ConceptEventKind.EMERGED, "k", "n1", 2, T + 201));
    // the growth by n3 was discarded with the rest: nothing grew since the (new) emergence
    assertThat(m.publish()).isEmpty();
    m.processor.close();
  }

  // ---- the commit: TopologyTestDriver commits after each input, running the commit hook ----

  private TestInputTopic<String, byte[]> drive() {
    final Topology topology = new Topology();
    topology.addSource("in", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), "in");
    topology.addProcessor("p", () -> new ConceptProcessor(CONFIG), "in");
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(ConceptStores.CLUSTERS),
        Serdes.String(), Serdes.ByteArray()).withLoggingDisabled(), "p");
    topology.addStateStore(CommitHookStore.builder(ConceptStores.COMMIT_HOOK), "p");
    topology.addSink("out", "concepts", Serdes.String().serializer(), SERDE.serializer(), "p");
    final Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "concept-processor-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    driver = new TopologyTestDriver(topology, props);
    return driver.createInputTopic("in", Serdes.String().serializer(), Serdes.ByteArray().serializer());
  }

  private List<KeyValue<String, byte[]>> stored() {
    final KeyValueStore<String, byte[]> store = driver.getKeyValueStore(ConceptStores.CLUSTERS);
    final List<KeyValue<String, byte[]>> out = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> it = store.all()) {
      it.forEachRemaining(out::add);
    }
    return out;
  }

  @Test
  void eachCommitWritesTheKeyEntryAndTheChangedClustersAndDeletesEvictedOnes() {
    final TestInputTopic<String, byte[]> in = drive();
    in.pipeInput("k", input("a1", T + 10, 0), T + 10);
    final String a = MicroCluster.id("k", "a1");
    List<KeyValue<String, byte[]>> s = stored();
    assertThat(s).extracting(kv -> kv.key).containsExactlyInAnyOrder("k\0", "k\0" + a);
    assertThat(s.stream().filter(kv -> kv.key.equals("k\0")).findFirst().orElseThrow().value)
        .isEqualTo(meta(T + 10));
    // an earlier sketch moves the origin: the key entry is rewritten
    in.pipeInput("k", input("a2", T, 0), T);
    final KeyValueStore<String, byte[]> store = driver.getKeyValueStore(ConceptStores.CLUSTERS);
    assertThat(store.get("k\0")).isEqualTo(meta(T));
    assertThat(MicroCluster.decode(store.get("k\0" + a)).size()).isEqualTo(2);
    // another key: its own entries
    in.pipeInput("j", input("j1", T + 5, 0), T + 5);
    assertThat(stored()).extracting(kv -> kv.key)
        .containsExactlyInAnyOrder("k\0", "k\0" + a, "j\0", "j\0" + MicroCluster.id("j", "j1"));
    // a1 and a2 (10 ms apart, born in the warm-up) made a baseline. k: a second kind (2 clusters: the
    // maximum), then a third evicts the forming one (b), although the baseline was seen earlier
    in.pipeInput("k", input("b1", T + 20, 1), T + 20);
    assertThat(store.get("k\0" + MicroCluster.id("k", "b1"))).isNotNull();
    in.pipeInput("k", input("c1", T + 30, 2), T + 30);
    s = stored();
    assertThat(s).extracting(kv -> kv.key).containsExactlyInAnyOrder("k\0", "k\0" + a,
        "k\0" + MicroCluster.id("k", "c1"), "j\0", "j\0" + MicroCluster.id("j", "j1"));
    assertThat(MicroCluster.decode(store.get("k\0" + a)).state()).isEqualTo(ConceptState.BASELINE);
    assertThat(MicroCluster.decode(store.get("k\0" + MicroCluster.id("k", "c1"))).size()).isEqualTo(1);
    assertThat(store.get("k\0")).isEqualTo(meta(T));
  }
}
