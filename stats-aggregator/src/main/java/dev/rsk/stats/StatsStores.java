package dev.rsk.stats;

import java.util.List;

/**
 * Names of the state stores of the stats topology. Every name is declared once here; the query side
 * (interactive queries) uses the same constants. All stores are persistent RocksDB stores backed by a
 * changelog topic {@code <application.id>-<store>-changelog}.
 *
 * <p>Stores are co-partitioned with the {@code sketches} topic (keyed by inference id): every partition
 * holds partial aggregates of the inferences of that partition, and queries over modules merge the
 * partials of all partitions. This avoids a repartition topic and the hot partition a popular module
 * (say {@code scene}, present in every inference) would create if the stores were keyed by module.
 */
public final class StatsStores {

  /**
   * Window store, 1 UTC day windows, key module: per hour of the day, inferences with the module and its
   * objects (exact; {@code DayCounts} of width 2).
   */
  public static final String PRESENCE_DAILY = "module-presence-daily";
  /** Window store, 1 UTC day windows, key {@link #ALL_INFERENCES}: inferences per hour of the day (exact). */
  public static final String INFERENCES_DAILY = "inferences-daily";
  /** Window store, windows of {@code StatsConfig.statsBucket}, key module: attribute statistics. */
  public static final String ATTRIBUTE_STATS = "module-attribute-stats";
  /** Key-value store, key module: the module catalogue (first/last seen, counts, attribute length). */
  public static final String CATALOGUE = "module-catalogue";
  /** Key-value store, key inference id: every stored sketch. */
  public static final String REPOSITORY = "sketch-repository";
  /** Key-value store, key (event time, inference id): time index over the repository. */
  public static final String TIME_INDEX = "sketch-time-index";
  /**
   * Window store, 1 UTC day windows, key sketch-parameter key: the sum of the sketch vectors of the day and
   * their number. (Hourly sums were dropped: at a few sketches per partition-hour they cost a 4 KB write per
   * sketch; the sum estimate covers whole days, as the attribute statistics cover whole stats buckets.)
   */
  public static final String SKETCH_SUMS_DAILY = "sketch-sums-daily";
  /** Window store, calendar-month windows (UTC), key sketch-parameter key: the sums rolled up per month. */
  public static final String SKETCH_SUMS_MONTHLY = "sketch-sums-monthly";
  /** Window store, calendar-month windows (UTC), key module: {@link #ATTRIBUTE_STATS} rolled up per month. */
  public static final String ATTRIBUTE_STATS_MONTHLY = "module-attribute-stats-monthly";

  /**
   * Key-value store, key module: the network as observed in complete DAGs (k, root counts, objects per
   * depth, input modules per slot with edge counts), written by {@code NetworkProcessor} alone.
   */
  public static final String NETWORK = "module-network";

  /** The single key of {@link #INFERENCES_DAILY}. */
  public static final String ALL_INFERENCES = "*";

  /** Every store of {@code StatsProcessor}, for wiring ({@link #NETWORK} is wired to its own processor). */
  public static final List<String> ALL =
      List.of(PRESENCE_DAILY, INFERENCES_DAILY, ATTRIBUTE_STATS, CATALOGUE, REPOSITORY, TIME_INDEX,
          SKETCH_SUMS_DAILY, SKETCH_SUMS_MONTHLY, ATTRIBUTE_STATS_MONTHLY);

  private StatsStores() {}
}
