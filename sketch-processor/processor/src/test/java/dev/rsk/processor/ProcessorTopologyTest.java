package dev.rsk.processor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.avro.ModuleActivation;
import dev.rsk.avro.ModuleInput;
import dev.rsk.processor.testing.ActivationDag;
import dev.rsk.registry.InMemorySchemaRegistryClient;
import dev.rsk.serde.AvroSerdes;
import dev.rsk.registry.UnknownSchemaIdException;
import dev.rsk.serde.WrongMagicByteException;
import dev.rsk.sketch.ObjectDag;
import dev.rsk.sketch.RecursiveSketcher;
import dev.rsk.sketch.SketchSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every processing rule of the topology, with the real engine and serdes over an in-memory registry. */
class ProcessorTopologyTest {
  private static final SketchSpec SPEC = SketchSpec.of(256, 42L, 0.5, 0.5);
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  @TempDir Path stateDir;

  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
  private final Serde<ModuleActivation> activationSerde = AvroSerdes.specific(ModuleActivation.class, registry, false);
  private final Serde<InferenceSketch> sketchSerde = AvroSerdes.specific(InferenceSketch.class, registry, false);
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private TopologyTestDriver driver;
  private TestInputTopic<String, ModuleActivation> in;
  private TestInputTopic<byte[], byte[]> rawIn;
  private TestOutputTopic<String, InferenceSketch> out;
  private TestOutputTopic<byte[], byte[]> dlq;
  private ProcessorConfig config;

  private void start(final ProcessorConfig.Builder b) {
    config = b.spec(SPEC).gap(Duration.ofSeconds(10)).wallClockGap(Duration.ofSeconds(60)).build();
    final Properties props = config.streamsProperties();
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver = new TopologyTestDriver(ProcessorTopology.buildTopology(config, registry, meters), props, T0);
    in = driver.createInputTopic(config.activationsTopic(), new StringSerializer(), activationSerde.serializer());
    rawIn = driver.createInputTopic(config.activationsTopic(), new ByteArraySerializer(), new ByteArraySerializer());
    out = driver.createOutputTopic(config.sketchesTopic(), new StringDeserializer(), sketchSerde.deserializer());
    dlq = driver.createOutputTopic(config.dlqTopic(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private void start() {
    start(ProcessorConfig.builder());
  }

  @AfterEach
  void close() {
    if (driver != null) {
      driver.close();
    }
  }

  private static ActivationDag smallDag(final String id) {
    // s -> (c1, c2), c1 -> e, c2 -> e: e is shared by two parents.
    return ActivationDag.builder(id).eventTime(T0).source("cam-1")
        .root("s", "scene", new float[] {1f, 2f}, "c1", "c2")
        .object("c1", "cat", new float[] {0.5f, -1f, 3f}, "e")
        .object("c2", "dog", new float[] {2f, 0f, -0.5f}, "e")
        .object("e", "eye", new float[] {0.25f})
        .build();
  }

  private void send(final ModuleActivation a, final Instant t) {
    in.pipeInput(a.getInferenceId(), a, t);
  }

  private static float[] vector(final InferenceSketch s) {
    final float[] v = new float[s.getVector().size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = s.getVector().get(i);
    }
    return v;
  }

  private static float[] expected(final ObjectDag dag) {
    return new RecursiveSketcher(SPEC).sketch(dag).vector();
  }

  private static String header(final TestRecord<byte[], byte[]> r, final String name) {
    return DeadLetters.header(r.headers(), name);
  }

  private double counter(final String name, final String... tags) {
    return meters.get(name).tags(tags).counter().count();
  }

  @Test
  void everyArrivalOrderOfASmallDagGivesTheEnginesSketch() {
    start();
    final float[] engine = expected(smallDag("x").objectDag());
    final List<List<ModuleActivation>> orders = permutations(smallDag("x").activations());
    assertThat(orders).hasSize(24);
    for (int p = 0; p < orders.size(); p++) {
      final String id = "perm-" + p;
      for (final ModuleActivation a : orders.get(p)) {
        final ModuleActivation copy = ModuleActivation.newBuilder(a).setInferenceId(id).build();
        assertThat(out.isEmpty()).as("no sketch before the last object of %s", id).isTrue();
        send(copy, T0);
      }
      final List<org.apache.kafka.streams.KeyValue<String, InferenceSketch>> sketches = out.readKeyValuesToList();
      assertThat(sketches).hasSize(1);
      final InferenceSketch s = sketches.get(0).value;
      assertThat(sketches.get(0).key).isEqualTo(id);
      assertThat(s.getInferenceId()).isEqualTo(id);
      assertThat(vector(s)).as("order %d", p).containsExactly(engine);
      assertThat(s.getComplete()).isTrue();
      assertThat(s.getMissingInputs()).isZero();
      assertThat(s.getObjectCount()).isEqualTo(4);
      assertThat(s.getModuleCounts()).containsEntry("cat", 1).containsEntry("eye", 1).containsEntry("scene", 1);
      assertThat(s.getAttributeLengths()).containsEntry("cat", 3).containsEntry("eye", 1).containsEntry("scene", 2);
      assertExactAttributeSums(s, orders.get(p));
      assertThat(s.getSource()).isEqualTo("cam-1");
      assertThat(s.getEventTime()).isEqualTo(T0);
      assertThat(s.getParams().getD()).isEqualTo(SPEC.d());
      assertThat(s.getParams().getSeed()).isEqualTo(SPEC.seed());
      assertThat(s.getParams().getAlpha()).isEqualTo(SPEC.alpha());
      assertThat(s.getParams().getBeta()).isEqualTo(SPEC.beta());
      assertThat(s.getParams().getSchemeVersion()).isEqualTo(SPEC.schemeVersion());
      assertThat(s.getSketchedAt()).isAfterOrEqualTo(T0);
    }
    assertThat(dlq.isEmpty()).isTrue();
    assertThat(counter(ProcessorMetrics.SKETCHES_OUT, "complete", "true")).isEqualTo(24);
    assertThat(meters.get(ProcessorMetrics.EVENTS_IN).counter().count()).isEqualTo(96);
    assertThat(meters.get(ProcessorMetrics.PENDING).gauge().value()).isZero();
  }

  @Test
  void aLargeRandomDagInRandomOrderMatchesTheEngine() {
    start();
    final Random random = new Random(7);
    for (int i = 0; i < 20; i++) {
      final ActivationDag dag = ActivationDag.random("big-" + i, random, 15 + random.nextInt(30), T0);
      dag.shuffled(random).forEach(a -> send(a, T0));
      final InferenceSketch s = out.readValue();
      assertThat(vector(s)).containsExactly(expected(dag.objectDag()));
      assertThat(s.getObjectCount()).isEqualTo(dag.activations().size());
      assertExactAttributeSums(s, dag.activations());
    }
    assertThat(out.isEmpty()).isTrue();
  }

  @Test
  void incompleteInferencesArePersistedAtCommitAndFreedWhenSketched() {
    start();
    final List<ModuleActivation> events = smallDag("p").activations();
    send(events.get(0), T0);
    send(events.get(1), T0);
    final KeyValueStore<Bytes, byte[]> pending = driver.getKeyValueStore(ProcessorTopology.PENDING_STORE);
    // The driver commits after every record: the commit hook must have written both objects.
    assertThat(count(pending)).isEqualTo(2);
    assertThat(pending.get(PendingCodec.key("p", events.get(1).getObjectId()))).isNotNull();
    send(events.get(2), T0);
    send(events.get(3), T0);
    assertThat(out.readValue().getComplete()).isTrue();
    assertThat(count(pending)).isZero();
    final KeyValueStore<String, Integer> lengths = driver.getKeyValueStore(ProcessorTopology.MODULE_LENGTHS_STORE);
    assertThat(lengths.get("cat")).isEqualTo(3);
  }

  private static int count(final KeyValueStore<?, ?> store) {
    int n = 0;
    try (var it = store.all()) {
      while (it.hasNext()) {
        it.next();
        n++;
      }
    }
    return n;
  }

  @Test
  void duplicatesAreIdempotentAndConflictsGoToTheDlq() {
    start();
    final List<ModuleActivation> events = smallDag("d").activations();
    send(events.get(1), T0);
    send(events.get(1), T0); // identical redelivery before completion
    final ModuleActivation changed = ModuleActivation.newBuilder(events.get(1))
        .setAttributes(new ArrayList<>(List.of(9f, 9f, 9f))).build();
    send(changed, T0);
    events.forEach(a -> send(a, T0));
    send(events.get(2), T0); // identical redelivery after completion
    final ModuleActivation late = ModuleActivation.newBuilder(events.get(3)).setObjectId("late").build();
    send(late, T0);

    final List<InferenceSketch> sketches = out.readValuesToList();
    assertThat(sketches).hasSize(1);
    assertThat(vector(sketches.get(0))).containsExactly(expected(smallDag("d").objectDag()));
    final List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
    assertThat(dead).extracting(r -> header(r, DeadLetters.REASON))
        .containsExactly("DUPLICATE_CONFLICT", "LATE_EVENT");
    assertThat(dead.get(0).value()).isEqualTo(activationSerde.serializer().serialize("activations", changed));
    assertThat(counter(ProcessorMetrics.DUPLICATES)).isEqualTo(3); // one before completion, two after
  }

  @Test
  void aSecondRootIsRejected() {
    start();
    final List<ModuleActivation> events = smallDag("r2").activations();
    final ModuleActivation otherRoot = ModuleActivation.newBuilder(events.get(0)).setObjectId("s2").build();
    send(events.get(0), T0);
    send(otherRoot, T0);
    events.subList(1, 4).forEach(a -> send(a, T0));
    assertThat(out.readValuesToList()).hasSize(1);
    assertThat(header(dlq.readRecord(), DeadLetters.REASON)).isEqualTo("DUPLICATE_ROOT");
  }

  @Test
  void afterTheStreamTimeGapAnIncompleteInferenceIsSketchedFromWhatArrived() {
    start();
    final ActivationDag dag = smallDag("gap");
    final List<ModuleActivation> events = dag.activations();
    // Everything but the shared eye: c1 and c2 both miss their input.
    events.stream().filter(a -> !a.getObjectId().equals("e")).forEach(a -> send(a, T0));
    assertThat(out.isEmpty()).isTrue();
    // Another inference 11 s later advances stream time past the 10 s gap.
    smallDag("later").activations().forEach(a -> send(a, T0.plusSeconds(11)));
    final List<InferenceSketch> sketches = out.readValuesToList();
    assertThat(sketches).extracting(InferenceSketch::getInferenceId).containsExactlyInAnyOrder("later", "gap");
    final InferenceSketch s = sketches.stream().filter(x -> x.getInferenceId().equals("gap")).findFirst().get();
    assertThat(s.getComplete()).isFalse();
    assertThat(s.getObjectCount()).isEqualTo(3);
    final ObjectDag partial = ObjectDag.partial(
        dag.sketchObjects().stream().filter(o -> !o.id().equals("e")).toList(), "s");
    assertThat(s.getMissingInputs()).isEqualTo(partial.missingInputs()).isPositive();
    assertThat(vector(s)).containsExactly(expected(partial));
    assertThat(counter(ProcessorMetrics.SKETCHES_OUT, "complete", "false")).isEqualTo(1);
    // The missing eye arrives after the sketch: not lost, dead-lettered as late.
    send(events.stream().filter(a -> a.getObjectId().equals("e")).findFirst().get(), T0.plusSeconds(12));
    assertThat(header(dlq.readRecord(), DeadLetters.REASON)).isEqualTo("LATE_EVENT");
    assertThat(out.isEmpty()).isTrue();
  }

  @Test
  void aQuietTopicStillFlushesAfterTheWallClockGap() {
    start();
    final ActivationDag dag = smallDag("quiet");
    // No root: the sketch is made under a virtual root over the objects nobody uses as input.
    dag.activations().stream().filter(a -> !a.getRoot()).forEach(a -> send(a, T0));
    driver.advanceWallClockTime(Duration.ofSeconds(30));
    assertThat(out.isEmpty()).isTrue();
    driver.advanceWallClockTime(Duration.ofSeconds(31));
    final InferenceSketch s = out.readValue();
    assertThat(s.getComplete()).isFalse();
    assertThat(s.getObjectCount()).isEqualTo(3);
    final ObjectDag partial = ObjectDag.partial(
        dag.sketchObjects().stream().filter(o -> !o.id().equals("s")).toList(), null);
    assertThat(vector(s)).containsExactly(expected(partial));
    // The virtual root is not an object of the inference: no sums for it.
    assertExactAttributeSums(s, dag.activations().stream().filter(a -> !a.getRoot()).toList());
  }

  @Test
  void whileRecordsFlowTheWallClockGapWaitsAndAStraddlingInferenceIsSketchedOnceComplete() {
    start();
    final ActivationDag dag = smallDag("behind");
    dag.activations().stream().filter(a -> !a.getRoot()).forEach(a -> send(a, T0));
    // A backlog: other inferences keep arriving, every 500 ms of wall clock (the check runs every 1 s), for
    // 70 s (past the 60 s wall-clock gap), all at the same event time (stream time stays within the gap).
    for (int i = 0; i < 140; i++) {
      driver.advanceWallClockTime(Duration.ofMillis(500));
      smallDag("busy-" + i).activations().forEach(a -> send(a, T0));
    }
    assertThat(out.readValuesToList()).extracting(InferenceSketch::getInferenceId).hasSize(140)
        .doesNotContain("behind");
    dag.activations().stream().filter(ModuleActivation::getRoot).forEach(a -> send(a, T0));
    final List<InferenceSketch> last = out.readValuesToList();
    assertThat(last).extracting(InferenceSketch::getInferenceId).containsExactly("behind");
    assertThat(last.get(0).getComplete()).isTrue();
    // Once the partition is quiet, nothing is left to flush.
    driver.advanceWallClockTime(Duration.ofSeconds(61));
    assertThat(out.isEmpty()).isTrue();
  }

  @Test
  void theWallClockGapActsOnceThePartitionWasQuietForExactlyOneCheckInterval() {
    start(); // rsk.gap.check.ms 1000 (default): punctuations at T0 + 1 s, + 2 s, ...
    driver.advanceWallClockTime(Duration.ofMillis(500));
    final List<ModuleActivation> quiet = smallDag("first").activations().subList(1, 4); // no root
    quiet.forEach(a -> send(a, T0)); // first seen at T0 + 0.5 s
    driver.advanceWallClockTime(Duration.ofMillis(59_500)); // check at T0 + 60 s: 59.5 s old, kept
    assertThat(out.isEmpty()).isTrue();
    send(smallDag("other").activations().get(0), T0); // a record at T0 + 60 s
    driver.advanceWallClockTime(Duration.ofSeconds(1));
    // check at T0 + 61 s: the partition was quiet for 1 s (= rsk.gap.check.ms), "first" is 60.5 s old
    assertThat(out.readValuesToList()).extracting(InferenceSketch::getInferenceId).containsExactly("first");
  }

  @Test
  void thePendingGaugeCountsInferencesInFlightAndDropsWhenTheyAreSketchedOrTheTaskCloses() {
    start();
    final List<ModuleActivation> a = smallDag("a").activations();
    send(a.get(0), T0);
    send(a.get(1), T0);
    send(smallDag("b").activations().get(0), T0);
    assertThat(pendingGauge()).isEqualTo(2);
    a.subList(2, 4).forEach(e -> send(e, T0));
    assertThat(out.readValue().getInferenceId()).isEqualTo("a");
    assertThat(pendingGauge()).isEqualTo(1);
    driver.advanceWallClockTime(Duration.ofSeconds(61)); // "b" sketched incomplete by the wall-clock gap
    assertThat(out.readValue().getInferenceId()).isEqualTo("b");
    assertThat(pendingGauge()).isZero();
    send(smallDag("c").activations().get(0), T0);
    send(smallDag("d").activations().get(0), T0);
    assertThat(pendingGauge()).isEqualTo(2);
    driver.close(); // the task closes (a rebalance moves it, say): its inferences are no longer in flight here
    driver = null;
    assertThat(pendingGauge()).isZero();
  }

  private double pendingGauge() {
    return meters.get(ProcessorMetrics.PENDING).gauge().value();
  }

  @Test
  void theLatencyIsFromTheLastEventsRecordTimestampToTheSketch() {
    start(); // the driver's wall clock stays at T0
    smallDag("late").activations().forEach(a -> send(a, T0.minusMillis(4_250)));
    assertThat(out.readValue().getComplete()).isTrue();
    final var latency = meters.get(ProcessorMetrics.LATENCY).timer();
    assertThat(latency.count()).isEqualTo(1);
    assertThat(latency.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(4_250.0);
  }

  @Test
  void overThePendingLimitTheOldestInferenceIsSketchedEarlyAsIncomplete() {
    start(ProcessorConfig.builder().limits(new ProcessorConfig.Limits(10_000, 1_024, 64, 4_096, 2)));
    send(smallDag("old").activations().get(1), T0);
    send(smallDag("mid").activations().get(1), T0);
    assertThat(out.isEmpty()).isTrue();
    send(smallDag("new").activations().get(1), T0); // a third in flight: over the limit of 2
    final InferenceSketch s = out.readValue();
    assertThat(s.getInferenceId()).isEqualTo("old");
    assertThat(s.getComplete()).isFalse();
    assertThat(s.getObjectCount()).isEqualTo(1);
    assertThat(out.isEmpty()).isTrue();
    assertThat(pendingGauge()).isEqualTo(2);
    assertThat(counter(ProcessorMetrics.SKETCHES_OUT, "complete", "false")).isEqualTo(1);
  }

  @Test
  void aKeyMismatchNamesTheKeyOrSaysItIsNull() {
    start();
    final ModuleActivation e = smallDag("k1").activations().get(0);
    in.pipeInput("k2", e, T0);
    in.pipeInput((String) null, e, T0);
    final List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
    assertThat(dead).extracting(r -> header(r, DeadLetters.REASON))
        .containsExactly("KEY_MISMATCH", "KEY_MISMATCH");
    assertThat(header(dead.get(0), DeadLetters.MESSAGE))
        .startsWith("record key 'k2' is not the event's inferenceId 'k1'");
    assertThat(header(dead.get(1), DeadLetters.MESSAGE))
        .startsWith("record key null is not the event's inferenceId 'k1'");
  }

  /**
   * The record's attributeSums / attributeSquares equal the sums, computed here from the events, of each
   * module's attribute vectors and squares (up to double rounding: the summation order differs).
   */
  private static void assertExactAttributeSums(final InferenceSketch s, final List<ModuleActivation> events) {
    final java.util.Map<String, double[]> sums = new java.util.TreeMap<>();
    final java.util.Map<String, double[]> squares = new java.util.TreeMap<>();
    for (final ModuleActivation a : events) {
      final List<Float> x = a.getAttributes();
      final double[] sum = sums.computeIfAbsent(a.getModule(), m -> new double[x.size()]);
      final double[] sq = squares.computeIfAbsent(a.getModule(), m -> new double[x.size()]);
      for (int i = 0; i < x.size(); i++) {
        sum[i] += x.get(i);
        sq[i] += (double) x.get(i) * x.get(i);
      }
    }
    assertThat(s.getAttributeSums().keySet()).isEqualTo(sums.keySet()).isEqualTo(s.getModuleCounts().keySet());
    assertThat(s.getAttributeSquares().keySet()).isEqualTo(sums.keySet());
    sums.forEach((module, want) -> {
      final List<Double> got = s.getAttributeSums().get(module);
      final List<Double> gotSq = s.getAttributeSquares().get(module);
      assertThat(got).hasSize(want.length);
      assertThat(gotSq).hasSize(want.length);
      for (int i = 0; i < want.length; i++) {
        assertThat(got.get(i)).as("%s sum[%d]", module, i)
            .isCloseTo(want[i], org.assertj.core.api.Assertions.within(1e-9));
        assertThat(gotSq.get(i)).as("%s squares[%d]", module, i)
            .isCloseTo(squares.get(module)[i], org.assertj.core.api.Assertions.within(1e-9));
      }
    });
  }

  @Test
  void eachBadInputGoesToTheDlqWithItsReasonAndGoodRecordsStillComeOut() {
    start(ProcessorConfig.builder().limits(new ProcessorConfig.Limits(8, 3, 3, 16, 1000)));
    final List<String> expectedReasons = new ArrayList<>();
    final List<byte[]> badValues = new ArrayList<>();
    int good = 0;

    smallDag("good-" + good++).activations().forEach(a -> send(a, T0));
    // Not Confluent framing at all.
    badValues.add(raw("k1", "hello".getBytes(StandardCharsets.UTF_8)));
    expectedReasons.add("DESERIALIZATION");
    // Right magic byte, schema id nobody registered.
    badValues.add(raw("k2", ByteBuffer.allocate(9).put((byte) 0).putInt(987_654).putInt(1).array()));
    expectedReasons.add("DESERIALIZATION");
    // A valid header followed by truncated Avro.
    final byte[] valid = activationSerde.serializer().serialize("activations", smallDag("t").activations().get(0));
    badValues.add(raw("t", Arrays.copyOf(valid, 12)));
    expectedReasons.add("DESERIALIZATION");
    smallDag("good-" + good++).activations().forEach(a -> send(a, T0));

    final ModuleActivation base = smallDag("bad").activations().get(2);
    sendBad(ModuleActivation.newBuilder(base).setAttributes(new ArrayList<>(List.of(1f, Float.NaN, 2f))).build(),
        "NON_FINITE_ATTRIBUTE", expectedReasons, badValues);
    sendBad(ModuleActivation.newBuilder(base).setAttributes(new ArrayList<>(List.of(1f, Float.POSITIVE_INFINITY, 2f)))
        .build(), "NON_FINITE_ATTRIBUTE", expectedReasons, badValues);
    sendBad(ModuleActivation.newBuilder(base).setModule("cat").setAttributes(new ArrayList<>(List.of(1f, 2f)))
        .build(), "ATTRIBUTE_LENGTH_MISMATCH", expectedReasons, badValues);
    sendBad(ModuleActivation.newBuilder(base).setInputs(new ArrayList<>(List.of(ModuleInput.newBuilder()
        .setObjectId("e").setWeight(-1f).build()))).build(), "INVALID_WEIGHT", expectedReasons, badValues);
    sendBad(ModuleActivation.newBuilder(base).setObjectId("self").setInputs(new ArrayList<>(List.of(
        ModuleInput.newBuilder().setObjectId("self").build()))).build(), "CYCLE", expectedReasons, badValues);
    sendBad(ModuleActivation.newBuilder(base).setAttributes(new ArrayList<>(java.util.Collections.nCopies(17, 1f)))
        .build(), "LIMIT_EXCEEDED", expectedReasons, badValues);
    final List<ModuleInput> four = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      four.add(ModuleInput.newBuilder().setObjectId("x" + i).build());
    }
    sendBad(ModuleActivation.newBuilder(base).setInputs(four).build(), "LIMIT_EXCEEDED", expectedReasons, badValues);
    final ModuleActivation wrongKey = ModuleActivation.newBuilder(base).setInferenceId("other").build();
    final byte[] wrongKeyBytes = activationSerde.serializer().serialize("activations", wrongKey);
    rawIn.pipeInput("bad".getBytes(StandardCharsets.UTF_8), wrongKeyBytes, T0);
    badValues.add(wrongKeyBytes);
    expectedReasons.add("KEY_MISMATCH");
    rawIn.pipeInput("bad".getBytes(StandardCharsets.UTF_8), null, T0);
    badValues.add(null);
    expectedReasons.add("EMPTY_VALUE");
    smallDag("good-" + good++).activations().forEach(a -> send(a, T0));

    // A cycle between two objects under a root: detected when the inference is complete; all three go.
    final ActivationDag cyclic = ActivationDag.builder("cyc").eventTime(T0)
        .root("r", "scene", new float[] {1f, 1f}, "a").object("a", "cat", new float[] {1f, 1f, 1f}, "b")
        .object("b", "dog", new float[] {1f, 1f, 1f}, "a").build();
    for (final ModuleActivation a : cyclic.activations()) {
      sendBad(a, "CYCLE", expectedReasons, badValues);
    }
    // Deeper than 3 objects: 4-chain.
    final ActivationDag deep = ActivationDag.builder("deep").eventTime(T0)
        .root("r", "scene", new float[] {1f, 1f}, "a").object("a", "cat", new float[] {1f, 1f, 1f}, "b")
        .object("b", "dog", new float[] {1f, 1f, 1f}, "c").object("c", "eye", new float[] {1f}).build();
    for (final ModuleActivation a : deep.activations()) {
      sendBad(a, "LIMIT_EXCEEDED", expectedReasons, badValues);
    }
    // More than 8 objects in one inference: the 9th is rejected, the first 8 are kept.
    final ActivationDag wide = ActivationDag.builder("wide").eventTime(T0)
        .root("r", "scene", new float[] {1f, 1f}, "a0", "a1", "a2").object("a0", "eye", new float[] {1f})
        .object("a1", "eye", new float[] {1f}).object("a2", "eye", new float[] {1f}).build();
    wide.activations().stream().filter(a -> !a.getRoot()).forEach(a -> send(a, T0));
    for (int i = 0; i < 5; i++) {
      send(ModuleActivation.newBuilder(wide.activations().get(1)).setObjectId("extra" + i).build(), T0);
    }
    sendBad(ModuleActivation.newBuilder(wide.activations().get(1)).setObjectId("extra9").build(), "LIMIT_EXCEEDED",
        expectedReasons, badValues);
    smallDag("good-" + good++).activations().forEach(a -> send(a, T0));

    final List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
    assertThat(dead).extracting(r -> header(r, DeadLetters.REASON)).containsExactlyElementsOf(expectedReasons);
    for (int i = 0; i < dead.size(); i++) {
      final TestRecord<byte[], byte[]> r = dead.get(i);
      assertThat(r.value()).as("original bytes of DLQ record %d", i).isEqualTo(badValues.get(i));
      assertThat(header(r, DeadLetters.TOPIC)).isEqualTo("activations");
      assertThat(header(r, DeadLetters.PARTITION)).isEqualTo("0");
      assertThat(Long.parseLong(header(r, DeadLetters.OFFSET))).isNotNegative();
      assertThat(header(r, DeadLetters.MESSAGE)).isNotBlank();
      assertThat(header(r, DeadLetters.EXCEPTION)).isNotBlank();
    }
    assertThat(header(dead.get(0), DeadLetters.EXCEPTION)).isEqualTo(WrongMagicByteException.class.getName());
    assertThat(header(dead.get(1), DeadLetters.EXCEPTION)).isEqualTo(UnknownSchemaIdException.class.getName());
    assertThat(header(dead.get(3), DeadLetters.MESSAGE)).contains("attribute 1 is NaN");
    // Offsets in the headers are the source offsets: all distinct, increasing for records read one by one.
    final Set<String> offsets = new HashSet<>();
    dead.forEach(r -> offsets.add(header(r, DeadLetters.OFFSET)));
    assertThat(offsets).hasSize(dead.size());

    final List<InferenceSketch> sketches = out.readValuesToList();
    assertThat(sketches).extracting(InferenceSketch::getInferenceId)
        .containsExactly("good-0", "good-1", "good-2", "good-3");
    assertThat(counter(ProcessorMetrics.DLQ, "reason", "DESERIALIZATION")).isEqualTo(3);
    assertThat(counter(ProcessorMetrics.DLQ, "reason", "CYCLE")).isEqualTo(4);
    // "wide" (8 objects, no root yet) is still pending; nothing was lost.
    assertThat(meters.get(ProcessorMetrics.PENDING).gauge().value()).isEqualTo(1);
  }

  private byte[] raw(final String key, final byte[] value) {
    rawIn.pipeInput(key.getBytes(StandardCharsets.UTF_8), value, T0);
    return value;
  }

  private void sendBad(final ModuleActivation a, final String reason, final List<String> reasons,
      final List<byte[]> values) {
    send(a, T0);
    reasons.add(reason);
    values.add(activationSerde.serializer().serialize("activations", a));
  }

  @Test
  void aConfluentAvroStringKeyIsAccepted() {
    start();
    // Confluent framing of the Avro string "avro-key": magic 0, schema id 1, zig-zag length 16, bytes.
    final byte[] id = "avro-key".getBytes(StandardCharsets.UTF_8);
    final byte[] key = ByteBuffer.allocate(5 + 1 + id.length).put((byte) 0).putInt(1).put((byte) (id.length * 2))
        .put(id).array();
    for (final ModuleActivation a : smallDag("avro-key").activations()) {
      rawIn.pipeInput(key, activationSerde.serializer().serialize("activations", a), T0);
    }
    assertThat(out.readValue().getInferenceId()).isEqualTo("avro-key");
    assertThat(dlq.isEmpty()).isTrue();
  }

  @Test
  void keyMatchingRecognisesPlainAndAvroStrings() {
    assertThat(ActivationProcessor.keyMatches("abc".getBytes(StandardCharsets.UTF_8), "abc")).isTrue();
    assertThat(ActivationProcessor.keyMatches("abd".getBytes(StandardCharsets.UTF_8), "abc")).isFalse();
    assertThat(ActivationProcessor.keyMatches(null, "abc")).isFalse();
    assertThat(ActivationProcessor.keyMatches(new byte[] {0, 0, 0, 0, 1, 6, 'a', 'b', 'c'}, "abc")).isTrue();
    assertThat(ActivationProcessor.keyMatches(new byte[] {0, 0, 0, 0, 1, 6, 'a', 'b', 'd'}, "abc")).isFalse();
    assertThat(ActivationProcessor.keyMatches(new byte[] {0, 0, 0, 0, 1, 4, 'a', 'b', 'c'}, "abc")).isFalse();
  }

  private static <T> List<List<T>> permutations(final List<T> items) {
    if (items.isEmpty()) {
      return List.of(List.of());
    }
    final List<List<T>> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      final List<T> rest = new ArrayList<>(items);
      final T head = rest.remove(i);
      for (final List<T> tail : permutations(rest)) {
        final List<T> p = new ArrayList<>();
        p.add(head);
        p.addAll(tail);
        out.add(p);
      }
    }
    return out;
  }
}
