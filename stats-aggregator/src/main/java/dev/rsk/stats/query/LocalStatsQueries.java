package dev.rsk.stats.query;

import dev.rsk.sketch.Sketch;
import dev.rsk.stats.Rollups;
import dev.rsk.stats.StatsConfig;
import dev.rsk.stats.StatsStores;
import dev.rsk.stats.StoreChanges;
import dev.rsk.stats.model.AttributeStats;
import dev.rsk.stats.model.CatalogueEntry;
import dev.rsk.stats.model.NetworkEntry;
import dev.rsk.stats.model.RepositoryRecord;
import dev.rsk.stats.model.SketchSum;
import dev.rsk.stats.serde.RepositoryCodec;
import dev.rsk.stats.serde.RepositoryView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.QueryableStoreTypes;

/**
 * Reads the stats stores of this instance, one partition at a time (the stores hold per-partition
 * partial aggregates, which a composite all-partition view would not add up). Every read waits at most
 * {@code storeWait} for a partition that is migrating or restoring, then throws
 * {@link StoreUnavailableException}. With {@code stale} true, standby and restoring copies are read too.
 * Every store iterator is closed.
 *
 * <p>The one entry to this instance's stores for every question; the counts ({@link CountReads}) and the
 * attribute statistics ({@link AttributeStatsReads}) are read by classes of their own.
 */
public final class LocalStatsQueries {

  /**
   * Default budget of the fine rows' repository items kept across commits (32 MiB): a year's ragged edge days of
   * every module of the demo's room take about 10 MB.
   */
  public static final long DEFAULT_ITEMS_CACHE_BYTES = 32L << 20;

  /**
   * Default budget of the month pieces and range prefixes kept across commits (32 MiB: 3/8 months' hourly counts, 3/8
   * the hourly counts before a range's newest part, 1/8 the sums of sketches before it, 1/16 each merged month
   * statistics and merged statistics before a range's newest part): a year of one module takes about 10 KB of
   * statistics and 220 KB of counts per partition.
   */
  public static final long DEFAULT_MONTHS_CACHE_BYTES = 32L << 20;

  private final StoreReads stores;
  /** Each multi-partition read below is one {@link dev.rsk.stats.PartitionReads#part} of the read around it. */
  private final StoreChanges changes;
  private final CountReads counts;
  private final AttributeStatsReads attributeStats;
  private final SumReads sums;

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
    this.stores = new StoreReads(stores, storeWait, changes);
    this.changes = changes;
    // of the budget: 3/8 months' hourly counts, 3/8 the counts before a range's newest part, 1/8 their sums of
    // sketches, 1/16 each merged month statistics and statistics before a range's newest part (a year of one module:
    // about 220 KB of counts and 10 KB of statistics per partition; a year's sums: 4 KB per parameter key)
    final long sixteenth = monthsCacheBytes / 16;
    this.counts = new CountReads(this.stores,
        MonthPieceCache.counts(changes, monthsCacheBytes - 10 * sixteenth),
        MonthPieceCache.countsPrefix(changes, 6 * sixteenth));
    this.sums = new SumReads(this.stores, MonthPieceCache.sumsPrefix(changes, 2 * sixteenth));
    final FineRowItems fineItems = new FineRowItems(this, storeWait, statsBucket.toMillis(),
        new RepositoryItemsCache(changes, itemsCacheBytes), Math.max(1, Runtime.getRuntime().availableProcessors()));
    this.attributeStats = new AttributeStatsReads(this.stores, statsBucket.toMillis(), fineItems,
        MonthPieceCache.stats(changes, sixteenth), MonthPieceCache.statsPrefix(changes, sixteenth));
  }

  /** Module catalogue merged over {@code partitions}. */
  public Map<String, CatalogueEntry> catalogue(final Collection<Integer> partitions, final boolean stale) {
    return changes.reads().part(() -> readCatalogue(partitions, stale));
  }

  private Map<String, CatalogueEntry> readCatalogue(final Collection<Integer> partitions, final boolean stale) {
    final Map<String, CatalogueEntry> out = new TreeMap<>();
    for (final int p : partitions) {
      final List<CatalogueEntry> entries = stores.read(StatsStores.CATALOGUE,
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
    return changes.reads().part(() -> readCatalogueEntry(module, partitions, stale));
  }

  private CatalogueEntry readCatalogueEntry(final String module, final Collection<Integer> partitions,
      final boolean stale) {
    CatalogueEntry out = null;
    for (final int p : partitions) {
      final CatalogueEntry e = stores.read(StatsStores.CATALOGUE,
          QueryableStoreTypes.<String, CatalogueEntry>keyValueStore(), p, stale, store -> store.get(module));
      if (e != null) {
        out = out == null ? e : out.merge(e);
      }
    }
    return out;
  }

  /** The network store's entries merged over {@code partitions}, by module (see {@link NetworkEntry}). */
  public Map<String, NetworkEntry> network(final Collection<Integer> partitions, final boolean stale) {
    return changes.reads().part(() -> readNetwork(partitions, stale));
  }

  private Map<String, NetworkEntry> readNetwork(final Collection<Integer> partitions, final boolean stale) {
    final Map<String, NetworkEntry> out = new TreeMap<>();
    for (final int p : partitions) {
      final List<NetworkEntry> entries = stores.read(StatsStores.NETWORK,
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
    return changes.reads().part(() -> counts.hourlyCounts(module, fromMs, toMs, partitions, stale));
  }

  /**
   * The sums over every hour of {@link #hourlyCounts}, {inferences, withModule, objects}, read the same way without a
   * counter per hour. Exact.
   */
  public long[] hourlyTotals(final String module, final long fromMs, final long toMs,
      final Collection<Integer> partitions, final boolean stale) {
    return changes.reads().part(() -> counts.totals(module, fromMs, toMs, partitions, stale));
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
    return changes.reads().part(() -> attributeStats.byLength(module, fromMs, toMs, partitions, stale));
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
   * The days before the newest part ({@link Rollups#newestPartStart}) are kept per partition while their rows are
   * unchanged ({@link
   * MonthPieceCache#sumsPrefix}; standby reads always read), so the sums may differ from a read in one go by float
   * rounding (the order of the additions).
   */
  public Map<String, SketchSum> sums(final long fromMs, final long toMs, final Collection<Integer> partitions,
      final boolean stale) {
    return changes.reads().part(() -> sums.sums(fromMs, toMs, partitions, stale));
  }

  /** The stored sketch of {@code inferenceId} in {@code partition} (int8, possibly an aged prefix), or null. */
  public RepositoryRecord sketch(final String inferenceId, final int partition, final boolean stale) {
    final byte[] bytes = stores.read(StatsStores.REPOSITORY, QueryableStoreTypes.<String, byte[]>keyValueStore(),
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
    return ExactSimilarScan.similar(stores, query, k, excludeId, partitions, stale);
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

  /** Reads one partition's store: {@link StoreReads#read}. */
  <T, R> R withStore(final String name, final QueryableStoreType<T> type, final int partition,
      final boolean stale, final Function<T, R> query) {
    return stores.read(name, type, partition, stale, query);
  }
}
