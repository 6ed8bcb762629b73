package dev.rsk.stats.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.sketch.ObjectDag;
import dev.rsk.sketch.RecursiveSketcher;
import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchInput;
import dev.rsk.sketch.SketchObject;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.StatsConfig;
import dev.rsk.stats.StatsStores;
import dev.rsk.stats.StatsTopology;
import dev.rsk.stats.model.AttributeStats;
import dev.rsk.stats.model.CatalogueEntry;
import dev.rsk.stats.model.NetworkEntry;
import dev.rsk.stats.model.RepositoryRecord;
import dev.rsk.stats.model.SketchSum;
import dev.rsk.stats.serde.StatsSerdes;
import dev.rsk.stats.testing.BruteForce;
import dev.rsk.stats.testing.DriverProps;
import dev.rsk.stats.testing.DriverStores;
import dev.rsk.stats.testing.NetworkStreetScenes;
import dev.rsk.stats.testing.Scenes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * LocalStatsQueries over the real stats topology on two TopologyTestDrivers standing for partitions 0 and 1
 * (real RocksDB stores): every expected figure is worked out by hand from the few records sent here. The
 * four-scene partitions are built once for the class (the queries only read them), to keep the class fast.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalStatsQueriesTest {

  private static final long HOUR = 3_600_000L;
  private static final long DAY = 24 * HOUR;
  private static final long T0 = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
  private static final SketchSpec SPEC = SketchSpec.of(256, 42L, 0.5, 0.5);
  private static final SketchSpec OTHER_SPEC = SketchSpec.of(256, 43L, 0.5, 0.5);
  private static final List<Integer> BOTH = List.of(0, 1);

  // a1, a2 in partition 0; b1, b2 in partition 1
  private static final long TA1 = T0 + HOUR + 10 * 60_000L;
  private static final long TA2 = T0 + 2 * HOUR;
  private static final long TB1 = T0 + 2 * HOUR + 30 * 60_000L;
  private static final long TB2 = T0 + DAY + 3 * HOUR;

  private Path stateDir;
  private final Scenes scenes = new Scenes(SPEC, 12);
  /** The cat attributes of the four scenes, in order (a1's two, a2's, b2's): ground truth of their stats. */
  private List<float[]> fourCats;
  private final List<TopologyTestDriver> drivers = new ArrayList<>();
  private final Map<String, InferenceSketch> sent = new HashMap<>();

  private DriverStores four;

  @BeforeAll
  void openFourScenes(@TempDir final Path dir) {
    stateDir = dir;
    four = fourScenes(StatsConfig.DEFAULT_STATS_BUCKET);
  }

  @BeforeEach
  void resetRequests() {
    four.requests().clear();
    four.failNext(0);
  }

  @AfterAll
  void close() {
    drivers.forEach(TopologyTestDriver::close);
  }

  private TopologyTestDriver driver(final String name, final Duration statsBucket) {
    final StatsConfig config = StatsConfig.defaults(StatsSerdes.inferenceSketchBinary())
        .withRetention(Duration.ofDays(400), Duration.ofDays(400), Duration.ofDays(400))
        .withStatsBucket(statsBucket);
    final TopologyTestDriver d = new TopologyTestDriver(StatsTopology.buildTopology(config,
        new SimpleMeterRegistry()), DriverProps.withDeadLetters("q-" + name, stateDir.resolve(name)));
    drivers.add(d);
    return d;
  }

  private void send(final TopologyTestDriver d, final InferenceSketch s) {
    final TestInputTopic<String, InferenceSketch> in = d.createInputTopic("sketches", new StringSerializer(),
        StatsSerdes.inferenceSketchBinary().serializer());
    in.pipeInput(s.getInferenceId(), s, s.getEventTime().toEpochMilli());
    sent.put(s.getInferenceId(), s);
  }

  /** Partition 0: a1 (2 cats, 1 person), a2 (1 cat, 1 dog); partition 1: b1 (1 dog, 2 persons), b2 (1 cat). */
  private DriverStores fourScenes(final Duration statsBucket) {
    final TopologyTestDriver p0 = driver("p0-" + statsBucket, statsBucket);
    final TopologyTestDriver p1 = driver("p1-" + statsBucket, statsBucket);
    final Scenes four = new Scenes(SPEC, 11); // the same four records every time
    send(p0, four.scene("a1", TA1, 2, 0, 1));
    send(p0, four.scene("a2", TA2, 1, 1, 0));
    send(p1, four.scene("b1", TB1, 0, 1, 2));
    send(p1, four.scene("b2", TB2, 1, 0, 0));
    fourCats = four.cats();
    return new DriverStores(Map.of(0, p0, 1, p1));
  }

  private static LocalStatsQueries queries(final DriverStores stores) {
    return new LocalStatsQueries(stores, Duration.ofSeconds(5), StatsConfig.DEFAULT_STATS_BUCKET);
  }

  @Test
  void catalogueMergesTheModulesOfEveryPartitionAsked() {
    final LocalStatsQueries q = queries(four);
    final Map<String, CatalogueEntry> both = q.catalogue(BOTH, false);
    assertThat(both).containsOnlyKeys("scene", "cat", "eye", "dog", "person");
    assertThat(both.get("cat")).isEqualTo(new CatalogueEntry("cat", TA1, TB2, 3, 4, 4));
    assertThat(both.get("eye")).isEqualTo(new CatalogueEntry("eye", TA1, TB2, 3, 8, 2));
    assertThat(both.get("dog")).isEqualTo(new CatalogueEntry("dog", TA2, TB1, 2, 2, 4));
    assertThat(both.get("person")).isEqualTo(new CatalogueEntry("person", TA1, TB1, 2, 3, 3));
    assertThat(both.get("scene")).isEqualTo(new CatalogueEntry("scene", TA1, TB2, 4, 4, 2));
    // partition 0 alone
    final Map<String, CatalogueEntry> p0 = q.catalogue(List.of(0), false);
    assertThat(p0.get("cat")).isEqualTo(new CatalogueEntry("cat", TA1, TA2, 2, 3, 4));
    assertThat(p0.get("dog")).isEqualTo(new CatalogueEntry("dog", TA2, TA2, 1, 1, 4));
    assertThat(q.catalogue(List.of(), false)).isEmpty();

    assertThat(q.catalogueEntry("cat", BOTH, false)).isEqualTo(both.get("cat"));
    assertThat(q.catalogueEntry("cat", List.of(1), false)).isEqualTo(new CatalogueEntry("cat", TB2, TB2, 1, 1, 4));
    assertThat(q.catalogueEntry("person", List.of(1, 0), false))
        .isEqualTo(new CatalogueEntry("person", TA1, TB1, 2, 3, 3));
    assertThat(q.catalogueEntry("horse", BOTH, false)).isNull();
  }

  @Test
  void hourlyCountsAddBothPartitionsOverFromInclusiveToExclusive() {
    final DriverStores stores = four;
    final LocalStatsQueries q = queries(stores);
    final SortedMap<Long, long[]> all = q.hourly("cat", T0, T0 + 2 * DAY, BOTH, false);
    assertThat(all).containsOnlyKeys(T0 + HOUR, T0 + 2 * HOUR, T0 + DAY + 3 * HOUR);
    assertThat(all.get(T0 + HOUR)).containsExactly(1, 1, 2); // a1: 2 cats
    assertThat(all.get(T0 + 2 * HOUR)).containsExactly(2, 1, 1); // a2 (1 cat) and b1 (none)
    assertThat(all.get(T0 + DAY + 3 * HOUR)).containsExactly(1, 1, 1); // b2
    assertThat(q.hourly("dog", T0, T0 + 2 * DAY, BOTH, false).get(T0 + 2 * HOUR)).containsExactly(2, 2, 2);

    // from inclusive, to exclusive: [1h, 2h) holds a1 only; [2h, 1d+3h) holds a2 and b1, not b2
    assertThat(q.hourly("cat", T0 + HOUR, T0 + 2 * HOUR, BOTH, false)).containsOnlyKeys(T0 + HOUR);
    final SortedMap<Long, long[]> mid = q.hourly("cat", T0 + 2 * HOUR, T0 + DAY + 3 * HOUR, BOTH, false);
    assertThat(mid).containsOnlyKeys(T0 + 2 * HOUR);
    // one partition: b1 alone at 2h
    assertThat(q.hourly("cat", T0, T0 + DAY, List.of(1), false).get(T0 + 2 * HOUR)).containsExactly(1, 0, 0);
    // a second day read from its own row
    assertThat(q.hourly("cat", T0 + DAY, T0 + 2 * DAY, BOTH, false)).containsOnlyKeys(T0 + DAY + 3 * HOUR);
    // the stats route's totals: the rows above summed, over the same hours
    assertThat(q.hourlyTotals("cat", T0, T0 + 2 * DAY, BOTH, false)).containsExactly(4, 3, 4);
    assertThat(q.hourlyTotals("cat", T0 + 2 * HOUR, T0 + DAY + 3 * HOUR, BOTH, false)).containsExactly(2, 1, 1);
    assertThat(q.hourlyTotals("cat", T0 + HOUR + 1, T0 + 2 * HOUR + 1, BOTH, false)).containsExactly(2, 1, 1);
    // a2 and b1 start before a ragged from, b2 at the end: none is in [2h + 1 ms, 1d + 3h)
    assertThat(q.hourlyTotals("cat", T0 + 2 * HOUR + 1, T0 + DAY + 3 * HOUR, BOTH, false)).containsExactly(0, 0, 0);
    assertThat(q.hourly("cat", T0 + 2 * HOUR + 1, T0 + DAY + 3 * HOUR, BOTH, false)).isEmpty();

    // an empty range reads no store at all (so it answers even when none is queryable)
    stores.requests().clear();
    assertThat(q.hourly("cat", T0 + HOUR, T0 + HOUR, BOTH, false)).isEmpty();
    assertThat(q.hourlyCounts("cat", T0 + 2 * HOUR, T0 + HOUR, BOTH, false).toList()).isEmpty();
    assertThat(q.hourlyTotals("cat", T0 + 2 * HOUR, T0 + HOUR, BOTH, false)).containsExactly(0, 0, 0);
    assertThat(stores.requests()).isEmpty();
  }

  @Test
  void attributeStatsMergeCatsOfBothPartitionsAndReadWholeMonthsFromTheMonthlyRollup() {
    final DriverStores stores = four;
    final LocalStatsQueries q = queries(stores);
    final List<float[]> cats = fourCats;
    assertThat(cats).hasSize(4);

    final AttributeStats days = q.attributeStats("cat", T0, T0 + 2 * DAY, BOTH, false);
    assertThat(days.objects()).isEqualTo(4);
    assertThat(days.attributeLength()).isEqualTo(4);
    for (int dim = 0; dim < 4; dim++) {
      double sum = 0;
      for (final float[] c : cats) {
        sum += c[dim];
      }
      assertThat(days.mean(dim)).as("dim %d", dim).isCloseTo(sum / 4, within(1e-5));
    }
    // quantiles of per-inference means: a1's two cats, a2's and b2's, read back from the repository
    final float a1 = (float) (((double) cats.get(0)[0] + cats.get(1)[0]) / 2);
    assertThat(days.quantiles(0).getN()).isEqualTo(3);
    assertThat(days.quantiles(0).getMinItem()).isEqualTo(Math.min(a1, Math.min(cats.get(2)[0], cats.get(3)[0])));
    assertThat(days.quantiles(0).getMaxItem()).isEqualTo(Math.max(a1, Math.max(cats.get(2)[0], cats.get(3)[0])));
    // the day rows, and for their items the time index and the repository: never the month rows
    assertThat(stores.requests()).extracting(StoreQueryParameters::storeName)
        .containsOnly(StatsStores.ATTRIBUTE_STATS, StatsStores.TIME_INDEX, StatsStores.REPOSITORY);

    // the first day only: a1 and a2's three cats
    final AttributeStats first = q.attributeStats("cat", T0, T0 + DAY, BOTH, false);
    assertThat(first.objects()).isEqualTo(3);
    assertThat(first.mean(0)).isCloseTo((cats.get(0)[0] + cats.get(1)[0] + cats.get(2)[0]) / 3.0, within(1e-5));
    // partition 1 alone: b2's cat
    assertThat(q.attributeStats("cat", T0, T0 + 2 * DAY, List.of(1), false).mean(3))
        .isCloseTo(cats.get(3)[3], within(1e-6));

    // March whole plus a day of April: March from the monthly rollup, the same four cats
    stores.requests().clear();
    final long april = Instant.parse("2026-04-01T00:00:00Z").toEpochMilli();
    final AttributeStats month = q.attributeStats("cat", T0, april + DAY, BOTH, false);
    assertThat(month.objects()).isEqualTo(4);
    assertThat(month.mean(1)).isCloseTo(days.mean(1), within(1e-6));
    assertThat(stores.requests()).extracting(StoreQueryParameters::storeName)
        .contains(StatsStores.ATTRIBUTE_STATS_MONTHLY, StatsStores.ATTRIBUTE_STATS);

    // a module never seen, and an empty range (no store read)
    assertThat(q.attributeStats("horse", T0, T0 + 2 * DAY, BOTH, false)).isNull();
    stores.requests().clear();
    assertThat(q.attributeStats("cat", T0 + DAY, T0 + DAY, BOTH, false)).isNull();
    assertThat(q.attributeStats("cat", T0 + DAY, T0, BOTH, false)).isNull();
    assertThat(stores.requests()).isEmpty();
  }

  /** A scene root over one dog with the given attributes (their length is the dog's attribute length). */
  private static InferenceSketch oneDog(final String id, final long eventTime, final float... dog) {
    final ObjectDag dag = ObjectDag.of(List.of(new SketchObject("dog", "dog", dog, List.of()),
        new SketchObject("root", "scene", new float[] {0f, 0f}, List.of(new SketchInput("dog", "0", 1f)))), "root");
    return Scenes.record(id, eventTime, new RecursiveSketcher(SPEC).sketch(dag), dag);
  }

  @Test
  void statisticsOfDifferentAttributeLengthsAreKeptApartNeverDropped() {
    // the processor fixes a module's length per partition: partition 0 accepted dogs of k = 4, partition 1 of k = 5
    final TopologyTestDriver p0 = driver("len-p0", StatsConfig.DEFAULT_STATS_BUCKET);
    final TopologyTestDriver p1 = driver("len-p1", StatsConfig.DEFAULT_STATS_BUCKET);
    send(p0, oneDog("k4", T0 + HOUR, 1f, 2f, 3f, 4f));
    send(p1, oneDog("k5a", T0 + 2 * HOUR, 1f, 1f, 1f, 1f, 1f));
    send(p1, oneDog("k5b", T0 + DAY, 3f, 3f, 3f, 3f, 7f));
    final LocalStatsQueries q = queries(new DriverStores(Map.of(0, p0, 1, p1)));

    final SortedMap<Integer, AttributeStats> days = q.attributeStatsByLength("dog", T0, T0 + 2 * DAY, BOTH, false);
    assertThat(days.keySet()).containsExactly(4, 5);
    assertThat(days.get(4).observations()).isEqualTo(1);
    assertThat(days.get(4).mean(3)).isEqualTo(4.0);
    assertThat(days.get(5).observations()).isEqualTo(2);
    assertThat(days.get(5).mean(0)).isEqualTo(2.0); // (1 + 3) / 2
    assertThat(days.get(5).mean(4)).isEqualTo(4.0); // (1 + 7) / 2
    // whole March from the monthly rollup: the same split
    final long april = Instant.parse("2026-04-01T00:00:00Z").toEpochMilli();
    final SortedMap<Integer, AttributeStats> month = q.attributeStatsByLength("dog", T0, april + DAY, BOTH, false);
    assertThat(month.keySet()).containsExactly(4, 5);
    assertThat(month.get(4).observations()).isEqualTo(1);
    assertThat(month.get(5).observations()).isEqualTo(2);
    // one partition: one length
    assertThat(q.attributeStats("dog", T0, T0 + 2 * DAY, List.of(1), false).observations()).isEqualTo(2);
    assertThat(q.attributeStatsByLength("dog", T0 + 2 * DAY, T0 + 3 * DAY, BOTH, false)).isEmpty();
    assertThatThrownBy(() -> q.attributeStats("dog", T0, T0 + 2 * DAY, BOTH, false))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("dog").hasMessageContaining("[4, 5]");
  }

  @Test
  void aStatsBucketThatDoesNotDivideADayIsReadFromTheFineStoreOnly() {
    final Duration bucket = Duration.ofHours(7);
    final DriverStores stores = fourScenes(bucket);
    final LocalStatsQueries q = new LocalStatsQueries(stores, Duration.ofSeconds(5), bucket);
    final long april = Instant.parse("2026-04-01T00:00:00Z").toEpochMilli();
    final long firstBucket = T0 - Math.floorMod(T0, 7 * HOUR);
    final AttributeStats all = q.attributeStats("cat", firstBucket, april + DAY, BOTH, false);
    assertThat(all.objects()).isEqualTo(4);
    assertThat(all.quantiles(0).getN()).isEqualTo(3); // a1, a2 and b2, read back from the repository
    assertThat(stores.requests()).extracting(StoreQueryParameters::storeName)
        .containsOnly(StatsStores.ATTRIBUTE_STATS, StatsStores.TIME_INDEX, StatsStores.REPOSITORY);
    // buckets of 7 h from the epoch: a1, a2 and b1 fall in the one starting at 2026-02-28T22:00Z (T0 is 492,312 h
    // after the epoch, 2 h past a multiple of 7), b2 in a later one; a range takes the buckets starting in it
    assertThat(firstBucket).isEqualTo(Instant.parse("2026-02-28T22:00:00Z").toEpochMilli());
    assertThat(q.attributeStats("cat", firstBucket, firstBucket + 7 * HOUR, BOTH, false).objects()).isEqualTo(3);
    assertThat(q.attributeStats("cat", firstBucket + 1, T0 + 2 * DAY, BOTH, false).objects()).isEqualTo(1);
  }

  @Test
  void sumsAddTheVectorsOfTheWholeDaysCovered() {
    final DriverStores stores = four;
    final LocalStatsQueries q = queries(stores);
    final String key = SketchSum.key(SPEC, SPEC.d());

    final Map<String, SketchSum> day1 = q.sums(T0, T0 + DAY, BOTH, false);
    assertThat(day1).containsOnlyKeys(key);
    assertThat(day1.get(key).count()).isEqualTo(3);
    assertVectorSum(day1.get(key), "a1", "a2", "b1");

    // any range inside day 2 covers the whole day: b2
    final Map<String, SketchSum> day2 = q.sums(T0 + DAY + 3 * HOUR, T0 + DAY + 4 * HOUR, BOTH, false);
    assertThat(day2.get(key).count()).isEqualTo(1);
    assertVectorSum(day2.get(key), "b2");
    // March whole (from the monthly rollup) and a day of April: all four
    final long april = Instant.parse("2026-04-01T00:00:00Z").toEpochMilli();
    stores.requests().clear();
    final Map<String, SketchSum> month = q.sums(T0, april + DAY, BOTH, false);
    assertThat(month.get(key).count()).isEqualTo(4);
    assertVectorSum(month.get(key), "a1", "a2", "b1", "b2");
    assertThat(stores.requests()).extracting(StoreQueryParameters::storeName)
        .contains(StatsStores.SKETCH_SUMS_MONTHLY, StatsStores.SKETCH_SUMS_DAILY);
    // partition 0 alone
    assertThat(q.sums(T0, T0 + 2 * DAY, List.of(0), false).get(key).count()).isEqualTo(2);
    // the day before: nothing; an empty range reads nothing
    assertThat(q.sums(T0 - DAY, T0, BOTH, false)).isEmpty();
    stores.requests().clear();
    assertThat(q.sums(T0 + HOUR, T0 + HOUR, BOTH, false)).isEmpty();
    assertThat(stores.requests()).isEmpty();
  }

  @Test
  void sumsFindEveryParameterKeyOfTheRangeIncludingKeysOfItsRaggedMonthsOnly() {
    // sums are read key by key, the keys taken from the month rows of the range: a key written only in the
    // range's first, ragged month (partition 0's OTHER_SPEC) or only in its last must still be found
    final TopologyTestDriver p0 = driver("keys-p0", StatsConfig.DEFAULT_STATS_BUCKET);
    final TopologyTestDriver p1 = driver("keys-p1", StatsConfig.DEFAULT_STATS_BUCKET);
    final Scenes other = new Scenes(OTHER_SPEC, 7);
    final long feb27 = Instant.parse("2026-02-27T05:00:00Z").toEpochMilli();
    final long mar2 = Instant.parse("2026-03-02T05:00:00Z").toEpochMilli();
    final long apr2 = Instant.parse("2026-04-02T05:00:00Z").toEpochMilli();
    send(p0, other.scene("k-o1", feb27, 1, 0, 0));
    send(p0, scenes.scene("k-s1", mar2, 0, 1, 0));
    send(p1, scenes.scene("k-s2", feb27 + HOUR, 0, 0, 1));
    send(p1, scenes.scene("k-s3", mar2, 1, 1, 0));
    send(p1, other.scene("k-o2", apr2, 0, 2, 0));
    final LocalStatsQueries q = queries(new DriverStores(Map.of(0, p0, 1, p1)));
    final String key = SketchSum.key(SPEC, SPEC.d());
    final String otherKey = SketchSum.key(OTHER_SPEC, OTHER_SPEC.d());
    final long feb27Day = Instant.parse("2026-02-27T00:00:00Z").toEpochMilli();
    final long apr3 = Instant.parse("2026-04-03T00:00:00Z").toEpochMilli();

    final Map<String, SketchSum> all = q.sums(feb27Day, apr3, BOTH, false);
    assertThat(all).containsOnlyKeys(key, otherKey);
    assertVectorSum(all.get(otherKey), "k-o1", "k-o2");
    assertThat(all.get(otherKey).count()).isEqualTo(2);
    assertVectorSum(all.get(key), "k-s1", "k-s2", "k-s3");
    assertThat(all.get(key).count()).isEqualTo(3);
    // partition 0 alone: its other key only in the ragged February
    assertThat(q.sums(feb27Day, apr3, List.of(0), false).get(otherKey).count()).isEqualTo(1);
    // the ragged April alone: only the other key was written there
    assertThat(q.sums(apr3 - DAY, apr3, BOTH, false)).containsOnlyKeys(otherKey);
    // whole March alone: the first key only
    assertThat(q.sums(Instant.parse("2026-03-01T00:00:00Z").toEpochMilli(), apr3 - 2 * DAY, BOTH, false))
        .containsOnlyKeys(key);
  }

  private void assertVectorSum(final SketchSum s, final String... ids) {
    for (int j = 0; j < SPEC.d(); j++) {
      double expected = 0;
      for (final String id : ids) {
        expected += sent.get(id).getVector().get(j);
      }
      assertThat((double) s.sum()[j]).as("coordinate %d", j).isCloseTo(expected, within(1e-4));
    }
  }

  @Test
  void networkMergesTheStructureOfBothPartitions() {
    final LocalStatsQueries q = queries(similarAndNetwork());

    final Map<String, NetworkEntry> both = q.network(BOTH, false);
    assertThat(both).containsOnlyKeys("street", "car", "wheel", "person", "face", "bicycle");
    final NetworkEntry car = both.get("car");
    assertThat(car.inferences()).isEqualTo(2);
    assertThat(car.objects()).isEqualTo(3);
    assertThat(car.roots()).isZero();
    assertThat(car.attributeLength()).isEqualTo(2);
    assertThat(car.depths()).containsExactly(Map.entry(1, 3L));
    assertThat(car.inputs()).containsOnlyKeys("wheel0", "wheel1", "wheel2", "wheel3");
    assertThat(car.inputs().get("wheel2")).containsExactly(Map.entry("wheel", 3L));
    assertThat(both.get("street").roots()).isEqualTo(2);
    assertThat(both.get("wheel").objects()).isEqualTo(12);
    assertThat(both.get("wheel").depths()).containsExactly(Map.entry(2, 12L));
    assertThat(both.get("bicycle").inferences()).isEqualTo(1);

    final Map<String, NetworkEntry> p0only = q.network(List.of(0), false);
    assertThat(p0only).doesNotContainKey("bicycle");
    assertThat(p0only.get("car").objects()).isEqualTo(2);
  }

  @Test
  void aStoredSketchIsReadFromItsPartitionOnly() {
    final LocalStatsQueries q = queries(four);
    final RepositoryRecord a2 = q.sketch("a2", 0, false);
    assertThat(a2.eventTime()).isEqualTo(TA2);
    assertThat(a2.source()).isEqualTo("test");
    assertThat(a2.sketch().spec()).isEqualTo(SPEC);
    assertThat(a2.moduleCounts()).containsOnly(Map.entry("scene", 1), Map.entry("cat", 1), Map.entry("eye", 2),
        Map.entry("dog", 1));
    assertThat(q.sketch("b2", 1, false).eventTime()).isEqualTo(TB2);
    assertThat(q.sketch("a2", 1, false)).isNull();
    assertThat(q.sketch("zz", 0, false)).isNull();
  }

  private DriverStores similarAndNetwork;

  /**
   * Partition 0: base, near (base + noise 0.002), far0, and street s1 (2 cars, 1 person); partition 1: mid (base
   * + noise 0.05), far1, and street s2 (1 car, 1 bicycle). The streets are sketched with another spec, so they
   * are not comparable with base: they stand for the sketches a similarity scan skips and do not count.
   */
  private DriverStores similarAndNetwork() {
    if (similarAndNetwork == null) {
      final TopologyTestDriver p0 = driver("s0", StatsConfig.DEFAULT_STATS_BUCKET);
      final TopologyTestDriver p1 = driver("s1", StatsConfig.DEFAULT_STATS_BUCKET);
      final InferenceSketch base = scenes.scene("base", TA1, 2, 1, 1);
      send(p0, base);
      send(p0, scenes.nearDuplicate(base, "near", 0.002)); // closest
      send(p0, scenes.scene("far0", TA1, 0, 1, 0));
      send(p1, scenes.nearDuplicate(base, "mid", 0.05)); // second
      send(p1, scenes.scene("far1", TA2, 0, 0, 2));
      final NetworkStreetScenes streets = new NetworkStreetScenes(OTHER_SPEC, 5);
      send(p0, streets.scene("s1", TA1, 2, 1, 0)); // 2 cars (8 wheels), 1 person (1 face)
      send(p1, streets.scene("s2", TB1, 1, 0, 1)); // 1 car (4 wheels), 1 bicycle
      similarAndNetwork = new DriverStores(Map.of(0, p0, 1, p1));
    }
    return similarAndNetwork;
  }

  @Test
  void similarRanksComparableSketchesOfEveryPartitionBestFirst() {
    final LocalStatsQueries queries = queries(similarAndNetwork());
    final float[] q = vector(sent.get("base"));

    final LocalStatsQueries.SimilarResult top2 = queries.similar(new Sketch(SPEC, q), 2, "base", BOTH, false);
    assertThat(top2.matches()).extracting(SimilarMatch::inferenceId).containsExactly("near", "mid");
    assertThat(top2.scanned()).isEqualTo(4); // near, far0, mid, far1: base excluded, other not comparable
    final SimilarMatch near = top2.matches().get(0);
    // int8 storage moves a cosine by far less than 0.01
    assertThat(near.cosine()).isCloseTo(cosine(q, vector(sent.get("near"))), within(0.01));
    assertThat(near.eventTime()).isEqualTo(TA1);
    assertThat(near.source()).isEqualTo("test");
    assertThat(top2.matches().get(1).cosine()).isCloseTo(cosine(q, vector(sent.get("mid"))), within(0.01));

    // k = 1 keeps the best of partition 0's three; with no exclusion the query's own record comes first
    assertThat(queries.similar(new Sketch(SPEC, q), 1, "base", BOTH, false).matches())
        .extracting(SimilarMatch::inferenceId).containsExactly("near");
    final LocalStatsQueries.SimilarResult self = queries.similar(new Sketch(SPEC, q), 3, null, BOTH, false);
    assertThat(self.matches()).extracting(SimilarMatch::inferenceId).containsExactly("base", "near", "mid");
    assertThat(self.scanned()).isEqualTo(5);
    assertThat(self.matches().get(0).cosine()).isCloseTo(1.0, within(0.01));

    // every comparable sketch of partition 1 when k exceeds them, best first, cosines as worked out here
    final LocalStatsQueries.SimilarResult p1only = queries.similar(new Sketch(SPEC, q), 10, "base", List.of(1),
        false);
    assertThat(p1only.matches()).extracting(SimilarMatch::inferenceId).containsExactly("mid", "far1");
    assertThat(p1only.scanned()).isEqualTo(2);
    assertThat(p1only.matches().get(1).cosine()).isCloseTo(cosine(q, vector(sent.get("far1"))), within(0.01));
    // the worst of partition 0 when all three are kept
    final LocalStatsQueries.SimilarResult p0only = queries.similar(new Sketch(SPEC, q), 3, "near", List.of(0),
        false);
    assertThat(p0only.matches()).extracting(SimilarMatch::inferenceId).containsExactly("base", "far0");

    // a query shorter than the stored sketches compares with none of them
    final LocalStatsQueries.SimilarResult shorter = queries.similar(
        new Sketch(SPEC, java.util.Arrays.copyOf(q, 128)), 3, null, BOTH, false);
    assertThat(shorter.matches()).isEmpty();
    assertThat(shorter.scanned()).isZero();
  }

  private static float[] vector(final InferenceSketch s) {
    final float[] v = new float[s.getVector().size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = s.getVector().get(i);
    }
    return v;
  }

  private static double cosine(final float[] a, final float[] b) {
    return BruteForce.cosine(a, b);
  }

  @Test
  void topKSortsBestFirstBreaksTiesByIdAndCuts() {
    final SimilarMatch a = new SimilarMatch("a", 0.5, 1, "s");
    final SimilarMatch b = new SimilarMatch("b", 0.9, 2, "s");
    final SimilarMatch c = new SimilarMatch("c", 0.5, 3, "s");
    final SimilarMatch d = new SimilarMatch("d", -0.2, 4, "s");
    assertThat(LocalStatsQueries.topK(List.of(d, c, a, b), 10)).containsExactly(b, a, c, d);
    assertThat(LocalStatsQueries.topK(List.of(d, c, a, b), 4)).containsExactly(b, a, c, d);
    assertThat(LocalStatsQueries.topK(List.of(d, c, a, b), 3)).containsExactly(b, a, c);
    assertThat(LocalStatsQueries.topK(List.of(c, d, b, a), 2)).containsExactly(b, a);
    assertThat(LocalStatsQueries.topK(List.of(c, d, b, a), 0)).isEmpty();
    assertThat(LocalStatsQueries.topK(List.of(), 3)).isEmpty();
    // the result is a list of its own: changing it leaves the next call's input alone
    final List<SimilarMatch> in = new ArrayList<>(List.of(a, b, c));
    LocalStatsQueries.topK(in, 2).add(d);
    assertThat(in).containsExactly(a, b, c);
  }

  @Test
  void aMigratingStoreIsRetriedUntilItAnswers() {
    final DriverStores stores = four.failNext(2);
    final LocalStatsQueries q = queries(stores);
    assertThat(q.catalogueEntry("cat", List.of(1), false).inferences()).isEqualTo(1);
    assertThat(stores.requests()).hasSize(3).allSatisfy(p -> {
      assertThat(p.storeName()).isEqualTo(StatsStores.CATALOGUE);
      assertThat(p.partition()).isEqualTo(1);
      assertThat(p.staleStoresEnabled()).isFalse();
    });
  }

  @Test
  void staleReadsAskForStaleStores() {
    final DriverStores stores = four;
    final LocalStatsQueries q = queries(stores);
    assertThat(q.sketch("a1", 0, true).eventTime()).isEqualTo(TA1);
    assertThat(q.hourly("cat", T0, T0 + DAY, List.of(1), true)).containsOnlyKeys(T0 + 2 * HOUR);
    assertThat(stores.requests()).hasSize(3).allSatisfy(p -> assertThat(p.staleStoresEnabled()).isTrue());
    assertThat(stores.requests()).extracting(StoreQueryParameters::storeName)
        .containsExactly(StatsStores.REPOSITORY, StatsStores.INFERENCES_DAILY, StatsStores.PRESENCE_DAILY);
    assertThat(stores.requests()).extracting(StoreQueryParameters::partition).containsExactly(0, 1, 1);
  }

  @Test
  void aStoreStillMigratingAfterTheWaitIsUnavailable() {
    final DriverStores stores = four;
    final LocalStatsQueries q = new LocalStatsQueries(stores, Duration.ofMillis(300),
        StatsConfig.DEFAULT_STATS_BUCKET);
    final long start = System.nanoTime();
    // partition 7 is not hosted: every call throws InvalidStateStoreException
    assertThatThrownBy(() -> q.catalogue(List.of(0, 7), false))
        .isInstanceOfSatisfying(StoreUnavailableException.class, e -> {
          assertThat(e.store()).isEqualTo(StatsStores.CATALOGUE);
          assertThat(e.partition()).isEqualTo(7);
          assertThat(e.getCause()).isInstanceOf(InvalidStateStoreException.class);
        });
    final long waitedMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(waitedMs).isGreaterThanOrEqualTo(300).isLessThan(3_000);
    // retried every 50 ms or so: more than a couple of tries, far fewer than a busy loop would make
    final long tries = stores.requests().stream().filter(p -> p.partition() == 7).count();
    assertThat(tries).isBetween(3L, 8L);
  }

  @Test
  void anInterruptWhileWaitingEndsTheWaitAndKeepsTheInterrupt() {
    final DriverStores stores = four.failNext(1);
    final LocalStatsQueries q = queries(stores);
    Thread.currentThread().interrupt();
    try {
      final long start = System.nanoTime();
      assertThatThrownBy(() -> q.sketch("a1", 0, false))
          .isInstanceOfSatisfying(StoreUnavailableException.class, e -> {
            assertThat(e.store()).isEqualTo(StatsStores.REPOSITORY);
            assertThat(e.partition()).isZero();
            assertThat(e.getCause()).isInstanceOf(InterruptedException.class);
          });
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    assertThat(stores.requests()).hasSize(1);
  }
}
