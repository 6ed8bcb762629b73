package dev.rsk.stats.query;

import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.sketch.Sketches;
import dev.rsk.stats.Rollups;
import dev.rsk.stats.StatsConfig;
import dev.rsk.stats.StatsStores;
import dev.rsk.stats.StoreChanges;
import dev.rsk.stats.model.AttributeStats;
import dev.rsk.stats.model.CatalogueEntry;
import dev.rsk.stats.model.NetworkEntry;
import dev.rsk.stats.model.PresenceCounts;
import dev.rsk.stats.model.DayCounts;
import dev.rsk.stats.model.RepositoryRecord;
import dev.rsk.stats.model.SketchSum;
import dev.rsk.stats.serde.RepositoryCodec;
import dev.rsk.stats.serde.RepositoryView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Reads the stats stores of this instance, one partition at a time (the stores hold per-partition
 * partial aggregates, which a composite all-partition view would not add up). Every read waits at most
 * {@code storeWait} for a partition that is migrating or restoring, then throws
 * {@link StoreUnavailableException}. With {@code stale} true, standby and restoring copies are read too.
 * Every store iterator is closed.
 *
 * <p>Longer than 300 lines because it is the one place that opens this instance's stores for every
 * question (counts, stats, network, repository, similarity scans); splitting it per store is follow-up work.
 */
public final class LocalStatsQueries {

  /**
   * Default budget of the fine rows' repository items kept across commits (32 MiB): a year's ragged edge days of
   * every module of the demo's room take about 10 MB.
   */
  public static final long DEFAULT_ITEMS_CACHE_BYTES = 32L << 20;

  /**
   * Default budget of the month pieces kept across commits (32 MiB, half for merged month statistics, half for
   * months' hourly counts): a year of one module takes about 10 KB of statistics and 220 KB of counts per partition.
   */
  public static final long DEFAULT_MONTHS_CACHE_BYTES = 32L << 20;

  private static final long RETRY_SLEEP_MS = 50;

  private final StoreProvider stores;
  private final Duration storeWait;
  private final long statsBucketMs;
  private final FineRowItems fineItems;
  private final MonthPieceCache<SortedMap<Integer, AttributeStats>> months;
  private final MonthPieceCache<long[]> monthCounts;

  /**
   * Queries over the stores {@code stores} opens (a test's driver), keeping fine rows' repository items in a cache
   * of the default budget whose epoch never moves: for stores no transaction aborts under (a server's must move it,
   * {@link #LocalStatsQueries(KafkaStreams, Duration, StatsConfig, long)}). Merged month rows are not kept (their
   * validity needs the topology's {@link StoreChanges}).
   */
  public LocalStatsQueries(final StoreProvider stores, final Duration storeWait, final Duration statsBucket) {
    this(stores, storeWait, statsBucket, new StoreChanges(), DEFAULT_ITEMS_CACHE_BYTES);
  }

  /**
   * Queries of a server's topology: {@code stats} gives the bucket and the stores' {@link StoreChanges}; fine rows'
   * repository items are kept across commits in at most {@code itemsCacheBytes} (estimated heap; 0: off), merged
   * month rows in {@link #DEFAULT_MONTHS_CACHE_BYTES}.
   */
  public LocalStatsQueries(final KafkaStreams streams, final Duration storeWait, final StatsConfig stats,
      final long itemsCacheBytes) {
    this(streams, storeWait, stats, itemsCacheBytes, DEFAULT_MONTHS_CACHE_BYTES);
  }

  /**
   * As {@link #LocalStatsQueries(KafkaStreams, Duration, StatsConfig, long)}, merged month rows kept in at most
   * {@code monthsCacheBytes} (estimated heap; 0: off; {@link MonthPieceCache}).
   */
  public LocalStatsQueries(final KafkaStreams streams, final Duration storeWait, final StatsConfig stats,
      final long itemsCacheBytes, final long monthsCacheBytes) {
    this(StoreProvider.of(streams), storeWait, stats.statsBucket(), stats.changes(), itemsCacheBytes,
        monthsCacheBytes);
  }

  /** Queries over {@code stores} whose items cache moves with {@code changes} and keeps {@code itemsCacheBytes}. */
  LocalStatsQueries(final StoreProvider stores, final Duration storeWait, final Duration statsBucket,
      final StoreChanges changes, final long itemsCacheBytes) {
    this(stores, storeWait, statsBucket, changes, itemsCacheBytes, 0);
  }

  /**
   * Queries over {@code stores} whose caches move with {@code changes} (the topology's, for the month rows) and keep
   * {@code itemsCacheBytes} of fine rows' items and {@code monthsCacheBytes} of merged month rows.
   */
  LocalStatsQueries(final StoreProvider stores, final Duration storeWait, final Duration statsBucket,
      final StoreChanges changes, final long itemsCacheBytes, final long monthsCacheBytes) {
    this.stores = stores;
    this.storeWait = storeWait;
    this.statsBucketMs = statsBucket.toMillis();
    this.fineItems = new FineRowItems(this, storeWait, statsBucketMs,
        new RepositoryItemsCache(changes, itemsCacheBytes), Math.max(1, Runtime.getRuntime().availableProcessors()));
    this.months = MonthPieceCache.stats(changes, monthsCacheBytes / 2);
    this.monthCounts = MonthPieceCache.counts(changes, monthsCacheBytes - monthsCacheBytes / 2);
  }

  /** Module catalogue merged over {@code partitions}. */
  public Map<String, CatalogueEntry> catalogue(final Collection<Integer> partitions, final boolean stale) {
    final Map<String, CatalogueEntry> out = new TreeMap<>();
    for (final int p : partitions) {
      final List<CatalogueEntry> entries = withStore(StatsStores.CATALOGUE,
          QueryableStoreTypes.<String, CatalogueEntry>keyValueStore(), p, stale, store -> {
            final List<CatalogueEntry> list = new ArrayList<>();
            try (KeyValueIterator<String, CatalogueEntry> it = store.all()) {
              it.forEachRemaining(kv -> list.add(kv.value));
            }
            return list;
          });
      entries.forEach(e -> out.merge(e.module(), e, CatalogueEntry::merge));
    }
    return out;
  }

  /** The catalogue entry of one module merged over {@code partitions}, or null if unknown there. */
  public CatalogueEntry catalogueEntry(final String module, final Collection<Integer> partitions,
      final boolean stale) {
    CatalogueEntry out = null;
    for (final int p : partitions) {
      final CatalogueEntry e = withStore(StatsStores.CATALOGUE,
          QueryableStoreTypes.<String, CatalogueEntry>keyValueStore(), p, stale, store -> store.get(module));
      if (e != null) {
        out = out == null ? e : out.merge(e);
      }
    }
    return out;
  }

  /** The network store's entries merged over {@code partitions}, by module (see {@link NetworkEntry}). */
  public Map<String, NetworkEntry> network(final Collection<Integer> partitions, final boolean stale) {
    final Map<String, NetworkEntry> out = new TreeMap<>();
    for (final int p : partitions) {
      final List<NetworkEntry> entries = withStore(StatsStores.NETWORK,
          QueryableStoreTypes.<String, NetworkEntry>keyValueStore(), p, stale, store -> {
            final List<NetworkEntry> list = new ArrayList<>();
            try (KeyValueIterator<String, NetworkEntry> it = store.all()) {
              it.forEachRemaining(kv -> list.add(kv.value));
            }
            return list;
          });
      entries.forEach(e -> out.merge(e.module(), e, NetworkEntry::merge));
    }
    return out;
  }

  /**
   * Per hour start (epoch ms) in [fromMs, toMs): {inferences, withModule, objects} merged over
   * {@code partitions}; hours with no inference are absent. Exact. See {@link #hourlyCounts}.
   */
  public SortedMap<Long, long[]> hourly(final String module, final long fromMs, final long toMs,
      final Collection<Integer> partitions, final boolean stale) {
    return hourlyCounts(module, fromMs, toMs, partitions, stale).toSortedMap();
  }

  /**
   * Counts per hour start in [fromMs, toMs) merged over {@code partitions}: inferences, inferences with
   * {@code module} and its objects. Exact. Reads one row per UTC day, store and partition, except for whole months
   * kept unchanged since they were read ({@link MonthPieceCache}; standby reads always read).
   */
  public HourlyCounts hourlyCounts(final String module, final long fromMs, final long toMs,
      final Collection<Integer> partitions, final boolean stale) {
    final HourlyCounts out = new HourlyCounts(fromMs, toMs);
    if (toMs <= fromMs) {
      return out;
    }
    final List<Rollups.Piece> pieces = Rollups.pieces(Rollups.dayStart(fromMs), toMs, Rollups.DAY_MS, false);
    for (final int p : partitions) {
      if (stale || !monthCounts.on()) {
        addDays(out, module, Rollups.dayStart(fromMs), toMs, p, stale);
        continue;
      }
      for (final Rollups.Piece piece : pieces) {
        if (piece.level() == Rollups.Level.MONTH) {
          for (long m = piece.fromMs(); m < piece.toMs(); m = Rollups.nextMonth(m)) {
            out.addMonth(m, monthCounts(module, m, p));
          }
        } else {
          addDays(out, module, piece.fromMs(), piece.toMs(), p, stale);
        }
      }
    }
    return out;
  }

  /** The hourly counts of the month starting at {@code month} in partition {@code p}: kept, or read (then kept). */
  private long[] monthCounts(final String module, final long month, final int p) {
    final MonthPieceCache.Key key = new MonthPieceCache.Key(p, module, month, Rollups.nextMonth(month));
    final long[] kept = monthCounts.get(key);
    if (kept != null) {
      return kept;
    }
    final long[] stamp = monthCounts.stamp(key);
    final HourlyCounts read = new HourlyCounts(month, key.toMonth());
    addDays(read, module, month, key.toMonth(), p, false);
    final long[] counts = read.counts();
    monthCounts.put(key, stamp, counts);
    return counts;
  }

  /** Adds the day rows of both count stores starting in [fromMs, toMs) of partition {@code p}. */
  private void addDays(final HourlyCounts out, final String module, final long fromMs, final long toMs, final int p,
      final boolean stale) {
    // Each read lists its rows first and adds them after, so that a retried read never double counts.
    final List<KeyValue<Long, DayCounts>> counts =
        days(StatsStores.INFERENCES_DAILY, StatsStores.ALL_INFERENCES, fromMs, toMs, p, stale);
    final List<KeyValue<Long, DayCounts>> present = days(StatsStores.PRESENCE_DAILY, module, fromMs, toMs, p, stale);
    counts.forEach(kv -> out.add(kv.key, kv.value, 0));
    present.forEach(kv -> out.add(kv.key, kv.value, 1));
  }

  private List<KeyValue<Long, DayCounts>> days(final String store, final String key, final long fromMs,
      final long toMs, final int partition, final boolean stale) {
    return withStore(store, QueryableStoreTypes.<String, DayCounts>windowStore(), partition, stale, s -> {
      final List<KeyValue<Long, DayCounts>> list = new ArrayList<>();
      try (WindowStoreIterator<DayCounts> it = s.fetch(key, Instant.ofEpochMilli(Rollups.dayStart(fromMs)),
          Instant.ofEpochMilli(toMs - 1))) {
        it.forEachRemaining(list::add);
      }
      return list;
    });
  }

  /**
   * Attribute statistics of {@code module} over buckets starting in [fromMs, toMs), one entry per attribute length
   * found (statistics of different lengths cannot merge: a module whose attribute vector changed length in the
   * range has an entry for each); empty if none. Whole UTC months are read from
   * {@link StatsStores#ATTRIBUTE_STATS_MONTHLY} when the bucket divides a day, or taken merged from {@link
   * MonthPieceCache} while their rows are unchanged.
   *
   * <p>A fine row ({@link StatsStores#ATTRIBUTE_STATS}) that says {@link AttributeStats#repositoryItems()} keeps its
   * counts, sums and squares but KLL items only of the observations the repository cannot give back; the others
   * are read back from the repository records of its bucket on the same partition ({@link FineRowItems}), or from
   * the cache of them ({@link RepositoryItemsCache}: a past day's items survive commits). Monthly
   * rows keep every item and never read the repository. Cost: the fine pieces of a query (at most two ragged months
   * of buckets when the bucket divides a day: about 60 daily buckets for a year; every bucket of the range when it
   * does not) each cost, per partition, one time-index range scan and one repository point read (a record of
   * about 1 KB at d = 1024) per inference indexed in the bucket, whatever its modules; the sums are read in place
   * ({@link RepositoryView}), the int8 vector never, so a query is bounded by the fine pieces' inferences, not by
   * the range's.
   *
   * @throws StoreUnavailableException when a partition's stores cannot be read within the store wait
   * @throws org.apache.kafka.common.errors.SerializationException on a corrupt repository record
   */
  public SortedMap<Integer, AttributeStats> attributeStatsByLength(final String module, final long fromMs,
      final long toMs, final Collection<Integer> partitions, final boolean stale) {
    final SortedMap<Integer, AttributeStats> byLength = new TreeMap<>();
    if (toMs <= fromMs) {
      return byLength;
    }
    final List<Rollups.Piece> pieces = Rollups.rollsUp(statsBucketMs)
        ? Rollups.pieces(fromMs, toMs, statsBucketMs, false)
        : List.of(new Rollups.Piece(Rollups.Level.FINE, fromMs, toMs));
    for (final int p : partitions) {
      final long epoch = fineItems.epoch();
      final List<AttributeStats> fineRows = new ArrayList<>();
      final List<AttributeStats> monthParts = new ArrayList<>();
      // bucket start -> the fine row of that bucket whose items are partly in the repository
      final SortedMap<Long, AttributeStats> needItems = new TreeMap<>();
      for (final Rollups.Piece piece : pieces) {
        if (piece.level() == Rollups.Level.MONTH) {
          monthParts.addAll(monthPiece(module, piece, p, stale).values());
          continue;
        }
        for (final KeyValue<Long, AttributeStats> row : rows(StatsStores.ATTRIBUTE_STATS, module, piece, p, stale)) {
          if (row.value.repositoryItems()) {
            needItems.put(row.key, row.value);
          }
          fineRows.add(row.value);
        }
      }
      if (!needItems.isEmpty()) {
        fineItems.complete(module, needItems, p, stale, epoch);
      }
      // the partition's fine rows first (small sketches merge cheaply into a small one), then its months
      final SortedMap<Integer, AttributeStats> partition = new TreeMap<>();
      fineRows.forEach(part -> addTo(partition, part));
      monthParts.forEach(part -> addTo(partition, part));
      partition.values().forEach(part -> addTo(byLength, part));
    }
    return byLength;
  }

  /**
   * The month rows of {@code piece} in partition {@code p}, merged per attribute length: from {@link
   * MonthPieceCache} when it holds them unchanged, else read (and kept, unless {@code stale}). Shared: not to be
   * mutated.
   */
  private SortedMap<Integer, AttributeStats> monthPiece(final String module, final Rollups.Piece piece, final int p,
      final boolean stale) {
    final MonthPieceCache.Key key = new MonthPieceCache.Key(p, module, piece.fromMs(), piece.toMs());
    final boolean cached = !stale && months.on();
    if (cached) {
      final SortedMap<Integer, AttributeStats> kept = months.get(key);
      if (kept != null) {
        return kept;
      }
    }
    final long[] stamp = cached ? months.stamp(key) : null;
    final SortedMap<Integer, AttributeStats> merged = new TreeMap<>();
    rows(StatsStores.ATTRIBUTE_STATS_MONTHLY, module, piece, p, stale).forEach(row -> addTo(merged, row.value));
    if (cached) {
      months.put(key, stamp, java.util.Collections.unmodifiableSortedMap(merged));
    }
    return merged;
  }

  /** Merges {@code part} into {@code acc}'s statistics of its length (new ones: {@code part} itself is not kept). */
  private static void addTo(final SortedMap<Integer, AttributeStats> acc, final AttributeStats part) {
    final AttributeStats old = acc.get(part.attributeLength());
    acc.put(part.attributeLength(), (old != null ? old
        : new AttributeStats(part.attributeLength(), part.trackedDimensions(), part.kllK())).mergedWith(part));
  }

  /** The rows of {@code module} in {@code store} starting in {@code piece}, by start. */
  private List<KeyValue<Long, AttributeStats>> rows(final String store, final String module,
      final Rollups.Piece piece, final int p, final boolean stale) {
    return withStore(store, QueryableStoreTypes.<String, AttributeStats>windowStore(), p, stale, s -> {
      final List<KeyValue<Long, AttributeStats>> list = new ArrayList<>();
      try (WindowStoreIterator<AttributeStats> it = s.fetch(module, Instant.ofEpochMilli(piece.fromMs()),
          Instant.ofEpochMilli(piece.toMs() - 1))) {
        it.forEachRemaining(list::add);
      }
      return list;
    });
  }

  /**
   * {@link #attributeStatsByLength} for a range known to hold one attribute length: its statistics, or null if
   * none.
   *
   * @throws IllegalStateException naming the lengths, if the range holds more than one
   */
  public AttributeStats attributeStats(final String module, final long fromMs, final long toMs,
      final Collection<Integer> partitions, final boolean stale) {
    final SortedMap<Integer, AttributeStats> byLength = attributeStatsByLength(module, fromMs, toMs, partitions,
        stale);
    if (byLength.size() > 1) {
      throw new IllegalStateException("module " + module + " has attribute statistics of lengths "
          + byLength.keySet() + " in the range");
    }
    return byLength.isEmpty() ? null : byLength.get(byLength.firstKey());
  }

  /**
   * Sums of sketch vectors per sketch-parameter key over the whole UTC days covering [fromMs, toMs): whole
   * months from {@link StatsStores#SKETCH_SUMS_MONTHLY}, the other days from {@link StatsStores#SKETCH_SUMS_DAILY}.
   */
  public Map<String, SketchSum> sums(final long fromMs, final long toMs, final Collection<Integer> partitions,
      final boolean stale) {
    final Map<String, SketchSum> out = new HashMap<>();
    if (toMs <= fromMs) {
      return out;
    }
    final List<Rollups.Piece> pieces =
        Rollups.pieces(Rollups.dayStart(fromMs), toMs, Rollups.DAY_MS, false);
    for (final int p : partitions) {
      for (final Rollups.Piece piece : pieces) {
        final String store = switch (piece.level()) {
          case MONTH -> StatsStores.SKETCH_SUMS_MONTHLY;
          case DAY, FINE -> StatsStores.SKETCH_SUMS_DAILY;
        };
        final List<KeyValue<String, SketchSum>> parts = withStore(store,
            QueryableStoreTypes.<String, SketchSum>windowStore(), p, stale, s -> {
              final List<KeyValue<String, SketchSum>> list = new ArrayList<>();
              try (KeyValueIterator<Windowed<String>, SketchSum> it = s.fetchAll(
                  Instant.ofEpochMilli(piece.fromMs()), Instant.ofEpochMilli(piece.toMs() - 1))) {
                it.forEachRemaining(kv -> list.add(KeyValue.pair(kv.key.key(), kv.value)));
              }
              return list;
            });
        parts.forEach(kv -> out.merge(kv.key, kv.value, SketchSum::merge));
      }
    }
    return out;
  }

  /** The stored sketch of {@code inferenceId} in {@code partition} (int8, possibly an aged prefix), or null. */
  public RepositoryRecord sketch(final String inferenceId, final int partition, final boolean stale) {
    final byte[] bytes = withStore(StatsStores.REPOSITORY, QueryableStoreTypes.<String, byte[]>keyValueStore(),
        partition, stale, store -> store.get(inferenceId));
    return bytes == null ? null : RepositoryCodec.decode(bytes);
  }

  /**
   * Exact top-{@code k} by cosine over the stored sketches of {@code partitions} made with the query's
   * spec and vector length (others cannot be compared and are not counted in {@code scanned}). Cosines are of
   * the stored int8 sketches; an aged sketch (a shorter prefix) is compared on its prefix, with the wider
   * error of a prefix.
   */
  public SimilarResult similar(final Sketch query, final int k, final String excludeId,
      final Collection<Integer> partitions, final boolean stale) {
    final SketchSpec spec = query.spec();
    final float[] q = query.vector();
    final List<SimilarMatch> all = new ArrayList<>();
    long scanned = 0;
    for (final int p : partitions) {
      final SimilarResult part = withStore(StatsStores.REPOSITORY,
          QueryableStoreTypes.<String, byte[]>keyValueStore(), p, stale, store -> {
            final PriorityQueue<SimilarMatch> top =
                new PriorityQueue<>(Comparator.comparingDouble(SimilarMatch::cosine));
            long n = 0;
            try (KeyValueIterator<String, byte[]> it = store.all()) {
              while (it.hasNext()) {
                final KeyValue<String, byte[]> kv = it.next();
                if (kv.key.equals(excludeId)) {
                  continue;
                }
                final Sketch s = RepositoryCodec.sketch(kv.value);
                if (!s.spec().equals(spec) || s.length() > q.length) {
                  continue;
                }
                n++;
                final double cos = Sketches.cosine(
                    s.length() == q.length ? q : java.util.Arrays.copyOf(q, s.length()), s.vector());
                if (top.size() < k || cos > top.peek().cosine()) {
                  final RepositoryRecord r = RepositoryCodec.decode(kv.value);
                  top.add(new SimilarMatch(kv.key, cos, r.eventTime(), r.source()));
                  if (top.size() > k) {
                    top.poll();
                  }
                }
              }
            }
            return new SimilarResult(new ArrayList<>(top), n);
          });
      all.addAll(part.matches());
      scanned += part.scanned();
    }
    return new SimilarResult(topK(all, k), scanned);
  }

  /** The {@code k} best matches of {@code matches}, best first (ties by inference id). */
  public static List<SimilarMatch> topK(final Collection<SimilarMatch> matches, final int k) {
    final List<SimilarMatch> out = new ArrayList<>(matches);
    out.sort(Comparator.comparingDouble(SimilarMatch::cosine).reversed()
        .thenComparing(SimilarMatch::inferenceId));
    return out.size() > k ? new ArrayList<>(out.subList(0, k)) : out;
  }

  /** Top matches and the number of comparable sketches scanned. */
  public record SimilarResult(List<SimilarMatch> matches, long scanned) {}

  <T, R> R withStore(final String name, final QueryableStoreType<T> type, final int partition,
      final boolean stale, final Function<T, R> query) {
    final long deadline = System.nanoTime() + storeWait.toNanos();
    StoreQueryParameters<T> params = StoreQueryParameters.fromNameAndType(name, type).withPartition(partition);
    if (stale) {
      params = params.enableStaleStores();
    }
    while (true) {
      try {
        return query.apply(stores.store(params));
      } catch (InvalidStateStoreException e) {
        if (System.nanoTime() >= deadline) {
          throw new StoreUnavailableException(name, partition, e);
        }
        try {
          Thread.sleep(RETRY_SLEEP_MS);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new StoreUnavailableException(name, partition, ie);
        }
      }
    }
  }
}
