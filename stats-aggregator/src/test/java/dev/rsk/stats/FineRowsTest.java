package dev.rsk.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rsk.stats.model.AttributeStats;
import dev.rsk.stats.model.CatalogueEntry;
import dev.rsk.stats.model.DayCounts;
import dev.rsk.stats.serde.StatsSerdes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link FineRows} alone, on real in-memory window stores, its repository reads replaced by a map of items (the
 * processor's real reads are in StatsProcessorTest): how a bucket's inferences are counted from the day rows,
 * which row each case stores, and that a row whose items do not complete it stays as it was. Items are the first
 * attribute over the count, worked out in the comments.
 */
class FineRowsTest {

  private static final long HOUR = 3_600_000L;
  private static final long DAY = 24 * HOUR;
  private static final long D = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();

  private final MockProcessorContext<Void, Void> context = new MockProcessorContext<>();
  private final List<StateStore> opened = new ArrayList<>();
  /** The repository's items by module: what the reader returns for any bucket. */
  private final Map<String, List<RepositoryItems.Item>> repository = new HashMap<>();
  private final List<String> reads = new ArrayList<>();

  @AfterEach
  void tearDown() {
    opened.forEach(StateStore::close);
  }

  private <V> WindowStore<String, V> window(final String name, final Serde<V> serde) {
    final WindowStore<String, V> s = Stores.windowStoreBuilder(
        Stores.inMemoryWindowStore(name, Duration.ofDays(800), Duration.ofDays(1), false), Serdes.String(), serde)
        .withLoggingDisabled().build();
    s.init(context.getStateStoreContext(), s);
    opened.add(s);
    return s;
  }

  private FineRows rows(final long itemsMax, final long bucketMs) {
    return new FineRows(itemsMax, bucketMs, (module, bucket, length, tracked) -> {
      reads.add(module + "@" + (bucket - D) / HOUR + "h/" + length + "/" + tracked);
      return repository.getOrDefault(module, List.of());
    });
  }

  private static RepositoryItems.Item item(final int count, final double first) {
    return new RepositoryItems.Item(count, new double[] {first, 0});
  }

  /** A row in the repository's keeping, of one exact observation per value (count 1). */
  private static AttributeStats repositoryRow(final double... firsts) {
    final AttributeStats row = new AttributeStats(2, 200);
    for (final double x : firsts) {
      row.addExact(1, new double[] {x, 0}, new double[] {x * x, 0});
    }
    return row.countsOnly();
  }

  private static AttributeStats delta(final double... firsts) {
    final AttributeStats d = new AttributeStats(2, 200);
    for (final double x : firsts) {
      d.addExact(1, new double[] {x, 0}, new double[] {x * x, 0});
    }
    return d;
  }

  private static float[] items(final AttributeStats row) {
    return row.quantiles(0).getN() == 0 ? new float[0] : row.quantiles(0).getSortedView().getQuantiles();
  }

  @Test
  void aBucketsInferencesAreTheDayRowsHoursInsideIt() {
    final WindowStore<String, DayCounts> days = window("inferences", StatsSerdes.dayCounts());
    final DayCounts first = new DayCounts(1);
    first.add(5, 0, 2);   // 05:00, in the 00:00 six-hour bucket
    first.add(6, 0, 3);   // 06:00, in the next
    first.add(23, 0, 4);  // 23:00
    days.put(StatsStores.ALL_INFERENCES, first, D);
    final DayCounts second = new DayCounts(1);
    second.add(0, 0, 7);
    days.put(StatsStores.ALL_INFERENCES, second, D + DAY);
    final DayCounts other = new DayCounts(1);
    other.add(5, 0, 100); // another key: not counted
    days.put("cat", other, D);

    assertThat(rows(2, 6 * HOUR).inferences(days, D)).isEqualTo(2);
    assertThat(rows(2, 6 * HOUR).inferences(days, D + 6 * HOUR)).isEqualTo(3);
    assertThat(rows(2, 6 * HOUR).inferences(days, D + 18 * HOUR)).isEqualTo(4);
    assertThat(rows(2, DAY).inferences(days, D)).isEqualTo(9);
    assertThat(rows(2, 2 * DAY).inferences(days, D)).isEqualTo(16);
    assertThat(rows(2, DAY).inferences(days, D + 2 * DAY)).isZero();
    assertThat(rows(2, 6 * HOUR).bucketOf(D + 11 * HOUR + 59 * 60_000)).isEqualTo(D + 6 * HOUR);
  }

  @Test
  void busyMeansMoreThanTheBoundAndTheBoundIsNotNegative() {
    assertThat(rows(2, DAY).busy(2)).isFalse();
    assertThat(rows(2, DAY).busy(3)).isTrue();
    assertThat(rows(0, DAY).busy(0)).isFalse();
    assertThat(rows(0, DAY).busy(1)).isTrue();
    assertThatThrownBy(() -> rows(-1, DAY)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("itemsMax");
  }

  @Test
  void aNewRowKeepsItsItemsOnlyInABusyBucket() {
    final FineRows fine = rows(2, DAY);
    final AttributeStats quiet = fine.next("cat", D, null, delta(1, 2), null, false);
    assertThat(quiet.repositoryItems()).isTrue();
    assertThat(quiet.quantiles(0).getN()).isZero();
    assertThat(quiet.observations()).isEqualTo(2);
    final AttributeStats busy = fine.next("cat", D, null, delta(1, 2), null, true);
    assertThat(busy.repositoryItems()).isFalse();
    assertThat(items(busy)).containsExactly(1f, 2f);
    assertThat(reads).isEmpty();
  }

  @Test
  void aRowWithEveryItemAddsTheDeltasItemsWithoutReading() {
    final AttributeStats old = delta(5);
    final AttributeStats next = rows(2, DAY).next("cat", D, old, delta(1, 2), null, false);
    assertThat(next.repositoryItems()).isFalse();
    assertThat(items(next)).containsExactly(1f, 2f, 5f);
    assertThat(next.observations()).isEqualTo(3);
    assertThat(reads).isEmpty();
  }

  @Test
  void aRepositoryRowSwitchesInABusyBucketWithItsPinnedAndRepositoryItems() {
    repository.put("cat", List.of(item(1, 1), item(2, 6), item(1, 3)));  // items 1, 3, 3
    final AttributeStats pinned = new AttributeStats(2, 200);
    pinned.itemsInRepository();
    pinned.addRepositoryObservation(1, new double[] {9, 0});               // item 9
    final AttributeStats old = repositoryRow(1, 3, 9);                      // 3 observations, none held
    final FineRows fine = rows(2, DAY);

    final AttributeStats quiet = fine.next("cat", D, repositoryRow(1, 3, 9), delta(3), pinned, false);
    assertThat(quiet.repositoryItems()).isTrue();
    assertThat(quiet.quantiles(0).getN()).as("the pinned item is left to the caller").isZero();
    assertThat(reads).isEmpty();

    final AttributeStats busy = fine.next("cat", D + 6 * HOUR, old, delta(3), pinned, true);
    assertThat(reads).containsExactly("cat@6h/2/2");
    assertThat(busy.repositoryItems()).isFalse();
    assertThat(busy.observations()).isEqualTo(4);
    assertThat(items(busy)).containsExactly(1f, 3f, 3f, 9f);
    assertThat(busy.mean(0)).isEqualTo((1 + 3 + 9 + 3) / 4.0);
    assertThat(pinned.quantiles(0).getN()).as("not changed").isEqualTo(1);
  }

  @Test
  void aRepositoryRowWhoseItemsDoNotCompleteItStaysAsItWas() {
    repository.put("cat", List.of(item(1, 1), item(1, 3)));               // one item short of 4 observations
    final AttributeStats next = rows(2, DAY).next("cat", D, repositoryRow(1, 3, 9), delta(3), null, true);
    assertThat(next.repositoryItems()).isTrue();
    assertThat(next.quantiles(0).getN()).isZero();
    assertThat(next.observations()).isEqualTo(4);
    repository.put("cat", List.of(item(1, 1), item(1, 3), item(1, 9), item(1, 3), item(1, 0)));  // one too many
    assertThat(rows(2, DAY).next("cat", D, repositoryRow(1, 3, 9), delta(3), null, true).repositoryItems())
        .isTrue();
  }

  @Test
  void aSweepSwitchesTheBucketsRepositoryRowsThatItsItemsComplete() {
    final WindowStore<String, AttributeStats> stats = window("stats", StatsSerdes.attributeStats());
    stats.put("cat", repositoryRow(1, 3), D);
    stats.put("dog", repositoryRow(4), D);
    stats.put("eye", repositoryRow(7, 8), D);        // its items below are one short: stays
    stats.put("person", delta(5), D);                // every item already
    stats.put("cat", repositoryRow(2), D + DAY);     // another bucket
    repository.put("cat", List.of(item(1, 1), item(1, 3)));
    repository.put("dog", List.of());                // its one observation is pinned in this interval
    repository.put("eye", List.of(item(1, 7)));
    final AttributeStats dogPin = new AttributeStats(2, 200);
    dogPin.itemsInRepository();
    dogPin.addRepositoryObservation(1, new double[] {4, 0});

    // "owl" has no row in the bucket; "bee" has one, but the catalogue does not list it: neither is read
    stats.put("bee", repositoryRow(6), D);
    repository.put("bee", List.of(item(1, 6)));
    final KeyValueStore<String, CatalogueEntry> catalogue = Stores.keyValueStoreBuilder(
        Stores.inMemoryKeyValueStore("catalogue"), Serdes.String(), StatsSerdes.catalogueEntry())
        .withLoggingDisabled().build();
    catalogue.init(context.getStateStoreContext(), catalogue);
    opened.add(catalogue);
    for (final String module : List.of("cat", "dog", "eye", "person", "owl")) {
      catalogue.put(module, new CatalogueEntry(module, D, D, 1, 1, 2));
    }
    rows(2, DAY).sweep(stats, catalogue, D, (module, k) -> module.equals("dog") && k == 2 ? dogPin : null);

    assertThat(reads).containsExactlyInAnyOrder("cat@0h/2/2", "dog@0h/2/2", "eye@0h/2/2");
    assertThat(items(stats.fetch("cat", D))).containsExactly(1f, 3f);
    assertThat(stats.fetch("cat", D).repositoryItems()).isFalse();
    assertThat(items(stats.fetch("dog", D))).containsExactly(4f);
    assertThat(stats.fetch("dog", D).repositoryItems()).isFalse();
    assertThat(stats.fetch("eye", D).repositoryItems()).isTrue();
    assertThat(stats.fetch("eye", D).quantiles(0).getN()).isZero();
    assertThat(items(stats.fetch("person", D))).containsExactly(5f);
    assertThat(stats.fetch("cat", D + DAY).repositoryItems()).isTrue();
    assertThat(stats.fetch("bee", D).repositoryItems()).isTrue();
  }
}
