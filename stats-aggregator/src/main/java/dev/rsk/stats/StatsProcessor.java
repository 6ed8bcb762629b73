package dev.rsk.stats;

import dev.rsk.streams.CommitHookStore;
import dev.rsk.avro.InferenceSketch;
import dev.rsk.sketch.DecoderCache;
import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchDecoder;
import dev.rsk.stats.model.AttributeStats;
import dev.rsk.stats.model.RepositoryRecord;
import dev.rsk.stats.serde.RepositoryCodec;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one {@code InferenceSketch} to the stores of its partition: one compact repository write
 * ({@link RepositoryCodec}) and one time-index write per sketch; the aggregates (hourly counts, presence, sums,
 * attribute statistics, catalogue) are accumulated in {@link PendingAggregates} and written at the commit.
 *
 * <p>Idempotent per inference id: a re-delivery whose compact record equals the stored one is a no-op; a
 * different sketch for a known id (an incomplete inference sketched again) replaces the old one, retracting
 * its exact counts and its (int8-rounded) vector from the hourly sums first, so a replaced sketch leaves at
 * most its rounding, {@code scale / 2} per coordinate, in the sum (and an aged one also its cut tail).
 * Attribute statistics cannot be retracted (KLL), so they keep the first version's observation (exact from
 * its attribute sums, or decoded from its sketch if it has none). A tombstone (null value) retracts and
 * deletes the stored sketch.
 *
 * <p>The fine attribute-statistics rows do not repeat the per-inference means the repository keeps
 * ({@link PendingAggregates}); what it cannot give back is pinned into the row: an estimated observation at once,
 * and the first version's items when a sketch is replaced, deleted by a tombstone or dropped by the repository's
 * retention. A replacement is stored with the {@code STATS_PINNED} flag ({@link RepositoryCodec}), so that queries
 * do not count it again. A record that cannot be aggregated changes no store: it is counted in the
 * metric {@value StatsMetrics#RECORDS_SKIPPED} and thrown as an {@link InvalidSketchException}, which the
 * Streams processing exception handler (log and continue) writes to the dead-letter topic with the reason;
 * the topology never stops on a record. A record whose structure queries cannot trust (see
 * {@code NetworkStructure#untrusted}) is aggregated and stored without its edges, logged and counted in
 * {@value StatsMetrics#EDGES_DROPPED}. Repository ageing and deletion are {@link RepositoryAgeing}'s.
 */
final class StatsProcessor implements Processor<String, CheckedSketch, Void, Void> {

  private static final Logger LOG = LoggerFactory.getLogger(StatsProcessor.class);
  /** Attribute observations need presence above this many noise standard deviations (see docs/api.md). */
  static final double MIN_PRESENCE_SIGMAS = 3.0;
  private static final long HOUR_MS = StatsConfig.HOUR.toMillis();
  private static final byte[] FULL = {RepositoryAgeing.FULL};
  private static final byte[] AGED = {RepositoryAgeing.AGED};

  private final StatsConfig config;
  private final long statsBucketMs;
  private final DecoderCache decoders = new DecoderCache();
  private final StatsMetrics metrics;
  private final PendingAggregates pending;

  private PendingAggregates.Stores stores;
  private CommitHookStore hook;
  private KeyValueStore<String, byte[]> repository;
  private KeyValueStore<Bytes, byte[]> timeIndex;
  private RepositoryAgeing ageing;
  private int partition;

  StatsProcessor(final StatsConfig config, final StatsMetrics metrics) {
    this.config = config;
    this.metrics = metrics;
    this.statsBucketMs = config.statsBucket().toMillis();
    this.pending = new PendingAggregates(config.kllK(), config.exactDims(), Rollups.rollsUp(statsBucketMs),
        new FineRows(config.repositoryItemsMax(), statsBucketMs, (module, bucket, length, tracked) ->
            RepositoryItems.read(timeIndex, repository, module, bucket, bucket + statsBucketMs, length, tracked)));
  }

  @Override
  public void init(final ProcessorContext<Void, Void> context) {
    stores = new PendingAggregates.Stores(context.getStateStore(StatsStores.PRESENCE_DAILY),
        context.getStateStore(StatsStores.INFERENCES_DAILY), context.getStateStore(StatsStores.ATTRIBUTE_STATS),
        context.getStateStore(StatsStores.CATALOGUE),
        context.getStateStore(StatsStores.SKETCH_SUMS_DAILY), context.getStateStore(StatsStores.SKETCH_SUMS_MONTHLY),
        context.getStateStore(StatsStores.ATTRIBUTE_STATS_MONTHLY));
    partition = context.taskId().partition();
    repository = context.getStateStore(StatsStores.REPOSITORY);
    timeIndex = context.getStateStore(StatsStores.TIME_INDEX);
    refuseOlderFormat();
    ageing = new RepositoryAgeing(config, repository, timeIndex, this::pinFirstVersion);
    hook = context.getStateStore(StatsTopology.COMMIT_HOOK);
    hook.listen(this::writePending, () -> {
      pending.clear();
      config.changes().changed();
    });
    config.changes().changed(); // this task's stores (restored, or new) are now queryable
    context.schedule(config.cleanupInterval(), PunctuationType.WALL_CLOCK_TIME, now -> ageing.run());
  }

  /** No silent mixing: a repository written by an earlier version stops the task (docs/api.md, Migration). */
  private void refuseOlderFormat() {
    try (KeyValueIterator<String, byte[]> it = repository.all()) {
      if (it.hasNext()) {
        final byte[] first = it.next().value;
        RepositoryCodec.checkFormat(first.length == 0 ? 0 : first[0]);
      }
    }
  }

  @Override
  public void process(final Record<String, CheckedSketch> record) {
    final CheckedSketch input = record.value();
    final InferenceSketch value = input == null ? null : input.record();
    final String id = record.key() != null ? record.key() : value == null ? null : value.getInferenceId();
    if (id == null) {
      skip(record, "record has neither key nor value");
      return;
    }
    final byte[] oldBytes = repository.get(id);
    if (value == null) {
      if (oldBytes != null) {
        final RepositoryRecord old = RepositoryCodec.decode(oldBytes);
        retract(old);
        pinFirstVersion(oldBytes, old);
        repository.delete(id);
        timeIndex.delete(TimeIndex.key(old.eventTime(), id));
      }
      return;
    }
    if (!input.valid()) {
      skip(record, input.invalidReason());
      return;
    }
    final Sketch sketch = input.sketch();
    final byte[] compact = RepositoryCodec.encode(value, sketch, config.exactDims(), keepEdges(id, input));
    if (oldBytes != null && RepositoryCodec.sameIgnoringStatsPinned(
        RepositoryCodec.age(compact, RepositoryCodec.vectorLength(oldBytes)), oldBytes)) {
      return; // duplicate delivery
    }
    final long t = value.getEventTime().toEpochMilli();
    if (oldBytes != null) {
      final RepositoryRecord old = RepositoryCodec.decode(oldBytes);
      retract(old);
      pinFirstVersion(oldBytes, old);
      timeIndex.delete(TimeIndex.key(old.eventTime(), id));
    } else {
      observeAttributes(value, sketch);
    }
    apply(t, value.getModuleCounts(), value.getAttributeLengths(), sketch, sketch.length(), +1);
    ageing.saw(t);
    final boolean aged = ageing.dueForAgeing(t);
    final byte[] stored = aged ? ageing.cut(compact, sketch.spec().d()) : compact;
    // a replacement's items are not the statistics' (they keep the first version's, pinned above)
    repository.put(id, oldBytes != null ? RepositoryCodec.withStatsPinned(stored) : stored);
    timeIndex.put(TimeIndex.key(t, id), aged ? AGED : FULL);
    if (pending.size() > PendingAggregates.MAX_KEYS) {
      writePending();
    }
  }

  /** Writes the pending aggregates; queries' answer caches keep nothing they read meanwhile ({@link StoreChanges}). */
  private void writePending() {
    final StoreChanges changes = config.changes();
    final Map<String, java.util.Set<Long>> windows = pending.windowStarts();
    changes.beginWrite(partition);
    windows.forEach((store, starts) -> changes.beginMonthWrite(store, partition, starts));
    try {
      pending.writeTo(stores);
    } finally {
      windows.keySet().forEach(store -> changes.endMonthWrite(store, partition));
      changes.endWrite(partition);
    }
  }

  /** Whether the repository keeps the record's edges; a structure it cannot trust is counted and logged. */
  private boolean keepEdges(final String id, final CheckedSketch input) {
    if (!input.carriesStructure()) {
      return false;
    }
    final String untrusted = input.edgesUntrusted();
    if (untrusted != null) {
      metrics.edgesDropped();
      LOG.warn("sketch {}: stored without its edges (its paths are decoded from the sketch): {}", id, untrusted);
    }
    return untrusted == null;
  }

  private void skip(final Record<String, CheckedSketch> record, final String reason) {
    metrics.recordSkipped();
    throw new InvalidSketchException("sketch record key=" + record.key() + " cannot be aggregated: " + reason);
  }

  /**
   * Pins the items of a stored record that leaves the repository or is replaced, unless it is itself a replacement
   * (the statistics hold an earlier version's items, pinned already): every module it carries exact sums for.
   */
  private void pinFirstVersion(final byte[] bytes, final RepositoryRecord record) {
    if (RepositoryCodec.statsPinned(bytes)) {
      return;
    }
    final long t = record.eventTime();
    final long bucket = t - Math.floorMod(t, statsBucketMs);
    record.attributeSums().forEach((module, sums) -> {
      final int count = record.moduleCounts().getOrDefault(module, 0);
      final int k = record.attributeLengths().getOrDefault(module, 0);
      if (count > 0 && k > 0 && sums.length > 0) {
        pending.pin(module, bucket, k, count, sums);
      }
    });
  }

  private void retract(final RepositoryRecord old) {
    apply(old.eventTime(), old.moduleCounts(), old.attributeLengths(), old.sketch(), old.arrivedLength(), -1);
  }

  /** Adds (sign +1) or retracts (sign -1) the exact counts and the vector of one sketch. */
  private void apply(final long t, final Map<String, Integer> counts, final Map<String, Integer> lengths,
      final Sketch sketch, final int sumLength, final int sign) {
    final long hour = t - Math.floorMod(t, HOUR_MS);
    pending.inference(hour, sign);
    for (final Map.Entry<String, Integer> e : counts.entrySet()) {
      final int objects = e.getValue();
      if (objects > 0) {
        pending.presence(e.getKey(), hour, sign, objects);
        pending.catalogue(e.getKey(), t, sign, objects, lengths.get(e.getKey()));
      }
    }
    pending.sum(sketch.spec(), sumLength, Rollups.dayStart(t), sketch.vector(), sign);
  }

  /**
   * One observation per module present: exact from the record's attribute sums when it carries them,
   * else (an older producer) the effective-weight mean attributes decoded from the sketch, counted in
   * {@value StatsMetrics#ESTIMATED_OBSERVATIONS}.
   */
  private void observeAttributes(final InferenceSketch s, final Sketch sketch) {
    final boolean exact = SketchRecords.hasAttributeSums(s);
    final SketchDecoder decoder = exact ? null : decoders.forSpec(sketch.spec());
    final double noise = exact ? 0 : sketch.readoutStdError();
    final long t = s.getEventTime().toEpochMilli();
    final long bucket = t - Math.floorMod(t, statsBucketMs);
    for (final Map.Entry<String, Integer> e : s.getModuleCounts().entrySet()) {
      final String module = e.getKey();
      final int count = e.getValue();
      final int k = s.getAttributeLengths().get(module);
      if (count <= 0 || k <= 0) {
        continue;
      }
      if (!exact && decoder.presence(sketch, module, k) < MIN_PRESENCE_SIGMAS * noise) {
        metrics.weakObservation();
        continue;
      }
      final AttributeStats stats = pending.stats(module, bucket, k);
      if (exact) {
        stats.addExact(count, SketchRecords.doubles(s.getAttributeSums().get(module)),
            SketchRecords.doubles(s.getAttributeSquares().get(module)));
      } else {
        final double[] mean = decoder.meanAttributes(sketch, module, k);
        stats.addEstimated(count, mean);
        pending.pin(module, bucket, k, 1, mean); // the repository keeps no sums to read it back from
        metrics.estimatedObservation();
      }
    }
  }

  @Override
  public void close() {
    if (hook != null) {
      hook.listen(null, null);
    }
    config.changes().changed();
    pending.clear();
    decoders.clear();
  }
}
