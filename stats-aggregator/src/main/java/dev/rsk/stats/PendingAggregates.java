package dev.rsk.stats;

import dev.rsk.streams.CommitHookStore;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.model.AttributeStats;
import dev.rsk.stats.model.CatalogueEntry;
import dev.rsk.stats.model.DayCounts;
import dev.rsk.stats.model.SketchSum;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The aggregate changes of one task since its last commit, kept in memory and written to the aggregate stores
 * once per key at the commit ({@link CommitHookStore}), inside the transaction that commits the input offsets
 * they cover; dropped when the task discards its uncommitted state. So a sketch costs in-memory additions, and
 * each (module, hour), (module, stats bucket), (sketch parameters, hour) and catalogue entry touched in a commit
 * interval costs one read and one write at the commit, however many sketches touched it.
 *
 * <p>Sums and attribute statistics are also rolled up ({@link Rollups}): at the commit the fine deltas of a
 * day and of a month are merged and added to the day and month rows, one read and write per touched row.
 *
 * <p>Fine attribute-statistics rows keep counts, sums and squares but not the KLL items the repository keeps
 * ({@link AttributeStats#repositoryItems()}): a query reads them from the bucket's repository records. What the
 * repository cannot give back is <em>pinned</em> into the row ({@link #pin}): estimated observations, and the
 * first version of an inference re-sketched, deleted or dropped from the repository since. A busy bucket's row
 * keeps every item ({@link FineRows}), as does a row written before. Month rows keep every item.
 *
 * <p>Exact: counts add as longs; sums, KLL sketches and catalogue entries merge exactly as the per-record
 * updates did (a KLL merge of a batch equals its updates in distribution). Memory is bounded: when more than
 * {@link #MAX_KEYS} keys are pending they are written at once (a write between commits is still inside the
 * open transaction).
 *
 * <p>Not thread-safe: one per task.
 */
final class PendingAggregates {

  /** Pending keys beyond which the changes are written before the commit. */
  static final int MAX_KEYS = 20_000;

  private record ModuleTime(String module, long time) {}

  private record SumTime(String key, long day) {}

  /** Pinned items of (module, bucket) for attribute length k. */
  private record PinKey(String module, long bucket, int k) {}

  /** A stats change; {@code replace} when the attribute length changed and the stored statistics are dropped. */
  private record StatsDelta(AttributeStats stats, boolean replace) {}

  private record SumDelta(SketchSpec spec, long[] count, float[] sum) {}

  /** Deltas per hour; written per UTC day row ({@link DayCounts}). */
  private final Map<Long, long[]> inferences = new HashMap<>();
  private final Map<ModuleTime, long[]> presence = new HashMap<>();
  private final Map<String, CatalogueDelta> catalogue = new HashMap<>();
  private final Map<ModuleTime, StatsDelta> stats = new HashMap<>();
  private final Map<SumTime, SumDelta> sums = new HashMap<>();
  private final Map<PinKey, AttributeStats> pins = new HashMap<>();
  private final int kllK;
  private final int exactDims;
  private final boolean statsRollUp;
  private final FineRows fineRows;

  /**
   * Statistics keep the first {@code exactDims} dimensions of each module ({@link AttributeStats}); fine rows are
   * written by {@code fineRows}.
   */
  PendingAggregates(final int kllK, final int exactDims, final boolean statsRollUp, final FineRows fineRows) {
    this.kllK = kllK;
    this.exactDims = exactDims;
    this.statsRollUp = statsRollUp;
    this.fineRows = fineRows;
  }

  void inference(final long hour, final int sign) {
    inferences.computeIfAbsent(hour, h -> new long[1])[0] += sign;
  }

  void presence(final String module, final long hour, final int sign, final long objects) {
    final long[] p = presence.computeIfAbsent(new ModuleTime(module, hour), x -> new long[2]);
    p[0] += sign;
    p[1] += sign * objects;
  }

  void catalogue(final String module, final long t, final int sign, final long objects, final int k) {
    catalogue.computeIfAbsent(module, m -> new CatalogueDelta()).add(t, sign, objects, k);
  }

  /** The pending statistics of (module, bucket) for attribute length k, to add an observation to. */
  AttributeStats stats(final String module, final long bucket, final int k) {
    final ModuleTime key = new ModuleTime(module, bucket);
    final StatsDelta d = stats.get(key);
    if (d != null && d.stats().attributeLength() == k) {
      return d.stats();
    }
    // A new length replaces what was stored before, as a per-record update would have.
    final StatsDelta fresh = new StatsDelta(new AttributeStats(k, exactDims, kllK), d != null);
    stats.put(key, fresh);
    return fresh.stats();
  }

  /**
   * Pins one observation's items ({@code (float) (sums[i] / count)}) into the fine row of (module, bucket) at the
   * commit, if that row then has attribute length {@code k} and keeps its items in the repository (a row of another
   * length replaced the observation; a row of every item holds it already).
   */
  void pin(final String module, final long bucket, final int k, final int count, final double[] sums) {
    // sums kept under a smaller rsk.attributes.exact.dims than today's: the row merges into the narrower anyway
    final int dims = Math.min(exactDims, sums.length);
    final PinKey key = new PinKey(module, bucket, k);
    AttributeStats items = pins.get(key);
    if (items == null) {
      items = new AttributeStats(k, dims, kllK);
      items.itemsInRepository();
    } else {
      items = items.narrowedTo(dims);
    }
    items.addRepositoryObservation(count, sums);
    pins.put(key, items);
  }

  /** Adds {@code sign * vector} to the day's sum; a shorter (aged) vector adds to its prefix. */
  void sum(final SketchSpec spec, final int length, final long day, final float[] vector, final int sign) {
    final SumDelta d = sums.computeIfAbsent(new SumTime(SketchSum.key(spec, length), day),
        x -> new SumDelta(spec, new long[1], new float[length]));
    d.count()[0] += sign;
    final float[] out = d.sum();
    for (int i = 0; i < Math.min(out.length, vector.length); i++) {
      out[i] += sign * vector[i];
    }
  }

  /**
   * By window store: the window starts of the rows {@link #writeTo} will write in the stores whose reads are kept
   * across commits (fine and monthly attribute statistics, the latter also when they do not roll up; daily
   * inference and presence counts; daily and monthly sketch sums): what {@link StoreChanges#beginMonthWrite} is told
   * before the write. The fine rows: every bucket with new statistics, new items pinned, or new inferences (which may
   * sweep its rows).
   */
  Map<String, java.util.Set<Long>> windowStarts() {
    final java.util.Set<Long> months = new java.util.HashSet<>();
    stats.keySet().forEach(k -> months.add(Rollups.monthStart(k.time()))); // written only if they roll up: harmless
    final java.util.Set<Long> buckets = new java.util.HashSet<>();
    stats.keySet().forEach(k -> buckets.add(k.time()));
    pins.keySet().forEach(k -> buckets.add(k.bucket()));
    inferences.keySet().forEach(hour -> buckets.add(fineRows.bucketOf(hour)));
    final java.util.Set<Long> inferenceDays = new java.util.HashSet<>();
    final java.util.Set<Long> presenceDays = new java.util.HashSet<>();
    inferences.keySet().forEach(hour -> inferenceDays.add(Rollups.dayStart(hour)));
    presence.keySet().forEach(k -> presenceDays.add(Rollups.dayStart(k.time())));
    final java.util.Set<Long> sumDays = new java.util.HashSet<>();
    final java.util.Set<Long> sumMonths = new java.util.HashSet<>();
    sums.keySet().forEach(k -> {
      sumDays.add(k.day());
      sumMonths.add(Rollups.monthStart(k.day()));
    });
    return Map.of(StatsStores.ATTRIBUTE_STATS, buckets, StatsStores.ATTRIBUTE_STATS_MONTHLY, months,
        StatsStores.INFERENCES_DAILY, inferenceDays, StatsStores.PRESENCE_DAILY, presenceDays,
        StatsStores.SKETCH_SUMS_DAILY, sumDays, StatsStores.SKETCH_SUMS_MONTHLY, sumMonths);
  }

  int size() {
    return inferences.size() + presence.size() + catalogue.size() + stats.size() + sums.size() + pins.size();
  }

  /** Drops every pending change (the task discarded its uncommitted state). */
  void clear() {
    inferences.clear();
    presence.clear();
    catalogue.clear();
    stats.clear();
    sums.clear();
    pins.clear();
  }

  /** Writes every pending change to the stores and forgets it. */
  void writeTo(final Stores s) {
    final Map<ModuleTime, DayCounts> dayRows = new HashMap<>();
    inferences.forEach((hour, n) -> dayRows.computeIfAbsent(
        new ModuleTime(StatsStores.ALL_INFERENCES, Rollups.dayStart(hour)), x -> new DayCounts(1))
        .add(hourOfDay(hour), 0, n[0]));
    dayRows.forEach((key, d) -> addDay(s.inferences(), key, d));
    dayRows.clear();
    presence.forEach((key, p) -> {
      final DayCounts d = dayRows.computeIfAbsent(new ModuleTime(key.module(), Rollups.dayStart(key.time())),
          x -> new DayCounts(2));
      d.add(hourOfDay(key.time()), 0, p[0]);
      d.add(hourOfDay(key.time()), 1, p[1]);
    });
    dayRows.forEach((key, d) -> addDay(s.presence(), key, d));
    catalogue.forEach((module, d) -> d.writeTo(s.catalogue(), module));
    final Map<ModuleTime, StatsDelta> monthly = new HashMap<>();
    final Map<Long, Boolean> busyBuckets = new HashMap<>();
    // in bucket order: when a month's buckets differ in attribute length, the latest bucket's length replaces
    final List<ModuleTime> buckets = new ArrayList<>(stats.keySet());
    buckets.sort(Comparator.comparingLong(ModuleTime::time));
    for (final ModuleTime key : buckets) {
      final StatsDelta d = stats.get(key);
      final int k = d.stats().attributeLength();
      final AttributeStats old = d.replace() ? null : s.attributeStats().fetch(key.module(), key.time());
      final boolean busy = busyBuckets.computeIfAbsent(key.time(),
          b -> fineRows.busy(fineRows.inferences(s.inferences(), b)));
      s.attributeStats().put(key.module(), fineRows.next(key.module(), key.time(),
          old == null || old.attributeLength() != k ? null : old, d.stats(),
          pins.get(new PinKey(key.module(), key.time(), k)), busy), key.time());
      if (statsRollUp) {
        monthly.merge(new ModuleTime(key.module(), Rollups.monthStart(key.time())), d, PendingAggregates::merged);
      }
    }
    sweepBusy(s);
    pins.forEach((key, items) -> {
      final AttributeStats row = s.attributeStats().fetch(key.module(), key.bucket());
      if (row != null && row.attributeLength() == key.k() && row.repositoryItems()) {
        s.attributeStats().put(key.module(), row.mergedWith(items), key.bucket());
      }
    });
    monthly.forEach((key, d) -> {
      final AttributeStats old = d.replace() ? null : s.statsMonthly().fetch(key.module(), key.time());
      if (old != null && old.attributeLength() == d.stats().attributeLength()) {
        s.statsMonthly().put(key.module(), old.mergedWith(d.stats()), key.time());
      } else {
        s.statsMonthly().put(key.module(), d.stats(), key.time());
      }
    });
    final Map<SumTime, SumDelta> months = new HashMap<>();
    sums.forEach((key, d) -> {
      writeSum(s.sumsDaily(), key, d);
      months.merge(new SumTime(key.key(), Rollups.monthStart(key.day())), d, PendingAggregates::added);
    });
    months.forEach((key, d) -> writeSum(s.sumsMonthly(), key, d));
    clear();
  }

  /**
   * Sweeps each stats bucket whose inferences this interval took past the fine rows' bound ({@link FineRows#sweep}),
   * after its day counts are written: its rows this interval did not touch keep their own items too.
   */
  private void sweepBusy(final Stores s) {
    final Map<Long, long[]> added = new HashMap<>();
    inferences.forEach((hour, n) -> added.computeIfAbsent(fineRows.bucketOf(hour), b -> new long[1])[0] += n[0]);
    added.forEach((bucket, n) -> {
      final long now = fineRows.inferences(s.inferences(), bucket);
      if (fineRows.busy(now) && !fineRows.busy(now - n[0])) {
        fineRows.sweep(s.attributeStats(), s.catalogue(), bucket,
            (module, k) -> pins.get(new PinKey(module, bucket, k)));
      }
    });
  }

  private static int hourOfDay(final long hour) {
    return (int) ((hour - Rollups.dayStart(hour)) / Rollups.HOUR_MS);
  }

  private static void addDay(final WindowStore<String, DayCounts> store, final ModuleTime key, final DayCounts d) {
    final DayCounts old = store.fetch(key.module(), key.time());
    store.put(key.module(), old == null ? d : old.plus(d), key.time());
  }

  private static void writeSum(final WindowStore<String, SketchSum> store, final SumTime key, final SumDelta d) {
    final SketchSum old = store.fetch(key.key(), key.day());
    if (old != null) {
      store.put(key.key(), old.merge(new SketchSum(d.spec(), d.count()[0], d.sum())), key.day());
    } else if (d.count()[0] > 0) {
      store.put(key.key(), new SketchSum(d.spec(), d.count()[0], d.sum()), key.day());
    }
  }

  /** A new delta of both (same spec and length: same key). */
  private static SumDelta added(final SumDelta a, final SumDelta b) {
    final float[] sum = a.sum().clone();
    for (int i = 0; i < sum.length; i++) {
      sum[i] += b.sum()[i];
    }
    return new SumDelta(a.spec(), new long[] {a.count()[0] + b.count()[0]}, sum);
  }

  /**
   * Both stats deltas of one month merged, {@code b} being the later bucket's; a later attribute length replaces
   * (as per-record updates in time order would).
   */
  private static StatsDelta merged(final StatsDelta a, final StatsDelta b) {
    if (a.stats().attributeLength() != b.stats().attributeLength()) {
      return new StatsDelta(b.stats(), true);
    }
    final AttributeStats out = new AttributeStats(a.stats().attributeLength(), a.stats().trackedDimensions(),
        a.stats().kllK());
    return new StatsDelta(out.mergedWith(a.stats()).mergedWith(b.stats()), a.replace() || b.replace());
  }

  /** The aggregate stores of a task. */
  record Stores(WindowStore<String, DayCounts> presence, WindowStore<String, DayCounts> inferences,
      WindowStore<String, AttributeStats> attributeStats, KeyValueStore<String, CatalogueEntry> catalogue,
      WindowStore<String, SketchSum> sumsDaily, WindowStore<String, SketchSum> sumsMonthly,
      WindowStore<String, AttributeStats> statsMonthly) {}
}
