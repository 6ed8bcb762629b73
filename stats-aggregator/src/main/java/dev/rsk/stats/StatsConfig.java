package dev.rsk.stats;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.stats.model.AttributeStats;
import java.time.Duration;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * Configuration of the stats topology. Defaults: topic {@code sketches}, retention of hourly
 * buckets 400 days, attribute-statistics buckets of 1 day, sketch repository kept 400 days (whole for 30 days,
 * then a prefix of a quarter of the coordinates), KLL k = 200, repository clean-up every 10 minutes handling at
 * most 10,000 sketches per tier and run, exact attribute data for the first 8 dimensions of each module, fine
 * statistics rows reading their items back from the repository while their bucket holds at most 64 inferences
 * per partition.
 *
 * @param sketchesTopic the input topic of {@code InferenceSketch} records keyed by inference id
 * @param sketchSerde serde of the input values (registry-backed in production)
 * @param retention how long hourly buckets (presence, counts, sketch sums) are kept, by event time
 * @param statsBucket window of the attribute statistics store (a whole number of hours)
 * @param statsRetention how long attribute statistics buckets are kept
 * @param repositoryRetention how long sketches are kept in the repository, by event time
 * @param kllK accuracy parameter of the KLL quantile sketches
 * @param cleanupInterval wall-clock period of the repository clean-up
 * @param cleanupBatch most sketches deleted (and most aged) per clean-up run (bounds the pause)
 * @param repositoryFullFor how long a stored sketch keeps all its coordinates, by event time
 * @param agedFraction the fraction q of the d coordinates an older sketch keeps, in (0, 1]
 * @param exactDims the first dimensions of each module's attributes that get exact data: per-inference sums in
 *     the repository (exact query terms) and per-dimension statistics; wider dimensions (an embedding) are
 *     answered from the sketch, with its error. At least 1
 * @param repositoryItemsMax the inferences of one partition a stats bucket holds at most while its fine rows leave
 *     their KLL items in the repository; past it they keep their own ({@link FineRows}); 0: every row does. At
 *     least 0
 * @param changes not configuration: the signal the topology's tasks raise when its aggregate stores change,
 *     which the instance's answer cache listens to ({@link StoreChanges}); a new one per {@link #defaults}
 */
public record StatsConfig(
    String sketchesTopic,
    Serde<InferenceSketch> sketchSerde,
    Duration retention,
    Duration statsBucket,
    Duration statsRetention,
    Duration repositoryRetention,
    int kllK,
    Duration cleanupInterval,
    int cleanupBatch,
    Duration repositoryFullFor,
    double agedFraction,
    int exactDims,
    int repositoryItemsMax,
    StoreChanges changes) {

  public static final String DEFAULT_SKETCHES_TOPIC = "sketches";
  /** Suffix of the stats topology's dead-letter topic: {@code <sketches topic>-dlq} unless configured. */
  public static final String DLQ_SUFFIX = "-dlq";
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(400);
  public static final Duration DEFAULT_STATS_BUCKET = Duration.ofDays(1);
  public static final Duration HOUR = Duration.ofHours(1);
  public static final Duration DEFAULT_REPOSITORY_FULL_FOR = Duration.ofDays(30);
  public static final double DEFAULT_AGED_FRACTION = 0.25;
  public static final Duration DEFAULT_CLEANUP_INTERVAL = Duration.ofMinutes(10);
  /** Exact attribute dimensions per module by default: every attribute of the demo's modules (2 to 5). */
  public static final int DEFAULT_EXACT_DIMS = 8;
  /**
   * Inferences of a stats bucket, per partition, whose items its fine rows leave in the repository at most: a
   * question over a bucket then costs at most this many repository reads per partition and module; a quiet day
   * (the demo's room: about 30 inferences per partition) keeps its items in the repository only.
   */
  public static final int DEFAULT_REPOSITORY_ITEMS_MAX = 64;

  public StatsConfig {
    Objects.requireNonNull(sketchesTopic, "sketchesTopic");
    Objects.requireNonNull(sketchSerde, "sketchSerde");
    Objects.requireNonNull(changes, "changes");
    requirePositive(retention, "retention");
    requirePositive(statsBucket, "statsBucket");
    requirePositive(statsRetention, "statsRetention");
    requirePositive(repositoryRetention, "repositoryRetention");
    requirePositive(cleanupInterval, "cleanupInterval");
    if (statsBucket.toMillis() % HOUR.toMillis() != 0) {
      throw new IllegalArgumentException("statsBucket must be a whole number of hours: " + statsBucket);
    }
    if (retention.compareTo(HOUR) < 0 || statsRetention.compareTo(statsBucket) < 0) {
      throw new IllegalArgumentException("retention must be at least one bucket");
    }
    if (kllK < 8 || kllK > 65535) {
      throw new IllegalArgumentException("kllK must be in [8, 65535]: " + kllK);
    }
    requirePositive(repositoryFullFor, "repositoryFullFor");
    if (!(agedFraction > 0 && agedFraction <= 1)) {
      throw new IllegalArgumentException("agedFraction must be in (0, 1]: " + agedFraction);
    }
    if (cleanupBatch < 1) {
      throw new IllegalArgumentException("cleanupBatch must be >= 1");
    }
    if (exactDims < 1) {
      throw new IllegalArgumentException("exactDims must be >= 1: " + exactDims);
    }
    if (repositoryItemsMax < 0) {
      throw new IllegalArgumentException("repositoryItemsMax must be >= 0: " + repositoryItemsMax);
    }
  }

  /**
   * The default dead-letter topic of a stats topology reading {@code sketchesTopic}: sketches that cannot be
   * read or aggregated go there with Kafka Streams' error headers ({@code __streams.errors.*}).
   */
  public static String defaultDlqTopic(final String sketchesTopic) {
    return sketchesTopic + DLQ_SUFFIX;
  }

  /** The defaults listed in the class comment. */
  public static StatsConfig defaults(final Serde<InferenceSketch> sketchSerde) {
    return new StatsConfig(DEFAULT_SKETCHES_TOPIC, sketchSerde, DEFAULT_RETENTION, DEFAULT_STATS_BUCKET,
        DEFAULT_RETENTION, DEFAULT_RETENTION, AttributeStats.DEFAULT_KLL_K, DEFAULT_CLEANUP_INTERVAL, 10_000,
        DEFAULT_REPOSITORY_FULL_FOR, DEFAULT_AGED_FRACTION, DEFAULT_EXACT_DIMS, DEFAULT_REPOSITORY_ITEMS_MAX,
        new StoreChanges());
  }

  public StatsConfig withSketchesTopic(final String topic) {
    return new StatsConfig(topic, sketchSerde, retention, statsBucket, statsRetention, repositoryRetention,
        kllK, cleanupInterval, cleanupBatch, repositoryFullFor, agedFraction, exactDims, repositoryItemsMax, changes);
  }

  public StatsConfig withRetention(final Duration hourly, final Duration stats, final Duration repository) {
    return new StatsConfig(sketchesTopic, sketchSerde, hourly, statsBucket, stats, repository, kllK,
        cleanupInterval, cleanupBatch, repositoryFullFor, agedFraction, exactDims, repositoryItemsMax, changes);
  }

  public StatsConfig withStatsBucket(final Duration bucket) {
    return new StatsConfig(sketchesTopic, sketchSerde, retention, bucket, statsRetention, repositoryRetention,
        kllK, cleanupInterval, cleanupBatch, repositoryFullFor, agedFraction, exactDims, repositoryItemsMax, changes);
  }

  /** The repository's ageing tiers: whole for {@code fullFor}, then a prefix of {@code fraction * d}. */
  public StatsConfig withAgeing(final Duration fullFor, final double fraction) {
    return new StatsConfig(sketchesTopic, sketchSerde, retention, statsBucket, statsRetention, repositoryRetention,
        kllK, cleanupInterval, cleanupBatch, fullFor, fraction, exactDims, repositoryItemsMax, changes);
  }

  /** Clean-up period and batch. */
  public StatsConfig withCleanup(final Duration interval, final int batch) {
    return new StatsConfig(sketchesTopic, sketchSerde, retention, statsBucket, statsRetention, repositoryRetention,
        kllK, interval, batch, repositoryFullFor, agedFraction, exactDims, repositoryItemsMax, changes);
  }

  /** Exact attribute data for the first {@code dims} dimensions of each module. */
  public StatsConfig withExactDims(final int dims) {
    return new StatsConfig(sketchesTopic, sketchSerde, retention, statsBucket, statsRetention, repositoryRetention,
        kllK, cleanupInterval, cleanupBatch, repositoryFullFor, agedFraction, dims, repositoryItemsMax, changes);
  }

  /** Fine rows of buckets past {@code max} inferences per partition keep their own KLL items ({@link FineRows}). */
  public StatsConfig withRepositoryItemsMax(final int max) {
    return new StatsConfig(sketchesTopic, sketchSerde, retention, statsBucket, statsRetention, repositoryRetention,
        kllK, cleanupInterval, cleanupBatch, repositoryFullFor, agedFraction, exactDims, max, changes);
  }

  private static void requirePositive(final Duration d, final String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }
}
