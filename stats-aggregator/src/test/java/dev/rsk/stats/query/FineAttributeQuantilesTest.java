package dev.rsk.stats.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.stats.StatsConfig;
import dev.rsk.stats.StatsStores;
import dev.rsk.stats.model.AttributeStats;
import dev.rsk.stats.testing.DriverStores;
import dev.rsk.stats.testing.ExactSumsSketch;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.apache.datasketches.kll.KllFloatsSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The KLL quantiles of daily (fine) attribute-statistics rows, whose items of exact observations are read back
 * from the repository at query time, end to end: hand-made records with known attribute sums go through the real
 * stats topology on two TopologyTestDrivers (partitions 0 and 1, real RocksDB stores). Every expected item is a
 * per-inference mean {@code sum / count} worked out by hand (each an exact float32), and below 200 items a KLL
 * sketch holds them all, so its min, max and median are exact.
 *
 * <pre>
 * module cat, k = 2            event time        count  sums          means (the KLL items)
 * p0  a1                       03-01 01:00       2      3.0, -1.0     1.5, -0.5
 * p0  a2                       03-01 05:00       1      0.25, 4.0     0.25, 4.0
 * p0  a3                       03-02 02:00       4      2.0, 8.0      0.5, 2.0
 * p0  a1 re-sketched           03-02 06:00       2      20.0, 40.0    (10, 20: never; the statistics keep
 *                                                                    a1's first version)
 * p1  b1, then its tombstone   03-01 03:00       1      5.0, 1.0      5.0, 1.0 (stays)
 * p1  b2                       03-02 04:00       2      -3.0, 6.0     -1.5, 3.0
 * </pre>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FineAttributeQuantilesTest {

  private static final long HOUR = 3_600_000L;
  private static final long DAY = 24 * HOUR;
  private static final long T0 = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
  private static final long APRIL = Instant.parse("2026-04-01T00:00:00Z").toEpochMilli();
  private static final List<Integer> BOTH = List.of(0, 1);

  private TopologyTestDriver p0;
  private TopologyTestDriver p1;
  private DriverStores stores;

  @BeforeAll
  void pipe(@TempDir final Path dir) {
    p0 = DriverStores.partition("fineq-p0", dir.resolve("p0"));
    p1 = DriverStores.partition("fineq-p1", dir.resolve("p1"));
    DriverStores.send(p0, ExactSumsSketch.of("a1", T0 + HOUR, "cat", 2, 3.0, -1.0));
    DriverStores.send(p0, ExactSumsSketch.of("a2", T0 + 5 * HOUR, "cat", 1, 0.25, 4.0));
    DriverStores.send(p0, ExactSumsSketch.of("a3", T0 + DAY + 2 * HOUR, "cat", 4, 2.0, 8.0));
    DriverStores.send(p0, ExactSumsSketch.of("a1", T0 + DAY + 6 * HOUR, "cat", 2, 20.0, 40.0));
    DriverStores.send(p1, ExactSumsSketch.of("b1", T0 + 3 * HOUR, "cat", 1, 5.0, 1.0));
    p1.createInputTopic("sketches", new StringSerializer(), new StringSerializer())
        .pipeInput("b1", null, T0 + DAY + 5 * HOUR);
    DriverStores.send(p1, ExactSumsSketch.of("b2", T0 + DAY + 4 * HOUR, "cat", 2, -3.0, 6.0));
    // dog on p1, 03-02: k = 2 first, then k = 3, whose row replaces the k = 2 one (PendingAggregates)
    DriverStores.send(p1, ExactSumsSketch.of("d1", T0 + DAY + HOUR, "dog", 1, 1.0, 1.0));
    DriverStores.send(p1, ExactSumsSketch.of("d2", T0 + DAY + 2 * HOUR, "dog", 1, 3.0, 6.0, 9.0));
    stores = new DriverStores(Map.of(0, p0, 1, p1));
  }

  @BeforeEach
  void clearRequests() {
    stores.requests().clear();
  }

  @AfterAll
  void close() {
    p0.close();
    p1.close();
  }

  private LocalStatsQueries queries() {
    return new LocalStatsQueries(stores, Duration.ofSeconds(5), StatsConfig.DEFAULT_STATS_BUCKET);
  }

  /** The items of an exact-mode KLL sketch, sorted. */
  private static float[] items(final KllFloatsSketch kll) {
    assertThat(kll.isEstimationMode()).isFalse();
    return kll.getSortedView().getQuantiles();
  }

  private static float median(final KllFloatsSketch kll) {
    return kll.getQuantile(0.5, QuantileSearchCriteria.INCLUSIVE);
  }

  @Test
  void wholeDaysReadTheRepositoryItemsOfBothPartitionsAndMatchTheMonth() {
    final LocalStatsQueries q = queries();
    final AttributeStats days = q.attributeStats("cat", T0, T0 + 2 * DAY, BOTH, false);
    assertThat(days.attributeLength()).isEqualTo(2);
    assertThat(days.observations()).isEqualTo(5);              // a1, a2, a3, b1, b2: the re-sketch adds none
    assertThat(days.objects()).isEqualTo(10);                  // 2 + 1 + 4 + 1 + 2
    assertThat(days.mean(0)).isEqualTo(0.725);                 // (3 + 0.25 + 2 + 5 - 3) / 10
    assertThat(days.mean(1)).isEqualTo(1.8);                   // (-1 + 4 + 8 + 1 + 6) / 10
    assertThat(items(days.quantiles(0))).containsExactly(-1.5f, 0.25f, 0.5f, 1.5f, 5.0f);
    assertThat(items(days.quantiles(1))).containsExactly(-0.5f, 1.0f, 2.0f, 3.0f, 4.0f);
    assertThat(days.quantiles(0).getMinItem()).isEqualTo(-1.5f);
    assertThat(days.quantiles(0).getMaxItem()).isEqualTo(5.0f);
    assertThat(median(days.quantiles(0))).isEqualTo(0.5f);     // the third of five
    assertThat(median(days.quantiles(1))).isEqualTo(2.0f);
    assertThat(stores.requests()).extracting(StoreQueryParameters::storeName)
        .doesNotContain(StatsStores.ATTRIBUTE_STATS_MONTHLY)
        .contains(StatsStores.ATTRIBUTE_STATS, StatsStores.TIME_INDEX, StatsStores.REPOSITORY);

    // the whole month is read from the monthly rows, which keep their items: the same answer, no repository read
    stores.requests().clear();
    final AttributeStats month = q.attributeStats("cat", T0, APRIL, BOTH, false);
    assertThat(stores.requests()).extracting(StoreQueryParameters::storeName)
        .containsOnly(StatsStores.ATTRIBUTE_STATS_MONTHLY);
    assertThat(month.observations()).isEqualTo(5);
    assertThat(items(month.quantiles(0))).containsExactly(items(days.quantiles(0)));
    assertThat(items(month.quantiles(1))).containsExactly(items(days.quantiles(1)));
    assertThat(median(month.quantiles(0))).isEqualTo(0.5f);
  }

  @Test
  void aReSketchedInferenceKeepsItsFirstVersionAndATombstonedOneItsItem() {
    final LocalStatsQueries q = queries();
    // 03-01: a1's first version (its record is now the re-sketch of 03-02), a2, and b1 (deleted since)
    final AttributeStats first = q.attributeStats("cat", T0, T0 + DAY, BOTH, false);
    assertThat(items(first.quantiles(0))).containsExactly(0.25f, 1.5f, 5.0f);
    assertThat(items(first.quantiles(1))).containsExactly(-0.5f, 1.0f, 4.0f);
    assertThat(median(first.quantiles(0))).isEqualTo(1.5f);
    // 03-02 on partition 0: a3 alone; the re-sketched a1 of that day is not observed (10 and 20 never appear)
    final AttributeStats second = q.attributeStats("cat", T0 + DAY, T0 + 2 * DAY, List.of(0), false);
    assertThat(second.observations()).isEqualTo(1);
    assertThat(items(second.quantiles(0))).containsExactly(0.5f);
    assertThat(items(second.quantiles(1))).containsExactly(2.0f);
    // partition 1 alone over both days: b1 (tombstoned) and b2
    final AttributeStats p1Only = q.attributeStats("cat", T0, T0 + 2 * DAY, List.of(1), false);
    assertThat(items(p1Only.quantiles(0))).containsExactly(-1.5f, 5.0f);
  }

  @Test
  void aRowOfAnotherAttributeLengthTakesOnlyRecordsOfItsLength() {
    final SortedMap<Integer, AttributeStats> dog = queries().attributeStatsByLength("dog", T0 + DAY, T0 + 2 * DAY,
        BOTH, false);
    assertThat(dog).containsOnlyKeys(3);
    assertThat(dog.get(3).observations()).isEqualTo(1);
    assertThat(items(dog.get(3).quantiles(0))).containsExactly(3.0f);   // d2: 3 / 1; d1's k = 2 record is not added
    assertThat(items(dog.get(3).quantiles(2))).containsExactly(9.0f);
  }

  /** A query reads a fine row once: asking twice gives the same items (the stored rows are not changed). */
  @Test
  void askingAgainGivesTheSameItems() {
    final LocalStatsQueries q = queries();
    final float[] once = items(q.attributeStats("cat", T0, T0 + 2 * DAY, BOTH, false).quantiles(0));
    final float[] twice = items(q.attributeStats("cat", T0, T0 + 2 * DAY, BOTH, false).quantiles(0));
    assertThat(twice).containsExactly(once);
    final ReadOnlyWindowStore<String, AttributeStats> fine = stores.store(StoreQueryParameters.fromNameAndType(
        StatsStores.ATTRIBUTE_STATS, QueryableStoreTypes.<String, AttributeStats>windowStore()).withPartition(0));
    try (WindowStoreIterator<AttributeStats> it = fine.fetch("cat", Instant.ofEpochMilli(T0),
        Instant.ofEpochMilli(T0 + 2 * DAY - 1))) {
      assertThat(it.hasNext()).isTrue();
    }
  }
}
