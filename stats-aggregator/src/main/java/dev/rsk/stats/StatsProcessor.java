package dev.rsk.stats;

import dev.rsk.contract.SketchMapper;
import dev.rsk.avro.InferenceSketch;
import dev.rsk.sketch.DecoderCache;
import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchDecoder;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.model.AttributeStats;
import dev.rsk.stats.model.CatalogueEntry;
import dev.rsk.stats.model.PresenceCounts;
import dev.rsk.stats.model.SketchSum;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one {@code InferenceSketch} to every store of its partition.
 *
 * <p>Idempotent per inference id: an identical re-delivery is a no-op; a different sketch for a known
 * id (an incomplete inference sketched again) replaces the old one, retracting its exact counts and
 * its vector from the hourly sums first. Attribute statistics cannot be retracted (KLL), so they keep
 * the first version's observation (exact from its attribute sums, or decoded from its sketch if it has none). A tombstone (null value) retracts and deletes the stored sketch.
 * A record that cannot be aggregated is skipped with a warning and counted in the metric
 * {@value StatsMetrics#RECORDS_SKIPPED}; the topology never stops on a record.
 */
final class StatsProcessor implements Processor<String, InferenceSketch, Void, Void> {

  private static final Logger LOG = LoggerFactory.getLogger(StatsProcessor.class);
  /** Attribute observations need presence above this many noise standard deviations (see docs/api.md). */
  static final double MIN_PRESENCE_SIGMAS = 3.0;
  private static final long HOUR_MS = StatsConfig.HOUR.toMillis();

  private final StatsConfig config;
  private final long statsBucketMs;
  private final DecoderCache decoders = new DecoderCache();
  private final StatsMetrics metrics;

  private WindowStore<String, PresenceCounts> presence;
  private WindowStore<String, Long> inferences;
  private WindowStore<String, AttributeStats> attributeStats;
  private WindowStore<String, SketchSum> sums;
  private KeyValueStore<String, CatalogueEntry> catalogue;
  private KeyValueStore<String, InferenceSketch> repository;
  private KeyValueStore<Bytes, byte[]> timeIndex;
  private long maxEventTime = Long.MIN_VALUE;

  StatsProcessor(final StatsConfig config, final StatsMetrics metrics) {
    this.config = config;
    this.metrics = metrics;
    this.statsBucketMs = config.statsBucket().toMillis();
  }

  @Override
  public void init(final ProcessorContext<Void, Void> context) {
    presence = context.getStateStore(StatsStores.PRESENCE_HOURLY);
    inferences = context.getStateStore(StatsStores.INFERENCES_HOURLY);
    attributeStats = context.getStateStore(StatsStores.ATTRIBUTE_STATS);
    sums = context.getStateStore(StatsStores.SKETCH_SUMS_HOURLY);
    catalogue = context.getStateStore(StatsStores.CATALOGUE);
    repository = context.getStateStore(StatsStores.REPOSITORY);
    timeIndex = context.getStateStore(StatsStores.TIME_INDEX);
    context.schedule(config.cleanupInterval(), PunctuationType.WALL_CLOCK_TIME, now -> cleanUpRepository());
  }

  @Override
  public void process(final Record<String, InferenceSketch> record) {
    final InferenceSketch value = record.value();
    final String id = record.key() != null ? record.key() : value == null ? null : value.getInferenceId();
    if (id == null) {
      skip(record, "record has neither key nor value");
      return;
    }
    final InferenceSketch old = repository.get(id);
    if (value == null) {
      if (old != null) {
        apply(old, -1);
        repository.delete(id);
        timeIndex.delete(TimeIndex.key(old.getEventTime().toEpochMilli(), id));
      }
      return;
    }
    final String invalid = SketchRecords.invalidReason(value);
    if (invalid != null) {
      skip(record, invalid);
      return;
    }
    if (value.equals(old)) {
      return; // duplicate delivery
    }
    if (old != null) {
      apply(old, -1);
      timeIndex.delete(TimeIndex.key(old.getEventTime().toEpochMilli(), id));
    } else {
      observeAttributes(value);
    }
    apply(value, +1);
    repository.put(id, value);
    timeIndex.put(TimeIndex.key(value.getEventTime().toEpochMilli(), id), new byte[] {1});
    maxEventTime = Math.max(maxEventTime, value.getEventTime().toEpochMilli());
  }

  private void skip(final Record<String, InferenceSketch> record, final String reason) {
    metrics.recordSkipped();
    LOG.warn("skipping sketch record key={} timestamp={}: {}", record.key(), record.timestamp(), reason);
  }

  /** Adds (sign +1) or retracts (sign -1) the exact counts and the vector of {@code s}. */
  private void apply(final InferenceSketch s, final int sign) {
    final long t = s.getEventTime().toEpochMilli();
    final long hour = t - Math.floorMod(t, HOUR_MS);

    final Long n = inferences.fetch(StatsStores.ALL_INFERENCES, hour);
    inferences.put(StatsStores.ALL_INFERENCES, (n == null ? 0 : n) + sign, hour);

    for (final Map.Entry<String, Integer> e : s.getModuleCounts().entrySet()) {
      final int objects = e.getValue();
      if (objects <= 0) {
        continue;
      }
      final String module = e.getKey();
      final PresenceCounts delta = new PresenceCounts(sign, (long) sign * objects);
      final PresenceCounts p = presence.fetch(module, hour);
      presence.put(module, p == null ? delta : p.plus(delta), hour);

      final CatalogueEntry c = catalogue.get(module);
      final int k = s.getAttributeLengths().get(module);
      if (c == null) {
        if (sign > 0) {
          catalogue.put(module, new CatalogueEntry(module, t, t, 1, objects, k));
        }
      } else {
        final boolean add = sign > 0;
        catalogue.put(module, new CatalogueEntry(module,
            add ? Math.min(c.firstSeen(), t) : c.firstSeen(),
            add ? Math.max(c.lastSeen(), t) : c.lastSeen(),
            c.inferences() + sign, c.objects() + (long) sign * objects,
            add && t >= c.lastSeen() ? k : c.attributeLength()));
      }
    }

    final Sketch sketch = SketchMapper.sketch(s);
    final String sumKey = SketchSum.key(sketch.spec(), sketch.vector().length);
    final SketchSum sum = sums.fetch(sumKey, hour);
    if (sum == null) {
      if (sign > 0) {
        sums.put(sumKey, SketchSum.of(sketch.spec(), sketch.vector()), hour);
      }
    } else {
      sums.put(sumKey, sum.add(sketch.vector(), sign), hour);
    }
  }

  /**
   * One observation per module present: exact from the record's attribute sums when it carries them,
   * else (an older producer) the effective-weight mean attributes decoded from the sketch, counted in
   * {@value StatsMetrics#ESTIMATED_OBSERVATIONS}.
   */
  private void observeAttributes(final InferenceSketch s) {
    final boolean exact = SketchRecords.hasAttributeSums(s);
    final Sketch sketch = exact ? null : SketchMapper.sketch(s);
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
      AttributeStats stats = attributeStats.fetch(module, bucket);
      if (stats == null || stats.attributeLength() != k) {
        stats = new AttributeStats(k, config.kllK());
      }
      if (exact) {
        stats.addExact(count, SketchRecords.doubles(s.getAttributeSums().get(module)),
            SketchRecords.doubles(s.getAttributeSquares().get(module)));
      } else {
        stats.addEstimated(count, decoder.meanAttributes(sketch, module, k));
        metrics.estimatedObservation();
      }
      attributeStats.put(module, stats, bucket);
    }
  }

  /** Deletes sketches older than the repository retention (by event time), at most a batch per run. */
  private void cleanUpRepository() {
    if (maxEventTime == Long.MIN_VALUE) {
      return;
    }
    final long cutoff = maxEventTime - config.repositoryRetention().toMillis();
    final List<Bytes> expired = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it = timeIndex.range(null, TimeIndex.lowerBound(cutoff))) {
      while (it.hasNext() && expired.size() < config.cleanupBatch()) {
        final KeyValue<Bytes, byte[]> kv = it.next();
        if (TimeIndex.eventTime(kv.key) < cutoff) {
          expired.add(kv.key);
        }
      }
    }
    for (final Bytes key : expired) {
      final String id = TimeIndex.inferenceId(key);
      final InferenceSketch current = repository.get(id);
      if (current != null && current.getEventTime().toEpochMilli() == TimeIndex.eventTime(key)) {
        repository.delete(id);
      }
      timeIndex.delete(key);
    }
    if (!expired.isEmpty()) {
      LOG.info("repository clean-up: deleted {} sketches older than {}", expired.size(),
          java.time.Instant.ofEpochMilli(cutoff));
    }
  }

  @Override
  public void close() {
    decoders.clear();
  }

}
