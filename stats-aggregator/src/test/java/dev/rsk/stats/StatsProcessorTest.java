package dev.rsk.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.model.AttributeStats;
import dev.rsk.stats.model.CatalogueEntry;
import dev.rsk.stats.model.DayCounts;
import dev.rsk.stats.model.SketchSum;
import dev.rsk.stats.serde.RepositoryCodec;
import dev.rsk.stats.serde.StatsSerdes;
import dev.rsk.stats.testing.DriverProps;
import dev.rsk.stats.testing.NetworkStreetScenes;
import dev.rsk.stats.testing.Scenes;
import dev.rsk.streams.CommitHookStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link StatsProcessor} decisions the topology tests do not pin: a late sketch stored already aged (one
 * millisecond either side of the full tier) and its re-delivery a no-op, the id taken from the value when the
 * key is missing, a record with neither dead-lettered with its reason, modules counted zero or without
 * attributes, a non-default stats bucket, the older-format refusal at start, and the memory bound that writes
 * the pending aggregates before the commit. Expected values are worked out by hand from the records sent.
 */
class StatsProcessorTest {

  private static final long HOUR = 3_600_000L;
  private static final long DAY = 24 * HOUR;
  private static final long M = Instant.parse("2026-03-10T12:00:00Z").toEpochMilli();
  private static final long FULL_FOR = Duration.ofDays(2).toMillis();
  private static final SketchSpec SPEC = SketchSpec.of(64, 42L, 0.5, 0.5);

  @TempDir java.nio.file.Path stateDir;
  private final Scenes scenes = new Scenes(SPEC, 13);
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private TopologyTestDriver driver;
  private TestInputTopic<String, InferenceSketch> input;

  private static StatsConfig config() {
    return StatsConfig.defaults(StatsSerdes.inferenceSketchBinary())
        .withRetention(Duration.ofDays(400), Duration.ofDays(400), Duration.ofDays(30))
        .withAgeing(Duration.ofMillis(FULL_FOR), 0.25);
  }

  private void start(final StatsConfig config) {
    driver = new TopologyTestDriver(StatsTopology.buildTopology(config, meters),
        DriverProps.withDeadLetters("stats-processor-test", stateDir));
    input = driver.createInputTopic("sketches", new StringSerializer(),
        StatsSerdes.inferenceSketchBinary().serializer());
  }

  @AfterEach
  void tearDown() {
    if (driver != null) {
      driver.close();
    }
  }

  private void send(final InferenceSketch s) {
    input.pipeInput(s.getInferenceId(), s, s.getEventTime().toEpochMilli());
  }

  private long inferences(final long t) {
    final DayCounts d = driver.<String, DayCounts>getWindowStore(StatsStores.INFERENCES_DAILY)
        .fetch(StatsStores.ALL_INFERENCES, t - Math.floorMod(t, DAY));
    return d == null ? 0 : d.get((int) (Math.floorMod(t, DAY) / HOUR), 0);
  }

  private byte[] tier(final String id, final long t) {
    final KeyValueStore<Bytes, byte[]> index = driver.getKeyValueStore(StatsStores.TIME_INDEX);
    return index.get(TimeIndex.key(t, id));
  }

  @Test
  void aSketchOlderThanTheFullTierIsStoredAgedOneMillisecondNewerWholeAndARedeliveryChangesNothing() {
    start(config());
    send(scenes.scene("newest", M, 1, 0, 0));
    final InferenceSketch late = scenes.scene("late", M - FULL_FOR - 1, 1, 0, 0);
    send(late);
    send(scenes.scene("edge", M - FULL_FOR, 1, 0, 0));
    final KeyValueStore<String, byte[]> repo = driver.getKeyValueStore(StatsStores.REPOSITORY);
    assertThat(RepositoryCodec.vectorLength(repo.get("late"))).isEqualTo(16); // round(0.25 * 64)
    assertThat(tier("late", M - FULL_FOR - 1)).containsExactly(RepositoryAgeing.AGED);
    assertThat(RepositoryCodec.vectorLength(repo.get("edge"))).isEqualTo(64);
    assertThat(tier("edge", M - FULL_FOR)).containsExactly(RepositoryAgeing.FULL);
    assertThat(RepositoryCodec.vectorLength(repo.get("newest"))).isEqualTo(64);
    // the aggregates count every sketch once; the day's sum has the late sketch's whole vector (length 64 key)
    assertThat(inferences(M - FULL_FOR - 1)).isEqualTo(1);
    assertThat(inferences(M - FULL_FOR)).isEqualTo(1);
    final SketchSum lateDay = driver.<String, SketchSum>getWindowStore(StatsStores.SKETCH_SUMS_DAILY)
        .fetch(SketchSum.key(SPEC, 64), Rollups.dayStart(M - FULL_FOR - 1));
    assertThat(lateDay.count()).isEqualTo(2); // "late" (11:59:59.999 two days before) and "edge" (12:00)

    final byte[] stored = repo.get("late");
    send(late); // re-delivered: the stored prefix equals the new record cut to its length
    assertThat(repo.get("late")).isEqualTo(stored);
    assertThat(inferences(M - FULL_FOR - 1)).isEqualTo(1);
    assertThat(driver.<String, CatalogueEntry>getKeyValueStore(StatsStores.CATALOGUE).get("cat").inferences())
        .isEqualTo(3);
    assertThat(driver.<String, AttributeStats>getWindowStore(StatsStores.ATTRIBUTE_STATS)
        .fetch("cat", Rollups.dayStart(M - FULL_FOR - 1)).observations()).isEqualTo(2);
  }

  /**
   * Fine attribute-statistics rows keep counts, sums and squares of every observation but only the items the
   * repository cannot give back; the month row keeps every item. A replaced sketch pins its first version's items
   * (the statistics keep the first version) and is stored flagged; a third version pins nothing more; a tombstone
   * pins the deleted sketch's items. Items are the cats' first attribute, one cat per scene (Scenes.cats()).
   */
  @Test
  void fineRowsKeepOnlyThePinnedItemsAndAReplacedOrDeletedSketchPinsItsFirstVersion() {
    start(config());
    send(scenes.scene("a", M, 1, 0, 0));
    send(scenes.scene("b", M + HOUR, 1, 0, 0));
    final float a0 = scenes.cats().get(0)[0];
    final float b0 = scenes.cats().get(1)[0];
    final WindowStore<String, AttributeStats> fine = driver.getWindowStore(StatsStores.ATTRIBUTE_STATS);
    final WindowStore<String, AttributeStats> monthly = driver.getWindowStore(StatsStores.ATTRIBUTE_STATS_MONTHLY);
    final KeyValueStore<String, byte[]> repo = driver.getKeyValueStore(StatsStores.REPOSITORY);
    AttributeStats row = fine.fetch("cat", Rollups.dayStart(M));
    assertThat(row.repositoryItems()).isTrue();
    assertThat(row.observations()).isEqualTo(2);
    assertThat(row.objects()).isEqualTo(2);
    assertThat(row.mean(0)).isEqualTo(((double) a0 + b0) / 2);
    assertThat(row.quantiles(0).getN()).isZero();
    final AttributeStats month = monthly.fetch("cat", Rollups.monthStart(M));
    assertThat(month.repositoryItems()).isFalse();
    assertThat(month.quantiles(0).getN()).isEqualTo(2);
    assertThat(month.quantiles(0).getMinItem()).isEqualTo(Math.min(a0, b0));
    assertThat(RepositoryCodec.statsPinned(repo.get("a"))).isFalse();

    assertThat(inferences(M)).isEqualTo(1);
    send(scenes.scene("a", M, 1, 0, 0)); // "a" sketched again, with another cat
    assertThat(RepositoryCodec.statsPinned(repo.get("a"))).isTrue();
    assertThat(inferences(M)).isEqualTo(1); // the first version retracted, the second counted
    row = fine.fetch("cat", Rollups.dayStart(M));
    assertThat(row.observations()).isEqualTo(2); // the first version's observation stays
    assertThat(row.quantiles(0).getN()).isEqualTo(1);
    assertThat(row.quantiles(0).getMinItem()).isEqualTo(a0);
    send(scenes.scene("a", M, 1, 0, 0)); // a third version: the first is pinned already
    assertThat(RepositoryCodec.statsPinned(repo.get("a"))).isTrue();
    assertThat(fine.fetch("cat", Rollups.dayStart(M)).quantiles(0).getN()).isEqualTo(1);
    final byte[] third = repo.get("a");
    send(scenes.scene("x", M, 1, 0, 0)); // another inference: its items stay in the repository
    assertThat(repo.get("a")).isEqualTo(third);

    assertThat(inferences(M + HOUR)).isEqualTo(1);
    input.pipeInput("b", null, M + HOUR); // "b" deleted: its items would be lost with it
    assertThat(repo.get("b")).isNull();
    assertThat(inferences(M + HOUR)).isZero(); // and its counts retracted
    row = fine.fetch("cat", Rollups.dayStart(M));
    assertThat(row.observations()).isEqualTo(3);
    assertThat(row.quantiles(0).getN()).isEqualTo(2);
    assertThat(row.quantiles(0).getMinItem()).isEqualTo(Math.min(a0, b0));
    assertThat(row.quantiles(0).getMaxItem()).isEqualTo(Math.max(a0, b0));
    assertThat(monthly.fetch("cat", Rollups.monthStart(M)).quantiles(0).getN()).isEqualTo(3);
  }

  /** The per-inference mean of {@code module}'s first attribute in {@code s}: its sum over its count. */
  private static float item0(final InferenceSketch s, final String module) {
    return (float) (s.getAttributeSums().get(module).get(0) / s.getModuleCounts().get(module));
  }

  /**
   * With the bound at 2 inferences per bucket and partition, a day's rows leave their items in the repository for
   * two sketches; the third sketch's commit makes every row of the day keep its own: the cat's (touched) and the
   * person's (only in the first sketch, untouched: swept). Later observations, a module new to the day, a re-sketch
   * and a tombstone then change the row's items as a row with every item: the first version's items stay, nothing
   * is pinned twice. Another day, under the bound, still leaves its items in the repository. Items are the
   * records' sums over counts, worked out here.
   */
  @Test
  void aBusyDaysRowsKeepEveryItemFromTheCommitThatCrossesTheBound() {
    start(config().withRepositoryItemsMax(2));
    final InferenceSketch a = scenes.scene("a", M, 1, 0, 1);
    final InferenceSketch b = scenes.scene("b", M + 1, 1, 0, 0);
    final InferenceSketch c = scenes.scene("c", M + 2, 1, 0, 0);
    send(a);
    send(b);
    final WindowStore<String, AttributeStats> fine = driver.getWindowStore(StatsStores.ATTRIBUTE_STATS);
    final long day = Rollups.dayStart(M);
    assertThat(fine.fetch("cat", day).repositoryItems()).isTrue();
    assertThat(fine.fetch("cat", day).quantiles(0).getN()).isZero();

    send(c); // 3 inferences > 2
    AttributeStats cat = fine.fetch("cat", day);
    assertThat(cat.repositoryItems()).isFalse();
    assertThat(cat.observations()).isEqualTo(3);
    assertThat(cat.quantiles(0).getN()).isEqualTo(3);
    assertThat(cat.quantiles(0).getMinItem()).isEqualTo(Math.min(item0(a, "cat"), Math.min(item0(b, "cat"),
        item0(c, "cat"))));
    assertThat(cat.quantiles(0).getMaxItem()).isEqualTo(Math.max(item0(a, "cat"), Math.max(item0(b, "cat"),
        item0(c, "cat"))));
    final AttributeStats person = fine.fetch("person", day);
    assertThat(person.repositoryItems()).as("swept although untouched").isFalse();
    assertThat(person.quantiles(0).getN()).isEqualTo(1);
    assertThat(person.quantiles(0).getMinItem()).isEqualTo(item0(a, "person"));

    final InferenceSketch d = scenes.scene("d", M + 3, 1, 1, 0);
    send(d);
    cat = fine.fetch("cat", day);
    assertThat(cat.quantiles(0).getN()).isEqualTo(4);
    assertThat(cat.observations()).isEqualTo(4);
    final AttributeStats dog = fine.fetch("dog", day);
    assertThat(dog.repositoryItems()).as("new in a busy day").isFalse();
    assertThat(dog.quantiles(0).getN()).isEqualTo(1);
    assertThat(dog.quantiles(0).getMinItem()).isEqualTo(item0(d, "dog"));

    send(scenes.scene("a", M, 1, 0, 1)); // re-sketched: the statistics keep the first version, pinned once
    input.pipeInput("b", null, M + 1);   // deleted: its item stays
    cat = fine.fetch("cat", day);
    assertThat(cat.repositoryItems()).isFalse();
    assertThat(cat.observations()).isEqualTo(4);
    assertThat(cat.quantiles(0).getN()).isEqualTo(4);
    assertThat(fine.fetch("person", day).quantiles(0).getN()).isEqualTo(1);

    send(scenes.scene("other-day", M + DAY, 1, 0, 0));
    assertThat(fine.fetch("cat", day + DAY).repositoryItems()).isTrue();
  }

  /**
   * A bound of 0: every row keeps every item from its first sketch. And an estimated observation (a record
   * without sums, pinned) in the commit that crosses the bound is in the row once: the switch counts the pinned
   * item with the repository's (else the items would not complete the row and it would stay as it was).
   */
  @Test
  void aBoundOfZeroKeepsEveryItemAndAnEstimatedObservationCrossingTheBoundIsInTheRowOnce() {
    start(config().withRepositoryItemsMax(0));
    send(scenes.scene("zero", M + DAY, 1, 0, 0));
    final WindowStore<String, AttributeStats> fine = driver.getWindowStore(StatsStores.ATTRIBUTE_STATS);
    assertThat(fine.fetch("cat", Rollups.dayStart(M + DAY)).repositoryItems()).isFalse();
    assertThat(fine.fetch("cat", Rollups.dayStart(M + DAY)).quantiles(0).getN()).isEqualTo(1);
    driver.close();
    driver = null;

    start(config().withRepositoryItemsMax(1));
    final Scenes wide = new Scenes(SketchSpec.of(1024, 42L, 0.5, 0.5), 13); // readout noise well below the cat
    send(wide.scene("a", M, 1, 0, 0));
    final InferenceSketch exact = wide.scene("b", M + 1, 1, 0, 0);
    send(InferenceSketch.newBuilder(exact).setAttributeSums(Map.of()).setAttributeSquares(Map.of()).build());
    final AttributeStats cat = driver.<String, AttributeStats>getWindowStore(StatsStores.ATTRIBUTE_STATS)
        .fetch("cat", Rollups.dayStart(M));
    assertThat(cat.estimated()).as("the cat decoded above the noise").isEqualTo(1);
    assertThat(cat.repositoryItems()).isFalse();
    assertThat(cat.observations()).isEqualTo(2);
    assertThat(cat.quantiles(0).getN()).isEqualTo(2);
  }

  @Test
  void withoutAKeyTheInferenceIdNamesTheSketchAndWithNeitherTheRecordIsDeadLettered() {
    start(config());
    final InferenceSketch s = scenes.scene("from-value", M, 1, 0, 0);
    input.pipeInput(null, s, M);
    final KeyValueStore<String, byte[]> repo = driver.getKeyValueStore(StatsStores.REPOSITORY);
    assertThat(repo.get("from-value")).isNotNull();
    assertThat(tier("from-value", M)).containsExactly(RepositoryAgeing.FULL);
    assertThat(meters.get(StatsMetrics.RECORDS_SKIPPED).counter().count()).isZero();

    input.pipeInput(null, null, M);
    assertThat(meters.get(StatsMetrics.RECORDS_SKIPPED).counter().count()).isEqualTo(1.0);
    final List<TestRecord<byte[], byte[]>> dead = driver.createOutputTopic(DriverProps.DLQ,
        new ByteArrayDeserializer(), new ByteArrayDeserializer()).readRecordsToList();
    assertThat(dead).hasSize(1);
    final String message = new String(dead.get(0).headers().lastHeader("__streams.errors.message").value(),
        StandardCharsets.UTF_8);
    assertThat(message).isEqualTo("sketch record key=null cannot be aggregated: record has neither key nor value");
    // a tombstone of an id never stored changes nothing and is not an error
    input.pipeInput("never-stored", null, M);
    assertThat(meters.get(StatsMetrics.RECORDS_SKIPPED).counter().count()).isEqualTo(1.0);
    assertThat(inferences(M)).isEqualTo(1);
  }

  /**
   * A record whose edges leave an object unreached (a hand-made producer's: one wheel counted more than the edges
   * reach) is aggregated and stored, counts and sums kept, without its edges; the metric counts each. The same
   * scene as the engine writes it keeps its edges; a record without structure, or of a newer structure version,
   * keeps none and is not counted.
   */
  @Test
  void edgesThatDoNotReachEveryObjectAreDroppedAndCounted() {
    start(config());
    final NetworkStreetScenes street = new NetworkStreetScenes(SPEC, 5);
    final InferenceSketch good = street.scene("good", M, 1, 1, 0);
    final Map<String, Integer> counts = new HashMap<>(good.getModuleCounts());
    counts.merge("wheel", 1, Integer::sum);
    final InferenceSketch oneWheelMore = InferenceSketch.newBuilder(street.scene("bad", M, 1, 1, 0))
        .setModuleCounts(counts).build();
    send(good);
    send(oneWheelMore);
    send(InferenceSketch.newBuilder(oneWheelMore).setInferenceId("bad-too").build());
    send(street.sceneWithoutStructure("plain", M, 1, 1, 0));
    // edges of a structure version this build cannot read are not kept, nor counted as dropped
    send(InferenceSketch.newBuilder(street.scene("future", M, 1, 1, 0)).setStructureVersion(2).build());
    final KeyValueStore<String, byte[]> repo = driver.getKeyValueStore(StatsStores.REPOSITORY);
    assertThat(RepositoryCodec.decode(repo.get("good")).edges()).hasSize(good.getEdges().size()).isNotEmpty();
    assertThat(RepositoryCodec.decode(repo.get("bad")).edges()).isEmpty();
    assertThat(RepositoryCodec.decode(repo.get("bad")).moduleCounts()).containsEntry("wheel", 5);
    assertThat(RepositoryCodec.decode(repo.get("plain")).edges()).isEmpty();
    assertThat(RepositoryCodec.decode(repo.get("future")).edges()).isEmpty();
    assertThat(inferences(M)).isEqualTo(5);
    assertThat(meters.get(StatsMetrics.EDGES_DROPPED).counter().count()).isEqualTo(2.0);
    assertThat(meters.get(StatsMetrics.RECORDS_SKIPPED).counter().count()).isZero();
  }

  @Test
  void aModuleCountedZeroIsNowhereAndAModuleWithoutAttributesHasNoStatistics() {
    start(config());
    final InferenceSketch base = scenes.scene("odd", M, 1, 0, 0);
    final Map<String, Integer> counts = new HashMap<>(base.getModuleCounts());
    final Map<String, Integer> lengths = new HashMap<>(base.getAttributeLengths());
    counts.put("tag", 0);
    lengths.put("tag", 2);
    counts.put("flag", 3);
    lengths.put("flag", 0);
    send(InferenceSketch.newBuilder(base).setModuleCounts(counts).setAttributeLengths(lengths).build());

    final KeyValueStore<String, CatalogueEntry> catalogue = driver.getKeyValueStore(StatsStores.CATALOGUE);
    assertThat(catalogue.get("tag")).isNull();
    assertThat(catalogue.get("flag")).isEqualTo(new CatalogueEntry("flag", M, M, 1, 3, 0));
    final WindowStore<String, DayCounts> presence = driver.getWindowStore(StatsStores.PRESENCE_DAILY);
    assertThat(presence.fetch("tag", Rollups.dayStart(M))).isNull();
    assertThat(presence.fetch("flag", Rollups.dayStart(M)).get(12, 0)).isEqualTo(1);
    assertThat(presence.fetch("flag", Rollups.dayStart(M)).get(12, 1)).isEqualTo(3);
    final WindowStore<String, AttributeStats> stats = driver.getWindowStore(StatsStores.ATTRIBUTE_STATS);
    assertThat(stats.fetch("flag", Rollups.dayStart(M))).isNull();
    assertThat(stats.fetch("tag", Rollups.dayStart(M))).isNull();
    assertThat(stats.fetch("cat", Rollups.dayStart(M)).observations()).isEqualTo(1);
  }

  /**
   * A record without attribute sums whose sketch holds no dog although it counts one: the dog's decoded presence
   * is noise. Picked (below) so that it is positive but under 3 standard deviations of the readout noise, the
   * noise computed here from the vector's norm as docs/api.md states it (sqrt(2) ||v|| / sqrt(d)): the
   * observation is weak, counted in the metric and not added to the statistics.
   */
  @Test
  void aWeakDecodedPresenceIsCountedAndNotObserved() {
    start(config());
    final dev.rsk.sketch.SketchDecoder decoder = new dev.rsk.sketch.SketchDecoder(SPEC);
    InferenceSketch picked = null;
    for (int i = 0; i < 40 && picked == null; i++) {
      final InferenceSketch s = scenes.scene("w-" + i, M, 1, 0, 0);
      final Map<String, Integer> counts = new HashMap<>(s.getModuleCounts());
      final Map<String, Integer> lengths = new HashMap<>(s.getAttributeLengths());
      counts.put("dog", 1);
      lengths.put("dog", 4);
      final InferenceSketch candidate = InferenceSketch.newBuilder(s).setModuleCounts(counts)
          .setAttributeLengths(lengths).setAttributeSums(Map.of()).setAttributeSquares(Map.of()).build();
      final var sketch = dev.rsk.contract.SketchMapper.sketch(candidate);
      double norm2 = 0;
      for (final float x : sketch.vector()) {
        norm2 += (double) x * x;
      }
      final double noise = Math.sqrt(2) * Math.sqrt(norm2) / Math.sqrt(SPEC.d());
      final double presence = decoder.presence(sketch, "dog", 4);
      if (presence > 0 && presence < StatsProcessor.MIN_PRESENCE_SIGMAS * noise) {
        picked = candidate;
      }
    }
    assertThat(picked).as("a record with a positive, weak dog presence among 40").isNotNull();
    send(picked);
    // at d = 64 other modules can be weak too: each counted module's presence against the same 3 sigma
    final var sketch = dev.rsk.contract.SketchMapper.sketch(picked);
    double norm2 = 0;
    for (final float x : sketch.vector()) {
      norm2 += (double) x * x;
    }
    final double noise = Math.sqrt(2) * Math.sqrt(norm2) / Math.sqrt(SPEC.d());
    int weak = 0;
    final WindowStore<String, AttributeStats> stats = driver.getWindowStore(StatsStores.ATTRIBUTE_STATS);
    for (final Map.Entry<String, Integer> e : picked.getAttributeLengths().entrySet()) {
      final boolean isWeak = decoder.presence(sketch, e.getKey(), e.getValue())
          < StatsProcessor.MIN_PRESENCE_SIGMAS * noise;
      weak += isWeak ? 1 : 0;
      if (isWeak) {
        assertThat(stats.fetch(e.getKey(), Rollups.dayStart(M))).as(e.getKey()).isNull();
      } else {
        final AttributeStats row = stats.fetch(e.getKey(), Rollups.dayStart(M));
        assertThat(row.estimated()).as(e.getKey()).isEqualTo(1);
        // the repository keeps no sums of an estimated observation: its items are pinned into the fine row
        assertThat(row.repositoryItems()).as(e.getKey()).isTrue();
        assertThat(row.quantiles(0).getN()).as(e.getKey()).isEqualTo(1);
      }
    }
    assertThat(weak).isBetween(1, picked.getAttributeLengths().size());
    assertThat(meters.get(StatsMetrics.WEAK_OBSERVATIONS).counter().count()).isEqualTo(weak);
    assertThat(meters.get(StatsMetrics.ESTIMATED_OBSERVATIONS).counter().count())
        .isEqualTo(picked.getAttributeLengths().size() - weak);
    assertThat(stats.fetch("dog", Rollups.dayStart(M))).isNull();
    // the dog is still counted exactly: presence and catalogue do not depend on the decoder
    assertThat(driver.<String, CatalogueEntry>getKeyValueStore(StatsStores.CATALOGUE).get("dog").objects())
        .isEqualTo(1);
  }

  @Test
  void statisticsGoToTheStartOfTheirConfiguredBucket() {
    start(config().withStatsBucket(Duration.ofHours(6)));
    send(scenes.scene("a", Rollups.dayStart(M) + 7 * HOUR + 5, 1, 0, 0));   // bucket 06:00
    send(scenes.scene("b", Rollups.dayStart(M) + 12 * HOUR - 1, 1, 0, 0));  // bucket 06:00
    send(scenes.scene("c", Rollups.dayStart(M) + 12 * HOUR, 1, 0, 0));      // bucket 12:00
    final WindowStore<String, AttributeStats> stats = driver.getWindowStore(StatsStores.ATTRIBUTE_STATS);
    assertThat(stats.fetch("cat", Rollups.dayStart(M) + 6 * HOUR).observations()).isEqualTo(2);
    assertThat(stats.fetch("cat", Rollups.dayStart(M) + 12 * HOUR).observations()).isEqualTo(1);
    assertThat(stats.fetch("cat", Rollups.dayStart(M))).isNull();
  }

  // --- the processor alone, on real in-memory stores (no commit happens: only the memory bound writes) ---

  private final MockProcessorContext<Void, Void> context = new MockProcessorContext<>();
  private final List<StateStore> opened = new ArrayList<>();

  @AfterEach
  void closeStores() {
    opened.forEach(StateStore::close);
  }

  private <V> void window(final String name, final Duration size, final Serde<V> serde) {
    final WindowStore<String, V> s = Stores.windowStoreBuilder(
        Stores.inMemoryWindowStore(name, Duration.ofDays(800), size, false), Serdes.String(), serde)
        .withLoggingDisabled().build();
    s.init(context.getStateStoreContext(), s);
    context.addStateStore(s);
    opened.add(s);
  }

  private <K, V> KeyValueStore<K, V> keyValue(final String name, final Serde<K> keys, final Serde<V> serde) {
    final KeyValueStore<K, V> s = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), keys, serde)
        .withLoggingDisabled().build();
    s.init(context.getStateStoreContext(), s);
    context.addStateStore(s);
    opened.add(s);
    return s;
  }

  private KeyValueStore<String, byte[]> processorStores() {
    window(StatsStores.PRESENCE_DAILY, Duration.ofDays(1), StatsSerdes.dayCounts());
    window(StatsStores.INFERENCES_DAILY, Duration.ofDays(1), StatsSerdes.dayCounts());
    window(StatsStores.ATTRIBUTE_STATS, Duration.ofDays(1), StatsSerdes.attributeStats());
    keyValue(StatsStores.CATALOGUE, Serdes.String(), StatsSerdes.catalogueEntry());
    window(StatsStores.SKETCH_SUMS_DAILY, Duration.ofDays(1), StatsSerdes.sketchSum());
    window(StatsStores.SKETCH_SUMS_MONTHLY, Duration.ofDays(31), StatsSerdes.sketchSum());
    window(StatsStores.ATTRIBUTE_STATS_MONTHLY, Duration.ofDays(31), StatsSerdes.attributeStats());
    keyValue(StatsStores.TIME_INDEX, Serdes.Bytes(), Serdes.ByteArray());
    context.addStateStore(new CommitHookStore(StatsTopology.COMMIT_HOOK));
    return keyValue(StatsStores.REPOSITORY, Serdes.String(), Serdes.ByteArray());
  }

  @Test
  void aRepositoryOfAnotherFormatStopsTheTaskAtStart() {
    final KeyValueStore<String, byte[]> repo = processorStores();
    final StatsConfig config = config();
    repo.put("old", new byte[] {1, 0, 0, 0}); // an Avro-era value: format 1
    assertThatThrownBy(() -> new StatsProcessor(config, new StatsMetrics(meters)).init(context))
        .isInstanceOf(SerializationException.class).hasMessageContaining("has format 1,");
    repo.put("old", new byte[0]); // an empty value reads as format 0
    assertThatThrownBy(() -> new StatsProcessor(config, new StatsMetrics(meters)).init(context))
        .isInstanceOf(SerializationException.class).hasMessageContaining("has format 0,");
    final InferenceSketch s = scenes.scene("current", M, 1, 0, 0);
    repo.put("old", RepositoryCodec.encode(s, dev.rsk.contract.SketchMapper.sketch(s), 8));
    final StatsProcessor ok = new StatsProcessor(config, new StatsMetrics(meters));
    ok.init(context); // this build's format: starts, and schedules the clean-up on the wall clock
    assertThat(context.scheduledPunctuators()).hasSize(1);
    assertThat(context.scheduledPunctuators().get(0).getInterval()).isEqualTo(config.cleanupInterval());
    assertThat(context.scheduledPunctuators().get(0).getType())
        .isEqualTo(org.apache.kafka.streams.processor.PunctuationType.WALL_CLOCK_TIME);
    ok.close();
  }

  /**
   * One sketch (modules scene, cat, eye, person, all with attributes) per hour from a day start adds, in
   * pending keys, 1 inference hour + 4 (module, hour) presences, and per new day 4 (module, day) statistics and
   * 1 (sums, day); plus the 4 catalogue modules once. After n sketches: 5n + 5 ceil(n / 24) + 4 keys. The bound
   * is "more than 20,000": n = 3,839 gives 19,195 + 800 + 4 = 19,999 (nothing written), n = 3,840 gives 20,004
   * (everything pending written, before any commit).
   */
  @Test
  void pendingAggregatesAreWrittenBeforeTheCommitOnlyPastTheirMemoryBound() {
    processorStores();
    final StatsConfig config = config().withAgeing(Duration.ofDays(400), 0.25);
    final StatsProcessor processor = new StatsProcessor(config, new StatsMetrics(meters));
    final long v0 = config.changes().stable();
    processor.init(context);
    assertThat(config.changes().stable()).as("a started task's stores are queryable").isEqualTo(v0 + 1);
    final long start = Rollups.dayStart(M);
    final InferenceSketch base = scenes.scene("base", start, 1, 0, 1);
    assertThat(base.getModuleCounts().keySet()).containsExactlyInAnyOrder("scene", "cat", "eye", "person");

    // the task discards its uncommitted state (the commit hook's discard): these never reach the aggregates and
    // do not count towards the bound
    for (int i = 0; i < 5; i++) {
      process(processor, base, i, start - 10 * DAY);
    }
    final CommitHookStore hook = context.getStateStore(StatsTopology.COMMIT_HOOK);
    hook.clearCache();
    assertThat(config.changes().stable()).isEqualTo(v0 + 2);

    final WindowStore<String, DayCounts> inferences = context.getStateStore(StatsStores.INFERENCES_DAILY);
    for (int i = 0; i < 3_839; i++) {
      process(processor, base, i, start);
    }
    assertThat(inferences.fetch(StatsStores.ALL_INFERENCES, start)).isNull();
    final KeyValueStore<String, CatalogueEntry> catalogue = context.getStateStore(StatsStores.CATALOGUE);
    assertThat(catalogue.get("cat")).isNull();
    assertThat(config.changes().stable()).isEqualTo(v0 + 2);

    process(processor, base, 3_839, start);
    assertThat(inferences.fetch(StatsStores.ALL_INFERENCES, start).get(0, 0)).isEqualTo(1);
    assertThat(inferences.fetch(StatsStores.ALL_INFERENCES, start + 159 * DAY).get(23, 0)).isEqualTo(1);
    assertThat(catalogue.get("cat").inferences()).isEqualTo(3_840);
    assertThat(inferences.fetch(StatsStores.ALL_INFERENCES, start - 10 * DAY)).isNull();
    assertThat(config.changes().stable()).as("one write: begin and end").isEqualTo(v0 + 4);

    // written and forgotten: the next sketch waits for the commit again
    process(processor, base, 3_840, start);
    assertThat(inferences.fetch(StatsStores.ALL_INFERENCES, start + 160 * DAY)).isNull();
    assertThat(catalogue.get("cat").inferences()).isEqualTo(3_840);
    processor.close();
    assertThat(config.changes().stable()).as("a closed task's stores leave").isEqualTo(v0 + 5);
  }

  private static void process(final StatsProcessor processor, final InferenceSketch base, final int i,
      final long start) {
    final InferenceSketch s = InferenceSketch.newBuilder(base).setInferenceId("r-" + start + "-" + i)
        .setEventTime(Instant.ofEpochMilli(start + i * HOUR)).build();
    processor.process(new Record<>(s.getInferenceId(), CheckedSketch.of(s), start + i * HOUR));
  }
}
