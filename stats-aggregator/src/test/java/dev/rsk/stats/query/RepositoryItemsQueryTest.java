package dev.rsk.stats.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.contract.SketchMapper;
import dev.rsk.stats.StatsConfig;
import dev.rsk.stats.StatsStores;
import dev.rsk.stats.StoreChanges;
import dev.rsk.stats.TimeIndex;
import dev.rsk.stats.model.AttributeStats;
import dev.rsk.stats.serde.RepositoryCodec;
import dev.rsk.stats.testing.DriverStores;
import dev.rsk.stats.testing.ExactSumsSketch;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LocalStatsQueries#attributeStatsByLength} on fine rows written without their KLL items (rows as the
 * processor writes them: {@link AttributeStats#countsOnly()}, put into the driver's real store here), whose items
 * the query reads back from the repository records of the row's bucket on the same partition. Expected items are
 * the per-inference means {@code sum / count} worked out by hand (exact float32 values; a KLL sketch below 200
 * items holds every one).
 */
class RepositoryItemsQueryTest {

  private static final long HOUR = 3_600_000L;
  private static final long DAY = 24 * HOUR;
  private static final long T0 = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();

  private static InferenceSketch record(final String id, final long t, final int count, final double... sums) {
    return ExactSumsSketch.of(id, t, "cat", count, sums);
  }

  private final List<TopologyTestDriver> drivers = new ArrayList<>();

  @AfterEach
  void close() {
    drivers.forEach(TopologyTestDriver::close);
  }

  private TopologyTestDriver driver(final Path dir, final String name) {
    final TopologyTestDriver d = DriverStores.partition("items-" + name, dir.resolve(name));
    drivers.add(d);
    return d;
  }

  /** Rewrites every fine cat row of {@code d} as {@link AttributeStats#countsOnly()}: no items, flag set. */
  private static void dropItems(final TopologyTestDriver d) {
    final WindowStore<String, AttributeStats> fine = d.getWindowStore(StatsStores.ATTRIBUTE_STATS);
    final List<KeyValue<Long, AttributeStats>> rows = new ArrayList<>();
    try (WindowStoreIterator<AttributeStats> it = fine.fetch("cat", Instant.ofEpochMilli(0),
        Instant.ofEpochMilli(T0 + 10 * DAY))) {
      it.forEachRemaining(rows::add);
    }
    for (final KeyValue<Long, AttributeStats> row : rows) {
      final AttributeStats countsOnly = row.value.countsOnly();
      assertThat(countsOnly.quantiles(0).getN()).isZero();
      fine.put("cat", countsOnly, row.key);
    }
  }

  private static float[] items(final AttributeStats s, final int dim) {
    assertThat(s.quantiles(dim).isEstimationMode()).isFalse();
    return s.quantiles(dim).getSortedView().getQuantiles();
  }

  @Test
  void rowsWithoutItemsGetThoseOfTheirBucketsRecordsOnTheirOwnPartition(@TempDir final Path dir) {
    final TopologyTestDriver p0 = driver(dir, "p0");
    final TopologyTestDriver p1 = driver(dir, "p1");
    DriverStores.send(p0, record("a1", T0 + HOUR, 2, 3.0, -1.0));            // means 1.5, -0.5
    DriverStores.send(p0, record("a2", T0 + 23 * HOUR, 1, 0.25, 4.0));       // 0.25, 4 (the day's last hour)
    DriverStores.send(p0, record("a3", T0 + DAY, 4, 2.0, 8.0));              // 0.5, 2 (the next day's first ms)
    DriverStores.send(p1, record("b1", T0 + 3 * HOUR, 1, 5.0, 1.0));         // 5, 1
    // p1, 03-02: c0 (k = 2), then c1 (k = 3), whose row replaces c0's (PendingAggregates): c0's record stays in
    // the repository, in the bucket of a k = 3 row, and must not enter it
    DriverStores.send(p1, record("c0", T0 + DAY + HOUR, 1, 6.0, 6.0));
    DriverStores.send(p1, record("c1", T0 + DAY + 2 * HOUR, 1, 7.0, 7.0, 7.0));
    dropItems(p0);
    dropItems(p1);
    final DriverStores stores = new DriverStores(Map.of(0, p0, 1, p1));
    final LocalStatsQueries q = new LocalStatsQueries(stores, Duration.ofSeconds(5),
        StatsConfig.DEFAULT_STATS_BUCKET);

    final AttributeStats first = q.attributeStats("cat", T0, T0 + DAY, List.of(0, 1), false);
    assertThat(first.repositoryItems()).isFalse();
    assertThat(first.observations()).isEqualTo(3);                          // counts as stored: a1, a2, b1
    assertThat(first.objects()).isEqualTo(4);
    assertThat(items(first, 0)).containsExactly(0.25f, 1.5f, 5.0f);
    assertThat(items(first, 1)).containsExactly(-0.5f, 1.0f, 4.0f);
    assertThat(stores.requests()).extracting(StoreQueryParameters::storeName).containsExactly(
        StatsStores.ATTRIBUTE_STATS, StatsStores.TIME_INDEX, StatsStores.REPOSITORY,
        StatsStores.ATTRIBUTE_STATS, StatsStores.TIME_INDEX, StatsStores.REPOSITORY);

    final var both = q.attributeStatsByLength("cat", T0, T0 + 2 * DAY, List.of(0, 1), false);
    assertThat(both).containsOnlyKeys(2, 3);
    assertThat(items(both.get(2), 0)).containsExactly(0.25f, 0.5f, 1.5f, 5.0f);
    assertThat(both.get(3).observations()).isEqualTo(1);
    assertThat(items(both.get(3), 0)).containsExactly(7.0f);
    assertThat(items(both.get(3), 2)).containsExactly(7.0f);

    // the edits below change the repository behind its rows' backs (the processor pins into the row as well):
    // read with the items cache off, so that each query reads the repository
    final LocalStatsQueries uncached = new LocalStatsQueries(stores, Duration.ofSeconds(5),
        StatsConfig.DEFAULT_STATS_BUCKET, new StoreChanges(), 0);
    // a stale time-index entry (another event time of a2, in the same bucket) does not add a2 twice
    final KeyValueStore<Bytes, byte[]> index = p0.getKeyValueStore(StatsStores.TIME_INDEX);
    index.put(TimeIndex.key(T0 + 4 * HOUR, "a2"), new byte[] {1});
    assertThat(items(uncached.attributeStats("cat", T0, T0 + DAY, List.of(0), false), 0)).containsExactly(0.25f, 1.5f);

    // a record marked stats-pinned is skipped: its row holds (here: lacks) another version's item
    final KeyValueStore<String, byte[]> repository = p0.getKeyValueStore(StatsStores.REPOSITORY);
    repository.put("a2", RepositoryCodec.withStatsPinned(repository.get("a2")));
    assertThat(items(uncached.attributeStats("cat", T0, T0 + DAY, List.of(0), false), 0)).containsExactly(1.5f);
    // a record without exact sums for the module is skipped as well, and so is an id whose record is gone
    final InferenceSketch noSums = InferenceSketch.newBuilder(record("a1", T0 + HOUR, 2, 3.0, -1.0))
        .setAttributeSums(Map.of()).setAttributeSquares(Map.of()).build();
    repository.put("a1", RepositoryCodec.encode(noSums, SketchMapper.sketch(noSums)));
    assertThat(uncached.attributeStats("cat", T0, T0 + DAY, List.of(0), false).quantiles(0).getN()).isZero();
    repository.delete("a1");
    assertThat(uncached.attributeStats("cat", T0, T0 + DAY, List.of(0), false).quantiles(0).getN()).isZero();
  }

  /**
   * A partition that becomes unavailable in the middle of the repository scan (after one record was read) is read
   * again from the start: each item enters once.
   */
  @Test
  void aScanRetriedMidwayAddsEachItemOnce(@TempDir final Path dir) {
    final TopologyTestDriver p0 = driver(dir, "retry");
    DriverStores.send(p0, record("a1", T0 + HOUR, 2, 3.0, -1.0));
    DriverStores.send(p0, record("a2", T0 + 2 * HOUR, 1, 0.25, 4.0));
    dropItems(p0);
    final DriverStores driverStores = new DriverStores(Map.of(0, p0));
    final int[] gets = {0};
    final StoreProvider failingOnce = new StoreProvider() {
      @Override
      @SuppressWarnings("unchecked")
      public <T> T store(final StoreQueryParameters<T> params) {
        final T store = driverStores.store(params);
        if (!params.storeName().equals(StatsStores.REPOSITORY)) {
          return store;
        }
        return (T) new FailingSecondGet((ReadOnlyKeyValueStore<String, byte[]>) store, gets);
      }
    };
    final LocalStatsQueries q = new LocalStatsQueries(failingOnce, Duration.ofSeconds(5),
        StatsConfig.DEFAULT_STATS_BUCKET);
    final AttributeStats s = q.attributeStats("cat", T0, T0 + DAY, List.of(0), false);
    assertThat(gets[0]).isEqualTo(4);                                        // a1, a2 (fails), then a1, a2
    assertThat(items(s, 0)).containsExactly(0.25f, 1.5f);
    assertThat(s.quantiles(1).getN()).isEqualTo(2);
  }

  /** The repository of a partition whose second point read throws, as a store migrating mid-read does. */
  private record FailingSecondGet(ReadOnlyKeyValueStore<String, byte[]> store, int[] gets)
      implements ForwardingRepository {

    @Override
    public byte[] get(final String key) {
      if (++gets[0] == 2) {
        throw new InvalidStateStoreException("migrating");
      }
      return store.get(key);
    }
  }
}
