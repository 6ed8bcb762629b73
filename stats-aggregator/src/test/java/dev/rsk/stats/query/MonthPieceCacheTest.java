package dev.rsk.stats.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rsk.avro.InferenceSketch;
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
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link MonthPieceCache} and the month stamps of {@link StoreChanges}: alone, and under {@link
 * LocalStatsQueries#attributeStats} on the real topology, whose commit hook signals the stamps: every change of a
 * month row (a late sketch, a restore, a write a read overlapped, retention) must show in the next answer. Expected
 * items are the per-inference means {@code sum / count}, worked out by hand (a KLL sketch below 200 items holds every
 * one).
 */
class MonthPieceCacheTest {

  private static final long HOUR = 3_600_000L;
  private static final long DAY = 24 * HOUR;
  private static final long JAN = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
  private static final long FEB = Instant.parse("2026-02-01T00:00:00Z").toEpochMilli();
  private static final long MAR = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
  private static final long APR = Instant.parse("2026-04-01T00:00:00Z").toEpochMilli();
  private static final long MAY = Instant.parse("2026-05-01T00:00:00Z").toEpochMilli();
  private static final String MONTHS = StatsStores.ATTRIBUTE_STATS_MONTHLY;
  private static final MonthPieceCache.Key KEY = new MonthPieceCache.Key(0, "cat", FEB, APR);

  private final List<TopologyTestDriver> drivers = new ArrayList<>();

  @AfterEach
  void close() {
    drivers.forEach(TopologyTestDriver::close);
  }

  private static SortedMap<Integer, AttributeStats> stats(final double... means) {
    final AttributeStats s = new AttributeStats(2, 200);
    for (final double m : means) {
      s.addExact(1, new double[] {m, -m}, new double[] {m * m, m * m});
    }
    return new TreeMap<>(Map.of(2, s));
  }

  // --- the stamps and the cache alone -------------------------------------------------------------------------

  @Test
  void aMonthsStampMovesWithItsWritesTheHorizonAndTheEpochOnly() {
    final StoreChanges changes = new StoreChanges();
    final long[] start = changes.monthStamp(MONTHS, 0, FEB, APR);
    assertThat(start).containsExactly(0, 0, 0, 0);                          // epoch, horizon, Feb, Mar

    changes.beginMonthWrite(MONTHS, 0, List.of(APR));                               // a newer month: the horizon moves
    assertThat(changes.monthStamp(MONTHS, 0, FEB, APR)).isNull();                   // being written
    changes.endMonthWrite(MONTHS, 0);
    final long[] afterApr = changes.monthStamp(MONTHS, 0, FEB, APR);
    assertThat(afterApr).containsExactly(0, 1, 0, 0);

    changes.beginMonthWrite(MONTHS, 0, List.of(JAN));                               // an older month outside the range
    changes.endMonthWrite(MONTHS, 0);
    changes.beginMonthWrite(MONTHS, 1, List.of(FEB, MAY));                          // another partition
    changes.endMonthWrite(MONTHS, 1);
    changes.beginWrite(0);                                                   // a commit that writes no month row
    changes.endWrite(0);
    assertThat(changes.monthStamp(MONTHS, 0, FEB, APR)).isEqualTo(afterApr);

    changes.beginMonthWrite(MONTHS, 0, List.of(MAR));                               // a late sketch in March
    changes.endMonthWrite(MONTHS, 0);
    assertThat(changes.monthStamp(MONTHS, 0, FEB, APR)).containsExactly(0, 1, 0, 1);
    assertThat(changes.monthStamp(MONTHS, 1, FEB, APR)).containsExactly(0, 1, 1, 0);

    changes.changed();                                                      // restore, discard, rebalance
    assertThat(changes.monthStamp(MONTHS, 0, FEB, APR)).containsExactly(1, 1, 0, 1);
    changes.beginMonthWrite(MONTHS, 0, List.of(MAR));                               // the stream time is unknown again
    changes.endMonthWrite(MONTHS, 0);
    assertThat(changes.monthStamp(MONTHS, 0, FEB, APR)).containsExactly(1, 2, 0, 2);
    changes.beginMonthWrite(MONTHS, 0, List.of(MAR));                               // no longer newer than the newest
    changes.endMonthWrite(MONTHS, 0);
    assertThat(changes.monthStamp(MONTHS, 0, FEB, APR)).containsExactly(1, 2, 0, 3);
    changes.endMonthWrite(MONTHS, 2);                                               // unknown partition: nothing
  }

  @Test
  void keepsAPieceOnlyForTheStampItWasReadUnder() {
    final StoreChanges changes = new StoreChanges();
    final MonthPieceCache<SortedMap<Integer, AttributeStats>> cache = MonthPieceCache.stats(changes, 1 << 20);
    final long[] stamp = cache.stamp(KEY);
    cache.put(KEY, stamp, stats(1.5, 0.25));
    assertThat(cache.get(KEY).get(2).observations()).isEqualTo(2);
    assertThat(cache.get(new MonthPieceCache.Key(1, "cat", FEB, APR))).isNull();
    assertThat(cache.get(new MonthPieceCache.Key(0, "dog", FEB, APR))).isNull();
    assertThat(cache.get(new MonthPieceCache.Key(0, "cat", FEB, MAR))).isNull();

    changes.beginMonthWrite(MONTHS, 0, List.of(FEB));
    assertThat(cache.get(KEY)).isNull();                                   // being written: not served
    changes.endMonthWrite(MONTHS, 0);
    assertThat(cache.get(KEY)).isNull();                                   // written: dropped
    assertThat(cache.size()).isZero();

    cache.put(KEY, stamp, stats(1.5));                                      // read before that write: refused
    assertThat(cache.size()).isZero();
    cache.put(KEY, null, stats(1.5));                                       // read during a write: refused
    assertThat(cache.size()).isZero();
    cache.put(KEY, cache.stamp(KEY), stats(1.5));
    assertThat(cache.size()).isOne();
    changes.changed();
    assertThat(cache.get(KEY)).isNull();
  }

  @Test
  void dropsWhatExceedsItsBudget() {
    final StoreChanges changes = new StoreChanges();
    final long one = 2 * 3 + MonthPieceCache.statsBytes(stats(1.5, 0.25));
    assertThat(one).isEqualTo(300 + 2 * 3 + 200 + 2 * (116 + 2 * 4));
    final MonthPieceCache<SortedMap<Integer, AttributeStats>> cache = MonthPieceCache.stats(changes, one);
    final MonthPieceCache.Key other = new MonthPieceCache.Key(0, "cat", JAN, APR);
    cache.put(KEY, cache.stamp(KEY), stats(1.5, 0.25));
    cache.put(other, cache.stamp(other), stats(1.5, 0.5));
    assertThat(cache.get(KEY)).isNull();
    assertThat(cache.get(other)).isNotNull();
    assertThat(cache.bytes()).isEqualTo(one);
    final MonthPieceCache<SortedMap<Integer, AttributeStats>> off = MonthPieceCache.stats(changes, 0);
    assertThat(off.on()).isFalse();
    off.put(KEY, off.stamp(KEY), stats(1.5));
    assertThat(off.size()).isZero();
    assertThatThrownBy(() -> MonthPieceCache.stats(changes, -1)).isInstanceOf(IllegalArgumentException.class);
  }

  // --- under the queries, on the real topology ----------------------------------------------------------------

  private record Setup(TopologyTestDriver driver, DriverStores stores, StoreChanges changes, LocalStatsQueries q) {}

  /** One partition with b1 (Feb 10, mean 1.5) and b2 (Mar 5, mean 0.25), queried with both caches on. */
  private Setup setup(final Path dir, final String name, final StatsConfig config) {
    final TopologyTestDriver d = DriverStores.partition("monthcache-" + name, dir.resolve(name), config);
    drivers.add(d);
    DriverStores.send(d, record("b1", FEB + 9 * DAY, 2, 3.0, -1.0));                     // 1.5
    DriverStores.send(d, record("b2", MAR + 4 * DAY, 1, 0.25, 4.0));                     // 0.25
    final DriverStores stores = new DriverStores(Map.of(0, d));
    return new Setup(d, stores, config.changes(), new LocalStatsQueries(stores, Duration.ofSeconds(5),
        StatsConfig.DEFAULT_STATS_BUCKET, config.changes(), 1 << 20, 1 << 20));
  }

  private static InferenceSketch record(final String id, final long t, final int count, final double... sums) {
    return ExactSumsSketch.of(id, t, "cat", count, sums);
  }

  /** First-dimension items of [Feb, Apr) (two whole months), asked of partition 0 (standby if {@code stale}). */
  private static float[] febMar(final Setup s, final boolean stale) {
    final AttributeStats a = s.q().attributeStats("cat", FEB, APR, List.of(0), stale);
    if (a == null) {
      return new float[0];
    }
    assertThat(a.quantiles(0).isEstimationMode()).isFalse();
    return a.quantiles(0).getSortedView().getQuantiles();
  }

  private static boolean readMonths(final DriverStores stores) {
    final boolean read = stores.requests().stream().map(StoreQueryParameters::storeName)
        .anyMatch(StatsStores.ATTRIBUTE_STATS_MONTHLY::equals);
    stores.requests().clear();
    return read;
  }

  @Test
  void aRepeatedQuestionReadsNoMonthRowAndALateSketchShowsInTheNextAnswer(@TempDir final Path dir) {
    final Setup s = setup(dir, "late", DriverStores.config());
    assertThat(febMar(s, false)).containsExactly(0.25f, 1.5f);
    assertThat(readMonths(s.stores())).isTrue();
    assertThat(febMar(s, false)).containsExactly(0.25f, 1.5f);
    assertThat(readMonths(s.stores())).isFalse();                                         // kept

    DriverStores.send(s.driver(), record("b3", FEB + 14 * DAY, 4, 2.0, 8.0));           // late: 0.5 in February
    assertThat(febMar(s, false)).containsExactly(0.25f, 0.5f, 1.5f);
    assertThat(s.q().attributeStats("cat", FEB, APR, List.of(0), false).observations()).isEqualTo(3);
    assertThat(s.q().attributeStats("cat", FEB, APR, List.of(0), false).mean(0))
        .isEqualTo((3.0 + 0.25 + 2.0) / (2 + 1 + 4));

    DriverStores.send(s.driver(), record("c1", APR + DAY, 1, 9.0, 9.0));                // April: not in the piece
    readMonths(s.stores());
    assertThat(febMar(s, false)).containsExactly(0.25f, 0.5f, 1.5f);
  }

  /** A re-sketch and a tombstone leave month rows as they were (they keep the first version): the answer stays. */
  @Test
  void aResketchAndATombstoneKeepTheFirstVersionsItems(@TempDir final Path dir) {
    final Setup s = setup(dir, "resketch", DriverStores.config());
    assertThat(febMar(s, false)).containsExactly(0.25f, 1.5f);
    DriverStores.send(s.driver(), record("b1", FEB + 9 * DAY + HOUR, 2, 20.0, 40.0));   // 10 if it replaced
    assertThat(febMar(s, false)).containsExactly(0.25f, 1.5f);
    s.driver().createInputTopic("sketches", new StringSerializer(), new StringSerializer())
        .pipeInput("b2", null, MAR + 6 * DAY);
    assertThat(febMar(s, false)).containsExactly(0.25f, 1.5f);
    final Setup fresh = new Setup(s.driver(), s.stores(), s.changes(), new LocalStatsQueries(s.stores(),
        Duration.ofSeconds(5), StatsConfig.DEFAULT_STATS_BUCKET, s.changes(), 0, 0));
    assertThat(febMar(fresh, false)).containsExactly(0.25f, 1.5f);                         // the stores agree
  }

  /** A restore, a discarded transaction or a rebalance replaces the stores without the commit hook: the epoch. */
  @Test
  void anEpochMoveShowsARestoredRowInTheNextAnswer(@TempDir final Path dir) {
    final Setup s = setup(dir, "epoch", DriverStores.config());
    assertThat(febMar(s, false)).containsExactly(0.25f, 1.5f);
    putFebruaryWith(s.driver(), 0.5);                                                       // restored: 0.5 too
    s.changes().changed();
    assertThat(febMar(s, false)).containsExactly(0.25f, 0.5f, 1.5f);
  }

  /** A read that overlaps a commit's write of a month row is not kept: the row as written shows next. */
  @Test
  void aReadDuringAWriteIsNotKept(@TempDir final Path dir) {
    final Setup s = setup(dir, "race", DriverStores.config());
    s.changes().beginMonthWrite(MONTHS, 0, List.of(FEB));                                           // the hook began
    assertThat(febMar(s, false)).containsExactly(0.25f, 1.5f);                             // its put is not in yet
    putFebruaryWith(s.driver(), 0.5);
    s.changes().endMonthWrite(MONTHS, 0);
    assertThat(febMar(s, false)).containsExactly(0.25f, 0.5f, 1.5f);
  }

  /** Standby reads neither use nor fill the cache. */
  @Test
  void aStandbyReadAsksTheStores(@TempDir final Path dir) {
    final Setup s = setup(dir, "standby", DriverStores.config());
    assertThat(febMar(s, true)).containsExactly(0.25f, 1.5f);
    assertThat(febMar(s, true)).containsExactly(0.25f, 1.5f);
    assertThat(readMonths(s.stores())).isTrue();
    assertThat(febMar(s, false)).containsExactly(0.25f, 1.5f);                             // not filled by standby
    assertThat(readMonths(s.stores())).isTrue();
    putFebruaryWith(s.driver(), 0.5);                                                       // a standby's update
    assertThat(febMar(s, true)).containsExactly(0.25f, 0.5f, 1.5f);
  }

  /**
   * Retention: with 40 days of statistics the month store keeps 40 + 31 days; a sketch of May moves its stream time
   * to May 1, which hides February's row (before Feb 19) though no February row was written.
   */
  @Test
  void aMonthDroppedByRetentionLeavesTheAnswer(@TempDir final Path dir) {
    final StatsConfig config = DriverStores.config()
        .withRetention(Duration.ofDays(400), Duration.ofDays(40), Duration.ofDays(400));
    final Setup s = setup(dir, "retention", config);
    assertThat(febMar(s, false)).containsExactly(0.25f, 1.5f);
    DriverStores.send(s.driver(), record("m1", MAY + 4 * DAY, 1, 7.0, 7.0));
    assertThat(febMar(s, false)).containsExactly(0.25f);
  }

  // --- what a range holds before its last day (prefixes) -----------------------------------------------------

  /** The end of a question whose last month is ragged: March 1-10 whole days, March 11 the last (partial) day. */
  private static final long END = MAR + 10 * DAY + 5 * HOUR;

  /** First-dimension items of [Feb, END) asked of partition 0 through {@code q}. */
  private static float[] toEnd(final LocalStatsQueries q) {
    return q.attributeStats("cat", FEB, END, List.of(0), false).quantiles(0).getSortedView().getQuantiles();
  }

  private static long fineReads(final DriverStores stores) {
    final long n = stores.requests().stream().map(StoreQueryParameters::storeName)
        .filter(StatsStores.ATTRIBUTE_STATS::equals).count();
    stores.requests().clear();
    return n;
  }

  @Test
  void everythingBeforeTheLastDayIsKeptAndOnlyTheLastDayIsReadAgainWhileSketchesArrive(@TempDir final Path dir) {
    final Setup s = setup(dir, "days", DriverStores.config());
    DriverStores.send(s.driver(), record("d1", MAR + 10 * DAY + HOUR, 1, 4.0, 1.0));    // the last day: 4.0
    assertThat(toEnd(s.q())).containsExactly(0.25f, 1.5f, 4.0f);
    assertThat(fineReads(s.stores())).isEqualTo(2);                                  // March 11, March 1-10
    assertThat(toEnd(s.q())).containsExactly(0.25f, 1.5f, 4.0f);
    assertThat(fineReads(s.stores())).isOne();                                       // March 11 only

    DriverStores.send(s.driver(), record("d2", MAR + 10 * DAY + 2 * HOUR, 1, 3.0, 1.0)); // the last day again
    assertThat(toEnd(s.q())).containsExactly(0.25f, 1.5f, 3.0f, 4.0f);
    assertThat(fineReads(s.stores())).isOne();                      // still kept: March's month row not in it

    DriverStores.send(s.driver(), record("b5", MAR + 2 * DAY, 2, 1.0, 0.0));         // late, a past day: 0.5
    assertThat(toEnd(s.q())).containsExactly(0.25f, 0.5f, 1.5f, 3.0f, 4.0f);
    assertThat(fineReads(s.stores())).isEqualTo(2);
    final AttributeStats kept = s.q().attributeStats("cat", FEB, END, List.of(0), false);
    assertThat(kept.observations()).isEqualTo(5);
    assertThat(kept.mean(0)).isEqualTo((3.0 + 0.25 + 4.0 + 3.0 + 1.0) / (2 + 1 + 1 + 1 + 2));

    final LocalStatsQueries uncached = new LocalStatsQueries(s.stores(), Duration.ofSeconds(5),
        StatsConfig.DEFAULT_STATS_BUCKET, s.changes(), 0, 0);
    assertThat(toEnd(uncached)).containsExactly(toEnd(s.q()));
    assertThat(uncached.attributeStats("cat", FEB, END, List.of(0), false).mean(1)).isEqualTo(kept.mean(1));
  }

  /** A question of one day keeps nothing; one ending on a day boundary keeps the days before its last. */
  @Test
  void aRangeOfOneDayIsReadAndAWholeDayEndKeepsTheDaysBeforeIt(@TempDir final Path dir) {
    final Setup s = setup(dir, "oneday", DriverStores.config());
    final float[] marchFifth = s.q().attributeStats("cat", MAR + 4 * DAY, MAR + 5 * DAY, List.of(0), false)
        .quantiles(0).getSortedView().getQuantiles();
    assertThat(marchFifth).containsExactly(0.25f);
    s.q().attributeStats("cat", MAR + 4 * DAY, MAR + 5 * DAY, List.of(0), false);
    assertThat(fineReads(s.stores())).isEqualTo(2);                                  // one read each: nothing kept
    assertThat(s.q().attributeStats("cat", MAR, MAR + 6 * DAY, List.of(0), false).observations()).isOne();
    assertThat(s.q().attributeStats("cat", MAR, MAR + 6 * DAY, List.of(0), false).observations()).isOne();
    assertThat(fineReads(s.stores())).isEqualTo(3);                                  // March 1-5 kept, March 6 read
  }

  /** Standby reads neither use nor fill the prefixes. */
  @Test
  void aStandbyReadOfARangeAsksTheStores(@TempDir final Path dir) {
    final Setup s = setup(dir, "days-standby", DriverStores.config());
    s.q().attributeStats("cat", FEB, END, List.of(0), true);
    s.q().attributeStats("cat", FEB, END, List.of(0), true);
    assertThat(fineReads(s.stores())).isEqualTo(2);                                  // the whole piece, each time
    assertThat(toEnd(s.q())).containsExactly(0.25f, 1.5f);
    assertThat(fineReads(s.stores())).isEqualTo(2);                                  // not filled by standby
  }

  // --- the months' hourly counts ------------------------------------------------------------------------------

  /** [hour start, inferences, with the module, objects] of [Feb, Apr) in partition 0 (standby if {@code stale}). */
  private static List<List<Long>> hours(final Setup s, final boolean stale) {
    return s.q().hourlyCounts("cat", FEB, APR, List.of(0), stale).toList().stream()
        .map(r -> java.util.Arrays.stream(r).boxed().toList()).toList();
  }

  private static List<Long> row(final long hour, final long inferences, final long withModule, final long objects) {
    return List.of(hour, inferences, withModule, objects);
  }

  private static boolean readCounts(final DriverStores stores) {
    final boolean read = stores.requests().stream().map(StoreQueryParameters::storeName)
        .anyMatch(n -> n.equals(StatsStores.PRESENCE_DAILY) || n.equals(StatsStores.INFERENCES_DAILY));
    stores.requests().clear();
    return read;
  }

  @Test
  void aMonthsCountsAreKeptAndALateSketchAResketchAndATombstoneShowInTheNextAnswer(@TempDir final Path dir) {
    final Setup s = setup(dir, "counts", DriverStores.config());
    final List<Long> b1 = row(FEB + 9 * DAY, 1, 1, 2);
    final List<Long> b2 = row(MAR + 4 * DAY, 1, 1, 1);
    assertThat(hours(s, false)).containsExactly(b1, b2);
    assertThat(readCounts(s.stores())).isTrue();
    assertThat(hours(s, false)).containsExactly(b1, b2);
    assertThat(readCounts(s.stores())).isFalse();                                         // kept

    DriverStores.send(s.driver(), record("b3", FEB + 14 * DAY, 4, 2.0, 8.0));           // late
    final List<Long> b3 = row(FEB + 14 * DAY, 1, 1, 4);
    assertThat(hours(s, false)).containsExactly(b1, b3, b2);
    DriverStores.send(s.driver(), record("b1", FEB + 9 * DAY + HOUR, 2, 20.0, 40.0));   // re-sketched an hour later
    assertThat(hours(s, false)).containsExactly(row(FEB + 9 * DAY + HOUR, 1, 1, 2), b3, b2);
    s.driver().createInputTopic("sketches", new StringSerializer(), new StringSerializer())
        .pipeInput("b2", null, MAR + 6 * DAY);                                             // deleted
    assertThat(hours(s, false)).containsExactly(row(FEB + 9 * DAY + HOUR, 1, 1, 2), b3);
    readCounts(s.stores());
    assertThat(hours(s, false)).containsExactly(row(FEB + 9 * DAY + HOUR, 1, 1, 2), b3);
    assertThat(readCounts(s.stores())).isFalse();
  }

  @Test
  void countsAfterAnEpochMoveADuringWriteReadAndAStandbyRead(@TempDir final Path dir) {
    final Setup s = setup(dir, "counts-epoch", DriverStores.config());
    final List<Long> b1 = row(FEB + 9 * DAY, 1, 1, 2);
    final List<Long> b2 = row(MAR + 4 * DAY, 1, 1, 1);
    assertThat(hours(s, false)).containsExactly(b1, b2);
    putPresence(s.driver(), FEB + 20 * DAY, 3, 5);                                         // restored
    s.changes().changed();
    assertThat(hours(s, false)).containsExactly(b1, row(FEB + 20 * DAY + 3 * HOUR, 0, 1, 5), b2);

    s.changes().beginMonthWrite(StatsStores.PRESENCE_DAILY, 0, List.of(MAR + 10 * DAY)); // the hook began
    assertThat(hours(s, false)).hasSize(3);                                                 // its put is not in yet
    putPresence(s.driver(), MAR + 10 * DAY, 0, 2);
    s.changes().endMonthWrite(StatsStores.PRESENCE_DAILY, 0);
    assertThat(hours(s, false)).containsExactly(b1, row(FEB + 20 * DAY + 3 * HOUR, 0, 1, 5), b2,
        row(MAR + 10 * DAY, 0, 1, 2));

    putPresence(s.driver(), MAR + 11 * DAY, 0, 7);                                         // a standby's update
    assertThat(hours(s, true)).hasSize(5);
    assertThat(hours(s, false)).hasSize(4);                          // the active copy changes only by the hook
  }

  private static long presenceReads(final DriverStores stores) {
    final long n = stores.requests().stream().map(StoreQueryParameters::storeName)
        .filter(StatsStores.PRESENCE_DAILY::equals).count();
    stores.requests().clear();
    return n;
  }

  /** [hour start, inferences, with the module, objects] of [Feb, END) in partition 0. */
  private static List<List<Long>> hoursToEnd(final LocalStatsQueries q) {
    return q.hourlyCounts("cat", FEB, END, List.of(0), false).toList().stream()
        .map(r -> java.util.Arrays.stream(r).boxed().toList()).toList();
  }

  @Test
  void countsBeforeTheLastDayAreKeptAndOnlyTheLastDayIsReadAgain(@TempDir final Path dir) {
    final Setup s = setup(dir, "day-counts", DriverStores.config());
    final List<Long> b1 = row(FEB + 9 * DAY, 1, 1, 2);
    final List<Long> b2 = row(MAR + 4 * DAY, 1, 1, 1);
    DriverStores.send(s.driver(), record("d1", MAR + 10 * DAY + HOUR, 3, 4.0, 1.0));
    final List<Long> d1 = row(MAR + 10 * DAY + HOUR, 1, 1, 3);
    assertThat(hoursToEnd(s.q())).containsExactly(b1, b2, d1);
    assertThat(presenceReads(s.stores())).isEqualTo(3);                          // February, March 1-10, March 11
    assertThat(hoursToEnd(s.q())).containsExactly(b1, b2, d1);
    assertThat(presenceReads(s.stores())).isOne();                               // March 11 only
    // the stats route's totals read the same kept pieces: b1 + b2 + d1, and March 11 alone again
    assertThat(s.q().hourlyTotals("cat", FEB, END, List.of(0), false)).containsExactly(3, 3, 6);
    assertThat(presenceReads(s.stores())).isOne();

    DriverStores.send(s.driver(), record("d2", MAR + 10 * DAY + HOUR, 2, 3.0, 1.0));
    final List<Long> d12 = row(MAR + 10 * DAY + HOUR, 2, 2, 5);
    assertThat(hoursToEnd(s.q())).containsExactly(b1, b2, d12);
    assertThat(presenceReads(s.stores())).isOne();

    DriverStores.send(s.driver(), record("b5", MAR + 2 * DAY, 2, 1.0, 0.0));     // late, a past day
    final List<Long> b5 = row(MAR + 2 * DAY, 1, 1, 2);
    assertThat(hoursToEnd(s.q())).containsExactly(b1, b5, b2, d12);
    assertThat(presenceReads(s.stores())).isEqualTo(2);
    final LocalStatsQueries uncached = new LocalStatsQueries(s.stores(), Duration.ofSeconds(5),
        StatsConfig.DEFAULT_STATS_BUCKET, s.changes(), 0, 0);
    assertThat(hoursToEnd(uncached)).containsExactly(b1, b5, b2, d12);
    assertThat(s.q().hourlyTotals("cat", FEB, END, List.of(0), false)).containsExactly(5, 5, 10);
    assertThat(uncached.hourlyTotals("cat", FEB, END, List.of(0), false)).containsExactly(5, 5, 10);
  }

  private static long dailySumReads(final DriverStores stores) {
    final long n = stores.requests().stream().map(StoreQueryParameters::storeName)
        .filter(StatsStores.SKETCH_SUMS_DAILY::equals).count();
    stores.requests().clear();
    return n;
  }

  /** The one sum of sketches of [Feb, END) in partition 0 through {@code q}. */
  private static dev.rsk.stats.model.SketchSum sumToEnd(final LocalStatsQueries q) {
    final Map<String, dev.rsk.stats.model.SketchSum> sums = q.sums(FEB, END, List.of(0), false);
    assertThat(sums).hasSize(1);
    return sums.values().iterator().next();
  }

  @Test
  void sumsBeforeTheLastDayAreKeptAndOnlyTheLastDayIsReadAgain(@TempDir final Path dir) {
    final Setup s = setup(dir, "sums", DriverStores.config());
    final LocalStatsQueries uncached = new LocalStatsQueries(s.stores(), Duration.ofSeconds(5),
        StatsConfig.DEFAULT_STATS_BUCKET, s.changes(), 0, 0);
    DriverStores.send(s.driver(), record("d1", MAR + 10 * DAY + HOUR, 3, 4.0, 1.0));
    assertThat(sumToEnd(s.q()).count()).isEqualTo(3);                             // b1, b2, d1
    assertThat(dailySumReads(s.stores())).isEqualTo(2);                           // March 11, March 1-10
    assertThat(sumToEnd(s.q()).count()).isEqualTo(3);
    assertThat(dailySumReads(s.stores())).isOne();                                // March 11 only

    DriverStores.send(s.driver(), record("d2", MAR + 10 * DAY + 2 * HOUR, 1, 3.0, 1.0));
    assertThat(sumToEnd(s.q()).count()).isEqualTo(4);
    assertThat(dailySumReads(s.stores())).isOne();                  // still kept: March's month row not in it
    DriverStores.send(s.driver(), record("b5", MAR + 2 * DAY, 2, 1.0, 0.0));     // late, a past day
    final dev.rsk.stats.model.SketchSum kept = sumToEnd(s.q());
    assertThat(kept.count()).isEqualTo(5);
    assertThat(dailySumReads(s.stores())).isEqualTo(2);
    final dev.rsk.stats.model.SketchSum read = sumToEnd(uncached);
    assertThat(read.count()).isEqualTo(5);
    for (int i = 0; i < read.sum().length; i++) {
      assertThat(kept.sum()[i]).isCloseTo(read.sum()[i], org.assertj.core.data.Offset.offset(1e-5f)); // float order
    }
  }

  /** Retention: 40 days of counts keep 41 days of daily rows; a sketch of May 5 hides every row before Mar 26. */
  @Test
  void countsDroppedByRetentionLeaveTheAnswer(@TempDir final Path dir) {
    final StatsConfig config = DriverStores.config()
        .withRetention(Duration.ofDays(40), Duration.ofDays(400), Duration.ofDays(400));
    final Setup s = setup(dir, "counts-retention", config);
    assertThat(hours(s, false)).hasSize(2);
    DriverStores.send(s.driver(), record("m1", MAY + 4 * DAY, 1, 7.0, 7.0));
    assertThat(hours(s, false)).isEmpty();
  }

  /** Adds {@code objects} objects of cat (one inference) to hour {@code hour} of {@code day} as a restore would. */
  private static void putPresence(final TopologyTestDriver driver, final long day, final int hour,
      final long objects) {
    final WindowStore<String, dev.rsk.stats.model.DayCounts> presence =
        driver.getWindowStore(StatsStores.PRESENCE_DAILY);
    final dev.rsk.stats.model.DayCounts d = new dev.rsk.stats.model.DayCounts(2);
    d.add(hour, 0, 1);
    d.add(hour, 1, objects);
    final dev.rsk.stats.model.DayCounts old = presence.fetch("cat", day);
    presence.put("cat", old == null ? d : old.plus(d), day);
  }

  /** Writes February's month row as a restore would: the row as it is plus one inference of mean {@code mean}. */
  private static void putFebruaryWith(final TopologyTestDriver driver, final double mean) {
    final WindowStore<String, AttributeStats> months = driver.getWindowStore(StatsStores.ATTRIBUTE_STATS_MONTHLY);
    final AttributeStats extra = new AttributeStats(2, 200);
    extra.addExact(1, new double[] {mean, mean}, new double[] {mean * mean, mean * mean});
    months.put("cat", months.fetch("cat", FEB).mergedWith(extra), FEB);
  }
}
