package dev.rsk.api;

import dev.rsk.stats.query.LocalStatsQueries;
import java.time.Duration;

/**
 * Limits and defaults of the HTTP API (all documented in docs/api.md).
 *
 * @param maxRange longest accepted [from, to) range (default 800 days)
 * @param defaultRange range used when {@code from} is omitted: from = to - defaultRange (default 365 days)
 * @param maxBuckets most buckets a frequency query may return (default 10,000)
 * @param defaultK results of a similarity query when {@code k} is omitted (default 10)
 * @param maxK most results of a similarity query (default 1,000)
 * @param storeWait how long a query waits for a migrating or restoring store before 503 (default 2 s)
 * @param remoteTimeout timeout of one call to another instance (default 5 s)
 * @param retryAfterSeconds the Retry-After of a 503 (default 5)
 * @param answerCacheBytes heap bytes of this instance's partial answers kept until the next commit that changes
 *     its stores (default 32 MiB; 0: off; see {@code AnswerCache})
 * @param itemsCacheBytes heap bytes of fine attribute-statistics rows' repository items kept across commits
 *     (default 32 MiB; 0: off; see {@code RepositoryItemsCache})
 * @param monthsCacheBytes heap bytes of whole past months kept across commits: merged month attribute statistics
 *     and months' hourly counts (default 32 MiB, half each; 0: off; see {@code MonthPieceCache})
 * @param answerMaxStaleness how long after its read began a kept answer may still be served once a commit changed
 *     the stores, refreshed in the background (default 0: never; see {@code AnswerCache})
 */
public record ApiLimits(Duration maxRange, Duration defaultRange, int maxBuckets, int defaultK, int maxK,
    Duration storeWait, Duration remoteTimeout, int retryAfterSeconds, long answerCacheBytes,
    long itemsCacheBytes, long monthsCacheBytes, Duration answerMaxStaleness) {

  /** Default of {@link #answerCacheBytes}. */
  public static final long DEFAULT_ANSWER_CACHE_BYTES = 32L << 20;

  public static ApiLimits defaults() {
    return new ApiLimits(Duration.ofDays(800), Duration.ofDays(365), 10_000, 10, 1_000, Duration.ofSeconds(2),
        Duration.ofSeconds(5), 5, DEFAULT_ANSWER_CACHE_BYTES, LocalStatsQueries.DEFAULT_ITEMS_CACHE_BYTES,
        LocalStatsQueries.DEFAULT_MONTHS_CACHE_BYTES, Duration.ZERO);
  }

  public ApiLimits withStoreWait(final Duration wait) {
    return new ApiLimits(maxRange, defaultRange, maxBuckets, defaultK, maxK, wait, remoteTimeout,
        retryAfterSeconds, answerCacheBytes, itemsCacheBytes, monthsCacheBytes, answerMaxStaleness);
  }
}
