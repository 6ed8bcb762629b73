package dev.rsk.stats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.model.AttributeStats;
import dev.rsk.stats.model.CatalogueEntry;
import dev.rsk.stats.model.DayCounts;
import dev.rsk.stats.model.SketchSum;
import dev.rsk.stats.serde.StatsSerdes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link PendingAggregates} writes at a commit, on real in-memory stores: hourly deltas land in their
 * UTC day row's hour and add to what is stored, the catalogue keeps min/max of added times and the attribute
 * length of the latest add, a new attribute length replaces the stored statistics, sums of shorter vectors add
 * to their prefix, day and month rows are written from the merged deltas, pinned items join only a fine row that
 * keeps its items in the repository, and nothing is written twice or
 * after {@link PendingAggregates#clear}. Every expected value is worked out by hand in the comments.
 */
class PendingAggregatesTest {

  private static final long HOUR = 3_600_000L;
  private static final long DAY = 24 * HOUR;
  /** A Sunday, first of a month: its day and month start at the same instant. */
  private static final long D = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
  private static final long MARCH = D;
  private static final long APRIL = Instant.parse("2026-04-01T00:00:00Z").toEpochMilli();
  private static final SketchSpec SPEC = SketchSpec.of(64, 42L, 0.5, 0.5);

  private final MockProcessorContext<Void, Void> context = new MockProcessorContext<>();
  private final List<StateStore> opened = new ArrayList<>();
  private PendingAggregates.Stores stores;

  @BeforeEach
  void setUp() {
    final Duration month = Duration.ofDays(31);
    stores = new PendingAggregates.Stores(
        window("presence", Duration.ofDays(1), StatsSerdes.dayCounts()),
        window("inferences", Duration.ofDays(1), StatsSerdes.dayCounts()),
        window("stats", Duration.ofDays(1), StatsSerdes.attributeStats()),
        keyValue("catalogue", StatsSerdes.catalogueEntry()),
        window("sums-daily", Duration.ofDays(1), StatsSerdes.sketchSum()),
        window("sums-monthly", month, StatsSerdes.sketchSum()),
        window("stats-monthly", month, StatsSerdes.attributeStats()));
  }

  @AfterEach
  void tearDown() {
    opened.forEach(StateStore::close);
  }

  private <V> WindowStore<String, V> window(final String name, final Duration size, final Serde<V> serde) {
    final WindowStore<String, V> s = Stores.windowStoreBuilder(
        Stores.inMemoryWindowStore(name, Duration.ofDays(800), size, false), Serdes.String(), serde)
        .withLoggingDisabled().build();
    s.init(context.getStateStoreContext(), s);
    opened.add(s);
    return s;
  }

  private <V> KeyValueStore<String, V> keyValue(final String name, final Serde<V> serde) {
    final KeyValueStore<String, V> s = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name),
        Serdes.String(), serde).withLoggingDisabled().build();
    s.init(context.getStateStoreContext(), s);
    opened.add(s);
    return s;
  }

  private static PendingAggregates pending(final boolean rollUp) {
    // no bucket here is busy: its rows never read the repository (FineRowsTest, StatsProcessorTest)
    return new PendingAggregates(200, 8, rollUp, new FineRows(Integer.MAX_VALUE, Rollups.DAY_MS, (m, b, k, t) -> {
      throw new AssertionError("no bucket is busy");
    }));
  }

  private static <V> List<KeyValue<Windowed<String>, V>> rows(final WindowStore<String, V> store) {
    final List<KeyValue<Windowed<String>, V>> out = new ArrayList<>();
    try (KeyValueIterator<Windowed<String>, V> it = store.all()) {
      it.forEachRemaining(out::add);
    }
    return out;
  }

  private static DayCounts day(final int width, final long... hourColumnValue) {
    final DayCounts d = new DayCounts(width);
    for (int i = 0; i < hourColumnValue.length; i += 3) {
      d.add((int) hourColumnValue[i], (int) hourColumnValue[i + 1], hourColumnValue[i + 2]);
    }
    return d;
  }

  @Test
  void hourlyDeltasLandInTheirDayRowsHourAndAddToWhatIsStored() {
    stores.inferences().put(StatsStores.ALL_INFERENCES, day(1, 5, 0, 10), D);
    final PendingAggregates p = pending(true);
    p.inference(D + 5 * HOUR, +1);
    p.inference(D + 5 * HOUR, +1);
    p.inference(D + 5 * HOUR, -1);       // hour 5: 10 stored + 1 - 1 + 1 = 11
    p.inference(D + 23 * HOUR, +1);      // hour 23 of the same day: 1
    p.inference(D + DAY, +1);            // hour 0 of the next day: its own row
    p.presence("cat", D + 5 * HOUR, +1, 3);
    p.presence("cat", D + 5 * HOUR, +1, 2);
    p.presence("cat", D + 5 * HOUR, -1, 1); // inferences 1 + 1 - 1 = 1, objects 3 + 2 - 1 = 4
    p.presence("cat", D + 2 * DAY + 7 * HOUR, +1, 2);
    p.presence("dog", D + 5 * HOUR, -1, 3); // a retraction alone: -1 inference, -3 objects
    assertThat(p.size()).isEqualTo(3 + 3); // 3 hours of inferences, 3 (module, hour) of presence
    p.writeTo(stores);

    assertThat(stores.inferences().fetch(StatsStores.ALL_INFERENCES, D)).isEqualTo(day(1, 5, 0, 11, 23, 0, 1));
    assertThat(stores.inferences().fetch(StatsStores.ALL_INFERENCES, D + DAY)).isEqualTo(day(1, 0, 0, 1));
    assertThat(rows(stores.inferences())).hasSize(2);
    assertThat(stores.presence().fetch("cat", D)).isEqualTo(day(2, 5, 0, 1, 5, 1, 4));
    assertThat(stores.presence().fetch("cat", D + 2 * DAY)).isEqualTo(day(2, 7, 0, 1, 7, 1, 2));
    assertThat(stores.presence().fetch("dog", D)).isEqualTo(day(2, 5, 0, -1, 5, 1, -3));
    assertThat(rows(stores.presence())).hasSize(3);
    assertThat(p.size()).isZero();

    // written once: a second write with nothing pending changes nothing
    p.writeTo(stores);
    assertThat(stores.inferences().fetch(StatsStores.ALL_INFERENCES, D)).isEqualTo(day(1, 5, 0, 11, 23, 0, 1));
    assertThat(stores.presence().fetch("cat", D)).isEqualTo(day(2, 5, 0, 1, 5, 1, 4));
  }

  @Test
  void aNewCatalogueEntryKeepsTheTimeRangeOfItsAddsAndTheLengthOfTheLatest() {
    final PendingAggregates p = pending(true);
    p.catalogue("cat", 100, +1, 2, 4);  // first add: k = 4 at t = 100
    p.catalogue("cat", 50, +1, 1, 5);   // an earlier time: first becomes 50, k stays 4 (50 < 100)
    p.catalogue("cat", 100, +1, 1, 6);  // the same latest time: the later add's k = 6 wins
    p.catalogue("cat", 900, -1, 1, 9);  // a retraction: counts only, not the time range nor k
    // a module only retracted and never stored: nothing to write
    p.catalogue("ghost", 70, -1, 2, 4);
    p.catalogue("flag", 80, +1, 3, 0);  // a module without attributes (k = 0) is still an added module
    assertThat(p.size()).isEqualTo(3);
    p.writeTo(stores);
    // inferences 1 + 1 + 1 - 1 = 2, objects 2 + 1 + 1 - 1 = 3
    assertThat(stores.catalogue().get("cat")).isEqualTo(new CatalogueEntry("cat", 50, 100, 2, 3, 6));
    assertThat(stores.catalogue().get("flag")).isEqualTo(new CatalogueEntry("flag", 80, 80, 1, 3, 0));
    assertThat(stores.catalogue().get("ghost")).isNull();
  }

  @Test
  void aStoredCatalogueEntryWidensItsRangeAndTakesANewLengthOnlyFromAnAddAtOrAfterItsLastSeen() {
    stores.catalogue().put("cow", new CatalogueEntry("cow", 1000, 2000, 5, 5, 4));
    stores.catalogue().put("elk", new CatalogueEntry("elk", 1000, 2000, 5, 5, 4));
    stores.catalogue().put("hen", new CatalogueEntry("hen", 1000, 2000, 5, 5, 4));
    stores.catalogue().put("fox", new CatalogueEntry("fox", 1000, 2000, 3, 6, 4));
    stores.catalogue().put("gnu", new CatalogueEntry("gnu", 1000, 2000, 3, 6, 4));
    final PendingAggregates p = pending(true);
    p.catalogue("cow", 500, +1, 1, 4);
    p.catalogue("cow", 1500, +1, 2, 7);  // latest add at 1500 < lastSeen 2000: stored k = 4 stays
    p.catalogue("elk", 2000, +1, 1, 9);  // exactly at lastSeen: k = 9
    p.catalogue("hen", 2500, +1, 1, 9);  // after it: lastSeen 2500 and k = 9
    p.catalogue("fox", 3000, -1, 2, 8);  // a retraction only: range and k unchanged
    p.catalogue("gnu", 3000, -1, 2, 8);  // a retraction at a later time, then an add inside the range
    p.catalogue("gnu", 1500, +1, 1, 5);  // add at 1500 < 2000: k stays 4, range stays [1000, 2000]
    p.writeTo(stores);
    assertThat(stores.catalogue().get("cow")).isEqualTo(new CatalogueEntry("cow", 500, 2000, 7, 8, 4));
    assertThat(stores.catalogue().get("elk")).isEqualTo(new CatalogueEntry("elk", 1000, 2000, 6, 6, 9));
    assertThat(stores.catalogue().get("hen")).isEqualTo(new CatalogueEntry("hen", 1000, 2500, 6, 6, 9));
    assertThat(stores.catalogue().get("fox")).isEqualTo(new CatalogueEntry("fox", 1000, 2000, 2, 4, 4));
    assertThat(stores.catalogue().get("gnu")).isEqualTo(new CatalogueEntry("gnu", 1000, 2000, 3, 5, 4));
  }

  private static AttributeStats stats(final int k, final double... values) {
    final AttributeStats s = new AttributeStats(k, 8, 200);
    for (final double v : values) {
      s.addExact(1, filled(k, v), filled(k, v * v));
    }
    return s;
  }

  private static double[] filled(final int k, final double v) {
    final double[] x = new double[k];
    java.util.Arrays.fill(x, v);
    return x;
  }

  @Test
  void statisticsMergeIntoStoredOnesOfTheSameLengthAndANewLengthReplacesThem() {
    final long bucket = D + 3 * DAY;
    stores.attributeStats().put("cat", stats(4, 1.0), bucket);   // same length: merged
    stores.attributeStats().put("dog", stats(3, 7.0), bucket);   // stored k = 3, pending k = 4: replaced
    stores.attributeStats().put("cow", stats(5, 7.0), bucket);   // k 5 stored, pending 4 then 5: replaced
    final PendingAggregates p = pending(true);
    final AttributeStats cat = p.stats("cat", bucket, 4);
    cat.addExact(1, filled(4, 3.0), filled(4, 9.0));
    assertThat(p.stats("cat", bucket, 4)).isSameAs(cat); // the same pending statistics, not a new one
    p.stats("cat", bucket, 4).addExact(2, filled(4, 10.0), filled(4, 50.0)); // two objects, mean 5
    p.stats("dog", bucket, 4).addExact(1, filled(4, 2.0), filled(4, 4.0));
    p.stats("cow", bucket, 4).addExact(1, filled(4, 2.0), filled(4, 4.0));
    p.stats("cow", bucket, 5).addExact(1, filled(5, 6.0), filled(5, 36.0));
    p.writeTo(stores);

    final AttributeStats storedCat = stores.attributeStats().fetch("cat", bucket);
    assertThat(storedCat.observations()).isEqualTo(3);
    assertThat(storedCat.objects()).isEqualTo(4);      // 1 stored + 1 + 2
    assertThat(storedCat.mean(0)).isEqualTo(3.5);       // (1 + 3 + 10) / 4
    final AttributeStats storedDog = stores.attributeStats().fetch("dog", bucket);
    assertThat(storedDog.attributeLength()).isEqualTo(4);
    assertThat(storedDog.observations()).isEqualTo(1);
    assertThat(storedDog.mean(2)).isEqualTo(2.0);
    final AttributeStats storedCow = stores.attributeStats().fetch("cow", bucket);
    assertThat(storedCow.attributeLength()).isEqualTo(5);
    assertThat(storedCow.observations()).isEqualTo(1); // the stored k = 5 one was replaced, not merged
    assertThat(storedCow.mean(4)).isEqualTo(6.0);

    // the month row: created from the deltas (nothing stored there before), replaced where the length changed
    final AttributeStats monthCat = stores.statsMonthly().fetch("cat", MARCH);
    assertThat(monthCat.observations()).isEqualTo(2);
    assertThat(monthCat.mean(0)).isEqualTo(13.0 / 3);  // (3 + 10) / 3 objects
    assertThat(stores.statsMonthly().fetch("cow", MARCH).attributeLength()).isEqualTo(5);
    assertThat(rows(stores.statsMonthly())).hasSize(3);
  }

  /**
   * Pinned items join their fine row at the commit only where that row then has their attribute length and keeps
   * its items in the repository: not a row of another length, not a complete row (it holds them already), and no
   * row where there is none. The row's counts stay: the observation was counted when it came.
   */
  @Test
  void pinnedItemsJoinTheirFineRowOnlyWhileItKeepsItsItemsInTheRepository() {
    final long bucket = D + DAY;
    final AttributeStats owl = new AttributeStats(2, 200);         // a complete row of every item
    owl.addExact(1, new double[] {5, 5}, new double[] {25, 25});
    stores.attributeStats().put("owl", owl, bucket);
    final PendingAggregates p = pending(false);
    p.stats("cat", bucket, 2).addExact(2, new double[] {3, -1}, new double[] {5, 1});
    p.pin("cat", bucket, 2, 1, new double[] {-3, 8});             // items -3 and 8
    p.pin("cat", bucket, 3, 1, new double[] {1, 1, 1});           // another length than the row's
    p.pin("dog", bucket, 2, 1, new double[] {1, 1});              // no dog row
    p.pin("owl", bucket, 2, 1, new double[] {7, 7});
    assertThat(p.size()).isEqualTo(5);                             // one statistics delta, four pin keys
    p.writeTo(stores);

    AttributeStats cat = stores.attributeStats().fetch("cat", bucket);
    assertThat(cat.repositoryItems()).isTrue();
    assertThat(cat.attributeLength()).isEqualTo(2);
    assertThat(cat.observations()).isEqualTo(1);
    assertThat(cat.objects()).isEqualTo(2);
    assertThat(cat.quantiles(0).getN()).isEqualTo(1);
    assertThat(cat.quantiles(0).getMinItem()).isEqualTo(-3f);
    assertThat(cat.quantiles(1).getMinItem()).isEqualTo(8f);
    assertThat(stores.attributeStats().fetch("dog", bucket)).isNull();
    final AttributeStats owlAfter = stores.attributeStats().fetch("owl", bucket);
    assertThat(owlAfter.repositoryItems()).isFalse();
    assertThat(owlAfter.quantiles(0).getN()).isEqualTo(1);
    assertThat(owlAfter.quantiles(0).getMaxItem()).isEqualTo(5f);

    // the next commit: an observation adds its counts (not its items) and a pin its items; none is written twice
    p.stats("cat", bucket, 2).addExact(1, new double[] {9, 9}, new double[] {81, 81});
    p.pin("cat", bucket, 2, 2, new double[] {4, 6});               // items 2 and 3
    assertThat(p.size()).isEqualTo(2);
    p.writeTo(stores);
    cat = stores.attributeStats().fetch("cat", bucket);
    assertThat(cat.observations()).isEqualTo(2);
    assertThat(cat.objects()).isEqualTo(3);
    assertThat(cat.mean(0)).isEqualTo(4.0);                        // (3 + 9) / 3
    assertThat(cat.quantiles(0).getN()).isEqualTo(2);
    assertThat(cat.quantiles(0).getMaxItem()).isEqualTo(2f);
    assertThat(cat.quantiles(1).getMinItem()).isEqualTo(3f);
  }

  @Test
  void monthRowsMergeTheBucketsOfTheMonthIntoWhatIsStored() {
    stores.statsMonthly().put("cat", stats(4, 1.0), MARCH);
    stores.statsMonthly().put("dog", stats(3, 1.0), MARCH); // stored k = 3: the month's k = 4 delta replaces it
    final PendingAggregates p = pending(true);
    p.stats("cat", D + 2 * DAY, 4).addExact(1, filled(4, 2.0), filled(4, 4.0));
    p.stats("cat", D + 9 * DAY, 4).addExact(1, filled(4, 6.0), filled(4, 36.0));
    p.stats("cat", APRIL, 4).addExact(1, filled(4, 8.0), filled(4, 64.0));
    p.stats("dog", D + 2 * DAY, 4).addExact(1, filled(4, 5.0), filled(4, 25.0));
    p.writeTo(stores);
    final AttributeStats march = stores.statsMonthly().fetch("cat", MARCH);
    assertThat(march.observations()).isEqualTo(3);      // 1 stored + the buckets of the 3rd and the 10th
    assertThat(march.mean(1)).isEqualTo(3.0);           // (1 + 2 + 6) / 3
    assertThat(stores.statsMonthly().fetch("cat", APRIL).observations()).isEqualTo(1);
    assertThat(stores.statsMonthly().fetch("cat", APRIL).mean(3)).isEqualTo(8.0);
    final AttributeStats dog = stores.statsMonthly().fetch("dog", MARCH);
    assertThat(dog.attributeLength()).isEqualTo(4);
    assertThat(dog.observations()).isEqualTo(1);
    // and each bucket has its own fine row
    assertThat(stores.attributeStats().fetch("cat", D + 2 * DAY).mean(0)).isEqualTo(2.0);
    assertThat(stores.attributeStats().fetch("cat", D + 9 * DAY).mean(0)).isEqualTo(6.0);
  }

  /**
   * Two buckets of one month whose attribute lengths differ cannot merge: the month row holds the later bucket's
   * statistics, written as a replacement, never a mix, whichever order the buckets were touched in.
   */
  @Test
  void bucketsOfOneMonthWithDifferentLengthsLeaveTheLaterBucketInTheMonthRow() {
    // several pairs of days, each pair touched in both orders: no map order can pass them all by chance
    for (int later = 3; later <= 20; later++) {
      for (final boolean laterFirst : new boolean[] {false, true}) {
        stores.statsMonthly().put("cat", stats(4, 1.0, 1.0, 1.0), MARCH); // 3 observations stored, k = 4
        final PendingAggregates p = pending(true);
        if (laterFirst) {
          p.stats("cat", D + later * DAY, 5).addExact(1, filled(5, 6.0), filled(5, 36.0));
        }
        p.stats("cat", D + 2 * DAY, 4).addExact(1, filled(4, 2.0), filled(4, 4.0));
        if (!laterFirst) {
          p.stats("cat", D + later * DAY, 5).addExact(1, filled(5, 6.0), filled(5, 36.0));
        }
        p.writeTo(stores);
        final AttributeStats march = stores.statsMonthly().fetch("cat", MARCH);
        assertThat(march.attributeLength()).as("day " + later + " touched first: " + laterFirst).isEqualTo(5);
        assertThat(march.observations()).isEqualTo(1); // neither merged with the other bucket nor with the stored 3
        assertThat(march.mean(0)).isEqualTo(6.0);
      }
    }
  }

  @Test
  void withoutRollUpNoMonthRowOfStatisticsIsWritten() {
    final PendingAggregates p = pending(false);
    p.stats("cat", D, 4).addExact(1, filled(4, 2.0), filled(4, 4.0));
    p.writeTo(stores);
    assertThat(stores.attributeStats().fetch("cat", D).observations()).isEqualTo(1);
    assertThat(rows(stores.statsMonthly())).isEmpty();
  }

  @Test
  void sumsAddToTheirDayAndMonthRowsAndAShorterVectorToItsPrefix() {
    final String key4 = SketchSum.key(SPEC, 4);
    stores.sumsDaily().put(key4, new SketchSum(SPEC, 3, new float[] {1, 1, 1, 1}), D);
    final PendingAggregates p = pending(true);
    p.sum(SPEC, 4, D, new float[] {1, 2, 3, 4}, +1);
    p.sum(SPEC, 4, D, new float[] {10, 20}, +1);            // an aged (2-coordinate) vector: adds to the prefix
    p.sum(SPEC, 4, D, new float[] {1, 1, 1, 1, 5, 5}, -1);  // a longer one: only the first 4 count
    p.sum(SPEC, 4, D + 5 * DAY, new float[] {2, 2, 2, 2}, +1);
    p.sum(SPEC, 4, APRIL, new float[] {7, 7, 7, 7}, +1);
    assertThat(p.size()).isEqualTo(3);
    p.writeTo(stores);

    // day D: stored (3; 1 1 1 1) + (1; 1 2 3 4) + (1; 10 20 0 0) - (1; 1 1 1 1) = (4; 11 22 3 4)
    assertSum(stores.sumsDaily().fetch(key4, D), 4, 11, 22, 3, 4);
    assertSum(stores.sumsDaily().fetch(key4, D + 5 * DAY), 1, 2, 2, 2, 2);
    assertSum(stores.sumsDaily().fetch(key4, APRIL), 1, 7, 7, 7, 7);
    // March's row: the deltas of D and D + 5 days, (1; 10 21 2 3) + (1; 2 2 2 2); the stored day row is not in it
    assertSum(stores.sumsMonthly().fetch(key4, MARCH), 2, 12, 23, 4, 5);
    assertSum(stores.sumsMonthly().fetch(key4, APRIL), 1, 7, 7, 7, 7);
    assertThat(rows(stores.sumsMonthly())).hasSize(2);

    // a second commit adds to the stored month row
    p.sum(SPEC, 4, D + DAY, new float[] {1, 0, 0, 0}, +1);
    p.writeTo(stores);
    assertSum(stores.sumsMonthly().fetch(key4, MARCH), 3, 13, 23, 4, 5);
  }

  @Test
  void aSumThatNetsToNoSketchWritesNoNewRowButStillUpdatesAStoredOne() {
    final String key = SketchSum.key(SPEC, 2);
    stores.sumsDaily().put(key, new SketchSum(SPEC, 1, new float[] {5, 5}), D + DAY);
    final PendingAggregates p = pending(true);
    p.sum(SPEC, 2, D, new float[] {1, 2}, +1);      // added and retracted in the same interval: no row for D
    p.sum(SPEC, 2, D, new float[] {1, 2}, -1);
    p.sum(SPEC, 2, D + DAY, new float[] {5, 5}, -1); // the stored one retracted: count 0, kept as a zero row
    p.writeTo(stores);
    assertThat(stores.sumsDaily().fetch(key, D)).isNull();
    assertSum(stores.sumsDaily().fetch(key, D + DAY), 0, 0, 0);
    // the month's deltas net to a retraction, (-1; -5 -5), and no month row was stored: none is written
    assertThat(stores.sumsMonthly().fetch(key, MARCH)).isNull();
  }

  private static void assertSum(final SketchSum s, final long count, final float... sum) {
    assertThat(s).isNotNull();
    assertThat(s.spec()).isEqualTo(SPEC);
    assertThat(s.count()).isEqualTo(count);
    assertThat(s.sum()).containsExactly(sum);
  }

  @Test
  void clearDropsEveryPendingChange() {
    final PendingAggregates p = pending(true);
    p.inference(D, +1);
    p.presence("cat", D, +1, 1);
    p.catalogue("cat", D, +1, 1, 4);
    p.stats("cat", D, 4).addExact(1, filled(4, 1.0), filled(4, 1.0));
    p.sum(SPEC, 2, D, new float[] {1, 1}, +1);
    assertThat(p.size()).isEqualTo(5);
    p.clear();
    assertThat(p.size()).isZero();
    p.writeTo(stores);
    assertThat(rows(stores.inferences())).isEmpty();
    assertThat(rows(stores.presence())).isEmpty();
    assertThat(rows(stores.attributeStats())).isEmpty();
    assertThat(rows(stores.sumsDaily())).isEmpty();
    assertThat(stores.catalogue().get("cat")).isNull();
  }
}
