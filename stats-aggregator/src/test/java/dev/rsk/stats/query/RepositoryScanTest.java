package dev.rsk.stats.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.sketch.DecoderCache;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.StatsConfig;
import dev.rsk.stats.StatsStores;
import dev.rsk.stats.query.lang.QueryPartial;
import dev.rsk.stats.query.lang.QueryPlan;
import dev.rsk.stats.testing.DriverStores;
import dev.rsk.stats.testing.Scenes;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * RepositoryScan over the real stats topology on TopologyTestDrivers standing for partitions 0 and 1. Partition 0
 * holds 300 inferences r000..r299, one a minute from T0, r_i with i % 3 cats; partition 1 holds three, at T0 + 100,
 * 101 and 400 minutes, each with a cat. The scan reads a range by point reads of the time index's ids unless the
 * range holds at least a quarter of the partition (300 / 4 = 75 ids), then by one pass over the repository; the
 * two answer alike, but only the pass can run past 256 records and so reach the deadline check with so few ids.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RepositoryScanTest {

  private static final long MIN = 60_000L;
  private static final long T0 = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
  private static final SketchSpec SPEC = SketchSpec.of(64, 42L, 0.5, 0.5);
  private static final long NO_DEADLINE = Long.MAX_VALUE;

  private TopologyTestDriver p0;
  private TopologyTestDriver p1;
  private DriverStores stores;
  private RepositoryScan scan;

  @BeforeAll
  void open(@TempDir final Path dir) {
    p0 = driver(dir.resolve("p0"));
    p1 = driver(dir.resolve("p1"));
    final Scenes scenes = new Scenes(SPEC, 3);
    for (int i = 0; i < 300; i++) {
      send(p0, scenes.scene(String.format("r%03d", i), T0 + i * MIN, i % 3, 0, 1));
    }
    send(p1, scenes.scene("q1", T0 + 100 * MIN, 1, 0, 0));
    send(p1, scenes.scene("q2", T0 + 101 * MIN, 1, 1, 0));
    send(p1, scenes.scene("q3", T0 + 400 * MIN, 1, 0, 0));
    stores = new DriverStores(Map.of(0, p0, 1, p1));
    scan = new RepositoryScan(new LocalStatsQueries(stores, Duration.ofMillis(200), StatsConfig.DEFAULT_STATS_BUCKET),
        new DecoderCache());
  }

  @BeforeEach
  void clear() {
    stores.requests().clear();
  }

  @AfterAll
  void close() {
    p0.close();
    p1.close();
  }

  private static TopologyTestDriver driver(final Path dir) {
    return DriverStores.partition("scan-" + dir.getFileName(), dir);
  }

  private static void send(final TopologyTestDriver d, final InferenceSketch s) {
    DriverStores.send(d, s);
  }

  private static QueryPlan plan(final long fromMinute, final long toMinute) {
    return QueryPlan.parse("cat", List.of("count"), T0 + fromMinute * MIN, T0 + toMinute * MIN, 60 * MIN,
        ZoneOffset.UTC);
  }

  /** Of r_i for i in [from, to): those with a cat (i % 3 != 0). */
  private static long withCat(final int from, final int to) {
    long n = 0;
    for (int i = from; i < to; i++) {
      if (i % 3 != 0) {
        n++;
      }
    }
    return n;
  }

  @Test
  void thePartitionHoldsWhatWasSent() {
    // the quarter rule's denominator: the repository's entry count as RocksDB estimates it
    assertThat(p0.getKeyValueStore(StatsStores.REPOSITORY).approximateNumEntries()).isEqualTo(300);
  }

  @Test
  void aRangeOfAQuarterOfThePartitionIsCountedByOnePassFromItsFirstToBeforeItsLastMinute() {
    // minutes [100, 175): 75 ids, a quarter of 300: the repository pass; r100 in, r175 out
    final QueryPartial wide = scan.scan(plan(100, 175), List.of(0), false, NO_DEADLINE);
    assertThat(wide.inferences()).isEqualTo(75);
    assertThat(wide.scanned()).isEqualTo(75);
    assertThat(wide.matched()).isEqualTo(withCat(100, 175)).isEqualTo(50);
    assertThat(wide.overBudget()).isFalse();
    // hour buckets counted from the range's start: [100, 160), [160, 175)
    assertThat(wide.bucketInferences()).containsExactly(60, 15);
  }

  @Test
  void aRangeOneShortOfAQuarterIsCountedByPointReads() {
    // minutes [100, 174): 74 ids, one short of the quarter: point reads; r100 in, r174 out
    final QueryPartial narrow = scan.scan(plan(100, 174), List.of(0), false, NO_DEADLINE);
    assertThat(narrow.inferences()).isEqualTo(74);
    assertThat(narrow.scanned()).isEqualTo(74);
    assertThat(narrow.matched()).isEqualTo(withCat(100, 174)).isEqualTo(50); // r174 had no cat
    assertThat(narrow.overBudget()).isFalse();
    // a short range at the start and one past the last record
    assertThat(scan.scan(plan(0, 10), List.of(0), false, NO_DEADLINE).matched()).isEqualTo(withCat(0, 10));
    assertThat(scan.scan(plan(299, 400), List.of(0), false, NO_DEADLINE).inferences()).isEqualTo(1);
    assertThat(scan.scan(plan(300, 400), List.of(0), false, NO_DEADLINE).inferences()).isZero();
  }

  @Test
  void aDeadlinePassedMarksThePassOverBudgetAfter256RecordsButNotAFewPointReads() {
    final long passed = System.nanoTime() - 1;
    // the pass reads r000..r255 (all before the deadline check): every record of [100, 175) is counted
    final QueryPartial wide = scan.scan(plan(100, 175), List.of(0), false, passed);
    assertThat(wide.overBudget()).isTrue();
    assertThat(wide.inferences()).isEqualTo(75);
    // the pass stops at r255: of [200, 300) (100 ids, wide) only r200..r255 are counted
    final QueryPartial late = scan.scan(plan(200, 300), List.of(0), false, passed);
    assertThat(late.overBudget()).isTrue();
    assertThat(late.inferences()).isEqualTo(56);
    // 74 point reads never reach the 256th
    final QueryPartial narrow = scan.scan(plan(100, 174), List.of(0), false, passed);
    assertThat(narrow.overBudget()).isFalse();
    assertThat(narrow.inferences()).isEqualTo(74);
    // the whole partition within budget
    final QueryPartial all = scan.scan(plan(0, 300), List.of(0), false, NO_DEADLINE);
    assertThat(all.overBudget()).isFalse();
    assertThat(all.inferences()).isEqualTo(300);
  }

  @Test
  void partitionsArePartialsThatAddUpAndTheFlagsReachEveryStore() {
    // partition 1 is three records: its [100, 175) holds q1, q2 (2 of 3 ids: wide, by the pass)
    final QueryPartial one = scan.scan(plan(100, 175), List.of(1), true, NO_DEADLINE);
    assertThat(one.inferences()).isEqualTo(2);
    assertThat(one.matched()).isEqualTo(2);
    assertThat(stores.requests()).allSatisfy(p -> {
      assertThat(p.staleStoresEnabled()).isTrue();
      assertThat(p.partition()).isEqualTo(1);
    });
    assertThat(stores.requests()).extracting(StoreQueryParameters::storeName)
        .containsExactly(StatsStores.NETWORK, StatsStores.TIME_INDEX, StatsStores.REPOSITORY);

    final QueryPartial both = scan.scan(plan(100, 175), List.of(0, 1), false, NO_DEADLINE);
    assertThat(both.inferences()).isEqualTo(77);
    assertThat(both.matched()).isEqualTo(52);
    assertThat(both.bucketInferences()).containsExactly(62, 15);
    // no partition: the empty partial of the plan
    final QueryPartial none = scan.scan(plan(100, 175), List.of(), false, NO_DEADLINE);
    assertThat(none.inferences()).isZero();
    assertThat(none.bucketInferences()).containsExactly(0, 0);
  }

  @Test
  void partitionsScannedOnAnExecutorAddUpTheSame() {
    final ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      final RepositoryScan parallel = new RepositoryScan(
          new LocalStatsQueries(stores, Duration.ofMillis(200), StatsConfig.DEFAULT_STATS_BUCKET),
          new DecoderCache(), pool);
      final QueryPartial both = parallel.scan(plan(0, 500), List.of(0, 1), false, NO_DEADLINE);
      assertThat(both.inferences()).isEqualTo(303);
      assertThat(both.matched()).isEqualTo(withCat(0, 300) + 3);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anUnavailablePartitionFailsTheScanWithTheStoresOwnException() {
    final ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      final DriverStores noIndex = new DriverStores(Map.of(0, p0, 1, p1)).unavailable(StatsStores.TIME_INDEX);
      final LocalStatsQueries q = new LocalStatsQueries(noIndex, Duration.ofMillis(100),
          StatsConfig.DEFAULT_STATS_BUCKET);
      for (final RepositoryScan s : List.of(new RepositoryScan(q, new DecoderCache()),
          new RepositoryScan(q, new DecoderCache(), pool))) {
        assertThatThrownBy(() -> s.scan(plan(0, 10), List.of(0, 1), false, NO_DEADLINE))
            .isInstanceOfSatisfying(StoreUnavailableException.class, e -> {
              assertThat(e.store()).isEqualTo(StatsStores.TIME_INDEX);
              assertThat(e.getCause()).isInstanceOf(InvalidStateStoreException.class);
            });
      }
      // a partition not hosted here fails already on the network read
      assertThatThrownBy(() -> scan.scan(plan(0, 10), List.of(0, 9), false, NO_DEADLINE))
          .isInstanceOfSatisfying(StoreUnavailableException.class, e -> {
            assertThat(e.store()).isEqualTo(StatsStores.NETWORK);
            assertThat(e.partition()).isEqualTo(9);
          });
    } finally {
      pool.shutdownNow();
    }
  }
}
