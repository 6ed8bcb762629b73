package dev.rsk.stats;

import dev.rsk.stats.model.RepositoryRecord;
import dev.rsk.stats.serde.RepositoryCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Graceful ageing of the sketch repository, by event time relative to the newest sketch the task has seen:
 * a sketch is kept whole for {@link StatsConfig#repositoryFullFor()}, then cut to its first
 * {@code round(agedFraction * d)} coordinates (the paper's graceful erasure: coordinates are exchangeable, so
 * a prefix is a random erasure and every decoder reads it with an error about {@code 1 / sqrt(agedFraction)}
 * times wider, as {@code Sketch#readoutStdError} states), and deleted after
 * {@link StatsConfig#repositoryRetention()}. The time index value records the tier an entry reached
 * ({@link #FULL} or {@link #AGED}). Each run handles at most {@link StatsConfig#cleanupBatch()} entries per
 * tier, so a run's pause is bounded; the rest waits for the next run. A sketch is handed to {@code beforeDelete}
 * before it is deleted (its attribute-statistics items are pinned: the statistics may be kept longer).
 */
final class RepositoryAgeing {

  static final byte FULL = 1;
  static final byte AGED = 2;
  private static final Logger LOG = LoggerFactory.getLogger(RepositoryAgeing.class);

  private final StatsConfig config;
  private final KeyValueStore<String, byte[]> repository;
  private final KeyValueStore<Bytes, byte[]> timeIndex;
  private long maxEventTime = Long.MIN_VALUE;
  /** Every index entry before this time has been aged (in memory: a restarted task scans once from the start). */
  private long agedUpTo = Long.MIN_VALUE;
  private final BiConsumer<byte[], RepositoryRecord> beforeDelete;

  RepositoryAgeing(final StatsConfig config, final KeyValueStore<String, byte[]> repository,
      final KeyValueStore<Bytes, byte[]> timeIndex, final BiConsumer<byte[], RepositoryRecord> beforeDelete) {
    this.config = config;
    this.repository = repository;
    this.timeIndex = timeIndex;
    this.beforeDelete = beforeDelete;
  }

  void saw(final long eventTime) {
    maxEventTime = Math.max(maxEventTime, eventTime);
  }

  /**
   * Whether a sketch of event time {@code t} is past the full tier already (it arrived late): false for every
   * {@code t} before any {@link #saw} (the newest time is then the sentinel {@link Long#MIN_VALUE}) and while the
   * newest time seen is within the full tier of {@link Long#MIN_VALUE}: no time is older than that ({@link #before}).
   */
  boolean dueForAgeing(final long t) {
    return t < before(maxEventTime, config.repositoryFullFor().toMillis());
  }

  /**
   * {@code newest - millis} ({@code millis >= 0}), or {@link Long#MIN_VALUE} where that would wrap around: the bound
   * below which entries are due, which a subtraction from an event time near {@link Long#MIN_VALUE} (or the
   * nothing-seen sentinel) would otherwise turn into a time in the far future.
   */
  static long before(final long newest, final long millis) {
    return newest < Long.MIN_VALUE + millis ? Long.MIN_VALUE : newest - millis;
  }

  /** {@code record} cut to the aged prefix of a sketch of dimension {@code d}. */
  byte[] cut(final byte[] record, final int d) {
    return RepositoryCodec.age(record, (int) Math.max(1, Math.round(config.agedFraction() * d)));
  }

  /** One clean-up run: deletes what is past retention, ages what is past the full tier. */
  void run() {
    if (maxEventTime == Long.MIN_VALUE) {
      return;
    }
    final long deleteBefore = before(maxEventTime, config.repositoryRetention().toMillis());
    final int deleted = delete(deleteBefore);
    final long ageBefore = before(maxEventTime, config.repositoryFullFor().toMillis());
    final int aged = ageBefore > deleteBefore ? age(Math.max(deleteBefore, agedUpTo), ageBefore) : 0;
    if (deleted > 0 || aged > 0) {
      LOG.info("repository ageing: deleted {} sketches older than {}, cut {} older than {} to {} of d", deleted,
          Instant.ofEpochMilli(deleteBefore), aged, Instant.ofEpochMilli(ageBefore), config.agedFraction());
    }
  }

  private int delete(final long before) {
    final List<Bytes> expired = scan(Long.MIN_VALUE, before, (byte) 0);
    for (final Bytes key : expired) {
      final String id = TimeIndex.inferenceId(key);
      final byte[] current = repository.get(id);
      if (current != null && RepositoryCodec.eventTime(current) == TimeIndex.eventTime(key)) {
        beforeDelete.accept(current, RepositoryCodec.decode(current));
        repository.delete(id);
      }
      timeIndex.delete(key);
    }
    return expired.size();
  }

  private int age(final long from, final long before) {
    final List<Bytes> due = scan(from, before, AGED);
    for (final Bytes key : due) {
      final String id = TimeIndex.inferenceId(key);
      final byte[] current = repository.get(id);
      if (current != null && RepositoryCodec.eventTime(current) == TimeIndex.eventTime(key)) {
        final byte[] cut = cut(current, RepositoryCodec.sketch(current).spec().d());
        if (cut != current) {
          repository.put(id, cut);
        }
      }
      timeIndex.put(key, new byte[] {AGED});
    }
    if (due.size() < config.cleanupBatch()) {
      agedUpTo = before;
    } else if (!due.isEmpty()) {
      agedUpTo = TimeIndex.eventTime(due.get(due.size() - 1));
    }
    return due.size();
  }

  /** Index keys with event time in [from, before) whose tier is not {@code skipTier}, at most a batch. */
  private List<Bytes> scan(final long from, final long before, final byte skipTier) {
    final List<Bytes> out = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it = timeIndex.range(
        from == Long.MIN_VALUE ? null : TimeIndex.lowerBound(from), TimeIndex.lowerBound(before))) {
      while (it.hasNext() && out.size() < config.cleanupBatch()) {
        final KeyValue<Bytes, byte[]> kv = it.next();
        if (TimeIndex.eventTime(kv.key) < before && (kv.value.length == 0 || kv.value[0] != skipTier)) {
          out.add(kv.key);
        }
      }
    }
    return out;
  }
}
