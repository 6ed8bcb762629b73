package dev.rsk.stats.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.stats.RepositoryItems;
import dev.rsk.stats.StatsConfig;
import dev.rsk.stats.StatsStores;
import dev.rsk.stats.StoreChanges;
import dev.rsk.stats.model.AttributeStats;
import dev.rsk.stats.testing.DriverStores;
import dev.rsk.stats.testing.ExactSumsSketch;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RepositoryItemsCache}: alone (stamps, epoch, wholeness, budget), and under {@link
 * LocalStatsQueries#attributeStats} on the real topology, where every change the processor makes to a day (a new
 * sketch, a re-sketch, a tombstone) must show in the next answer. Expected items are the per-inference means {@code
 * sum / count}, worked out by hand (a KLL sketch below 200 items holds every one).
 */
class RepositoryItemsCacheTest {

  private static final long HOUR = 3_600_000L;
  private static final long DAY = 24 * HOUR;
  private static final long T0 = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
  private static final RepositoryItemsCache.Key KEY = new RepositoryItemsCache.Key(0, "cat", T0, 2, 2);

  private final List<TopologyTestDriver> drivers = new ArrayList<>();

  @AfterEach
  void close() {
    drivers.forEach(TopologyTestDriver::close);
  }

  private static List<RepositoryItems.Item> items(final int n) {
    final List<RepositoryItems.Item> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new RepositoryItems.Item(1, new double[] {i, -i}));
    }
    return out;
  }

  // --- the cache alone ---------------------------------------------------------------------------------------

  @Test
  void keepsWholeItemSetsForTheirStampAndEpochOnly() {
    final StoreChanges changes = new StoreChanges();
    final RepositoryItemsCache cache = new RepositoryItemsCache(changes, 1 << 20);
    final RepositoryItemsCache.Stamp three = new RepositoryItemsCache.Stamp(3, 0, 5, 1);   // 1 held + 2 items
    cache.put(KEY, changes.epoch(), three, items(1));                                      // 1 + 1 != 3: not whole
    assertThat(cache.size()).isZero();
    cache.put(KEY, changes.epoch(), three, items(3));                                      // 1 + 3 != 3
    assertThat(cache.size()).isZero();
    cache.put(KEY, changes.epoch(), three, items(2));
    assertThat(cache.get(KEY, three)).hasSize(2);
    assertThat(cache.get(KEY, new RepositoryItemsCache.Stamp(3, 0, 5, 2))).isNull();        // one more item pinned
    assertThat(cache.get(KEY, new RepositoryItemsCache.Stamp(4, 0, 6, 1))).isNull();        // one more observation
    assertThat(cache.get(KEY, new RepositoryItemsCache.Stamp(3, 1, 5, 1))).isNull();        // an estimated one
    assertThat(cache.get(new RepositoryItemsCache.Key(1, "cat", T0, 2, 2), three)).isNull(); // another partition
    assertThat(cache.get(new RepositoryItemsCache.Key(0, "cat", T0 + DAY, 2, 2), three)).isNull();
    assertThat(cache.get(new RepositoryItemsCache.Key(0, "cat", T0, 3, 2), three)).isNull();
    assertThat(cache.get(KEY, three)).hasSize(2);

    final long before = changes.epoch();
    changes.beginWrite(0);                                                                   // a commit: epoch stays
    changes.endWrite(0);
    assertThat(changes.epoch()).isEqualTo(before);
    assertThat(cache.get(KEY, three)).hasSize(2);
    changes.changed();                                                                      // restore, discard...
    assertThat(cache.get(KEY, three)).isNull();
    assertThat(cache.size()).isZero();
    assertThat(cache.bytes()).isZero();

    cache.put(KEY, before, three, items(2));                                                // read before the move
    assertThat(cache.size()).isZero();
  }

  @Test
  void dropsTheLeastRecentlyUsedBeyondItsBudget() {
    final StoreChanges changes = new StoreChanges();
    final long one = RepositoryItemsCache.bytesOf(KEY, items(2));
    assertThat(one).isEqualTo(200 + 2 * 3 + 2 * (40 + 16));
    final RepositoryItemsCache cache = new RepositoryItemsCache(changes, 2 * one);
    final RepositoryItemsCache.Stamp stamp = new RepositoryItemsCache.Stamp(2, 0, 2, 0);
    final RepositoryItemsCache.Key a = new RepositoryItemsCache.Key(0, "cat", T0, 2, 2);
    final RepositoryItemsCache.Key b = new RepositoryItemsCache.Key(0, "cat", T0 + DAY, 2, 2);
    final RepositoryItemsCache.Key c = new RepositoryItemsCache.Key(0, "cat", T0 + 2 * DAY, 2, 2);
    cache.put(a, 0, stamp, items(2));
    cache.put(b, 0, stamp, items(2));
    assertThat(cache.bytes()).isEqualTo(2 * one);
    assertThat(cache.get(a, stamp)).isNotNull();                                            // a is now the newer
    cache.put(c, 0, stamp, items(2));
    assertThat(cache.get(b, stamp)).isNull();
    assertThat(cache.get(a, stamp)).isNotNull();
    assertThat(cache.get(c, stamp)).isNotNull();
    assertThat(cache.bytes()).isEqualTo(2 * one);
    cache.put(a, 0, stamp, items(2));                                                       // replaced, not added
    assertThat(cache.bytes()).isEqualTo(2 * one);
    assertThat(cache.size()).isEqualTo(2);

    final RepositoryItemsCache small = new RepositoryItemsCache(changes, one - 1);
    small.put(a, 0, stamp, items(2));
    assertThat(small.size()).isZero();
    final RepositoryItemsCache off = new RepositoryItemsCache(changes, 0);
    off.put(a, 0, stamp, items(2));
    assertThat(off.size()).isZero();
    assertThatThrownBy(() -> new RepositoryItemsCache(changes, -1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theStampOfARowCountsTheItemsItHolds() {
    final AttributeStats row = new AttributeStats(2, 200);
    row.addExact(2, new double[] {3, -1}, new double[] {9, 1});
    row.addExact(1, new double[] {1, 1}, new double[] {1, 1});
    final AttributeStats countsOnly = row.countsOnly();
    assertThat(RepositoryItemsCache.Stamp.of(countsOnly)).isEqualTo(new RepositoryItemsCache.Stamp(2, 0, 3, 0));
    countsOnly.addRepositoryObservation(2, new double[] {3, -1});                           // a pinned item
    assertThat(RepositoryItemsCache.Stamp.of(countsOnly)).isEqualTo(new RepositoryItemsCache.Stamp(2, 0, 3, 1));
    assertThat(RepositoryItemsCache.Stamp.of(countsOnly).wholeWith(1)).isTrue();
    assertThat(RepositoryItemsCache.Stamp.of(countsOnly).wholeWith(2)).isFalse();
    assertThat(RepositoryItemsCache.Stamp.of(new AttributeStats(2, 0, 200)).held()).isZero();
  }

  // --- under the queries, on the real topology ----------------------------------------------------------------

  private TopologyTestDriver driver(final Path dir, final String name) {
    final TopologyTestDriver d = DriverStores.partition("itemscache-" + name, dir.resolve(name));
    drivers.add(d);
    return d;
  }

  private static InferenceSketch record(final String id, final long t, final int count, final double... sums) {
    return ExactSumsSketch.of(id, t, "cat", count, sums);
  }

  private static float[] firstDim(final AttributeStats s) {
    assertThat(s.quantiles(0).isEstimationMode()).isFalse();
    return s.quantiles(0).getSortedView().getQuantiles();
  }

  private static List<String> storesAsked(final DriverStores stores) {
    final List<String> names = stores.requests().stream().map(StoreQueryParameters::storeName).toList();
    stores.requests().clear();
    return names;
  }

  @Test
  void aDaysItemsAreReadOnceAndEveryChangeOfTheDayShowsInTheNextAnswer(@TempDir final Path dir) {
    final TopologyTestDriver p0 = driver(dir, "p0");
    DriverStores.send(p0, record("a1", T0 + HOUR, 2, 3.0, -1.0));                          // 1.5
    DriverStores.send(p0, record("a2", T0 + 2 * HOUR, 1, 0.25, 4.0));                      // 0.25
    final DriverStores stores = new DriverStores(Map.of(0, p0));
    final StoreChanges changes = new StoreChanges();
    final LocalStatsQueries q = new LocalStatsQueries(stores, Duration.ofSeconds(5),
        StatsConfig.DEFAULT_STATS_BUCKET, changes, 1 << 20);
    final List<Integer> p = List.of(0);

    assertThat(firstDim(q.attributeStats("cat", T0, T0 + DAY, p, false))).containsExactly(0.25f, 1.5f);
    assertThat(storesAsked(stores)).containsExactly(StatsStores.ATTRIBUTE_STATS, StatsStores.TIME_INDEX,
        StatsStores.REPOSITORY);
    assertThat(firstDim(q.attributeStats("cat", T0, T0 + DAY, p, false))).containsExactly(0.25f, 1.5f);
    assertThat(storesAsked(stores)).containsExactly(StatsStores.ATTRIBUTE_STATS);           // kept

    DriverStores.send(p0, record("a3", T0 + 3 * HOUR, 4, 2.0, 8.0));                       // a new sketch: 0.5
    assertThat(firstDim(q.attributeStats("cat", T0, T0 + DAY, p, false))).containsExactly(0.25f, 0.5f, 1.5f);
    assertThat(storesAsked(stores)).contains(StatsStores.REPOSITORY);

    // a1 re-sketched: its record now holds the new version, and its first version's item is pinned in the row
    DriverStores.send(p0, record("a1", T0 + 4 * HOUR, 2, 20.0, 40.0));
    assertThat(firstDim(q.attributeStats("cat", T0, T0 + DAY, p, false))).containsExactly(0.25f, 0.5f, 1.5f);
    assertThat(storesAsked(stores)).contains(StatsStores.REPOSITORY);

    // a2 deleted: its record is gone and its item pinned in the row
    p0.createInputTopic("sketches", new StringSerializer(), new StringSerializer())
        .pipeInput("a2", null, T0 + 5 * HOUR);
    assertThat(firstDim(q.attributeStats("cat", T0, T0 + DAY, p, false))).containsExactly(0.25f, 0.5f, 1.5f);
    assertThat(firstDim(q.attributeStats("cat", T0, T0 + DAY, p, false))).containsExactly(0.25f, 0.5f, 1.5f);
    assertThat(storesAsked(stores)).containsExactly(StatsStores.ATTRIBUTE_STATS, StatsStores.TIME_INDEX,
        StatsStores.REPOSITORY, StatsStores.ATTRIBUTE_STATS);

    changes.changed();                                                                      // a restore, a discard
    assertThat(firstDim(q.attributeStats("cat", T0, T0 + DAY, p, false))).containsExactly(0.25f, 0.5f, 1.5f);
    assertThat(storesAsked(stores)).contains(StatsStores.REPOSITORY);
  }

  /**
   * A day past the fine rows' bound (2 inferences per partition here) keeps its items in its row: a question reads
   * only the statistics store, before and after a new sketch, and gets the items it read from the repository before
   * the day became busy, and the new one.
   */
  @Test
  void aBusyDayIsAnsweredFromItsRowAloneWithTheSameItems(@TempDir final Path dir) {
    final TopologyTestDriver p0 = DriverStores.partition("itemscache-busy", dir.resolve("busy"),
        DriverStores.config().withRepositoryItemsMax(2));
    drivers.add(p0);
    DriverStores.send(p0, record("a1", T0 + HOUR, 2, 3.0, -1.0));                          // 1.5
    DriverStores.send(p0, record("a2", T0 + 2 * HOUR, 1, 0.25, 4.0));                      // 0.25
    final DriverStores stores = new DriverStores(Map.of(0, p0));
    final LocalStatsQueries q = new LocalStatsQueries(stores, Duration.ofSeconds(5),
        StatsConfig.DEFAULT_STATS_BUCKET, new StoreChanges(), 0);                            // no items kept
    final List<Integer> p = List.of(0);
    assertThat(firstDim(q.attributeStats("cat", T0, T0 + DAY, p, false))).containsExactly(0.25f, 1.5f);
    assertThat(storesAsked(stores)).containsExactly(StatsStores.ATTRIBUTE_STATS, StatsStores.TIME_INDEX,
        StatsStores.REPOSITORY);

    DriverStores.send(p0, record("a3", T0 + 3 * HOUR, 4, 2.0, 8.0));                       // 0.5: busy
    assertThat(firstDim(q.attributeStats("cat", T0, T0 + DAY, p, false))).containsExactly(0.25f, 0.5f, 1.5f);
    assertThat(storesAsked(stores)).containsExactly(StatsStores.ATTRIBUTE_STATS);
    DriverStores.send(p0, record("a4", T0 + 4 * HOUR, 1, -2.0, 0.0));                      // -2
    final AttributeStats four = q.attributeStats("cat", T0, T0 + DAY, p, false);
    assertThat(firstDim(four)).containsExactly(-2f, 0.25f, 0.5f, 1.5f);
    assertThat(four.observations()).isEqualTo(4);
    assertThat(four.mean(0)).isEqualTo((3.0 + 0.25 + 2.0 - 2.0) / 8);                       // objects 2+1+4+1
    assertThat(storesAsked(stores)).containsExactly(StatsStores.ATTRIBUTE_STATS);
  }

  @Test
  void aStandbyReadIsNotKept(@TempDir final Path dir) {
    final TopologyTestDriver p0 = driver(dir, "standby");
    DriverStores.send(p0, record("a1", T0 + HOUR, 2, 3.0, -1.0));
    final DriverStores stores = new DriverStores(Map.of(0, p0));
    final LocalStatsQueries q = new LocalStatsQueries(stores, Duration.ofSeconds(5),
        StatsConfig.DEFAULT_STATS_BUCKET, new StoreChanges(), 1 << 20);
    assertThat(firstDim(q.attributeStats("cat", T0, T0 + DAY, List.of(0), true))).containsExactly(1.5f);
    assertThat(firstDim(q.attributeStats("cat", T0, T0 + DAY, List.of(0), false))).containsExactly(1.5f);
    assertThat(storesAsked(stores)).containsExactly(StatsStores.ATTRIBUTE_STATS, StatsStores.TIME_INDEX,
        StatsStores.REPOSITORY, StatsStores.ATTRIBUTE_STATS, StatsStores.TIME_INDEX, StatsStores.REPOSITORY);
    assertThat(firstDim(q.attributeStats("cat", T0, T0 + DAY, List.of(0), true))).containsExactly(1.5f);
    assertThat(storesAsked(stores)).containsExactly(StatsStores.ATTRIBUTE_STATS);           // served what was kept
  }

  // --- the readers' bound -------------------------------------------------------------------------------------

  /**
   * With one reader slot, a second read waits for the first and gives up after the store wait: a 503
   * ({@link StoreUnavailableException}), not a queue of scans convoying on Kafka Streams' store lookup.
   */
  @Test
  void aReadWaitsAtMostTheStoreWaitForAReaderSlot(@TempDir final Path dir) throws Exception {
    final TopologyTestDriver p0 = driver(dir, "readers");
    DriverStores.send(p0, record("a1", T0 + HOUR, 2, 3.0, -1.0));
    final DriverStores driverStores = new DriverStores(Map.of(0, p0));
    final CountDownLatch inRead = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final StoreProvider blocking = new StoreProvider() {
      @Override
      @SuppressWarnings("unchecked")
      public <T> T store(final StoreQueryParameters<T> params) {
        final T store = driverStores.store(params);
        return params.storeName().equals(StatsStores.REPOSITORY)
            ? (T) new BlockingGet((ReadOnlyKeyValueStore<String, byte[]>) store, inRead, release) : store;
      }
    };
    final LocalStatsQueries queries = new LocalStatsQueries(blocking, Duration.ofSeconds(5),
        StatsConfig.DEFAULT_STATS_BUCKET, new StoreChanges(), 0);
    final FineRowItems items = new FineRowItems(queries, Duration.ofMillis(300), DAY,
        new RepositoryItemsCache(new StoreChanges(), 0), 1);
    final ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      final Future<AttributeStats> first = pool.submit(() -> complete(items, 0));
      assertThat(inRead.await(10, TimeUnit.SECONDS)).isTrue();
      final long start = System.nanoTime();
      assertThatThrownBy(() -> complete(items, 0)).isInstanceOf(StoreUnavailableException.class)
          .hasStackTraceContaining("every repository reader stayed busy");
      assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(300).toNanos());
      release.countDown();
      assertThat(firstDim(first.get(10, TimeUnit.SECONDS))).containsExactly(1.5f);
      assertThat(firstDim(complete(items, 0))).containsExactly(1.5f);                      // the slot is free again
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  /** One counts-only cat row of a1 (two objects, sums 3 and -1) for 03-01, completed by {@code items}. */
  private static AttributeStats complete(final FineRowItems items, final int partition) {
    final AttributeStats row = new AttributeStats(2, 200);
    row.addExact(2, new double[] {3, -1}, new double[] {9, 1});
    final TreeMap<Long, AttributeStats> rows = new TreeMap<>(Map.of(T0, row.countsOnly()));
    items.complete("cat", rows, partition, false, items.epoch());
    return rows.get(T0);
  }

  /** A repository whose point reads wait for {@code release} (after saying so on {@code inRead}). */
  private record BlockingGet(ReadOnlyKeyValueStore<String, byte[]> store, CountDownLatch inRead,
      CountDownLatch release) implements ForwardingRepository {

    @Override
    public byte[] get(final String key) {
      inRead.countDown();
      try {
        assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return store.get(key);
    }
  }
}
