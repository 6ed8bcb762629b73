package dev.rsk.stats.graph;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.stats.SketchRecords;
import dev.rsk.stats.StatsConfig;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@link GraphStores#ENTRIES} and the {@link SimilarityIndex} of a partition in step with the
 * {@code sketches} records: upsert, tombstone delete, retention by event time (the repository's). On
 * init (a new task, after restore, after a rebalance or a crash) the index is rebuilt from the entries
 * store, which exactly-once processing keeps equal to the repository. Invalid records are skipped (the
 * stats processor counts and logs them).
 */
final class SimilarityIndexProcessor implements Processor<String, InferenceSketch, Void, Void> {

  private static final Logger LOG = LoggerFactory.getLogger(SimilarityIndexProcessor.class);

  private final StatsConfig config;
  private KeyValueStore<String, byte[]> entries;
  private SimilarityIndex index;
  private long maxEventTime = Long.MIN_VALUE;

  SimilarityIndexProcessor(final StatsConfig config) {
    this.config = config;
  }

  @Override
  public void init(final ProcessorContext<Void, Void> context) {
    entries = context.getStateStore(GraphStores.ENTRIES);
    index = context.getStateStore(GraphStores.INDEX);
    final long t0 = System.nanoTime();
    try (KeyValueIterator<String, byte[]> it = entries.all()) {
      maxEventTime = index.rebuild(it);
    }
    LOG.info("similarity index of task {} rebuilt in {} ms", context.taskId(), (System.nanoTime() - t0) / 1_000_000);
    context.schedule(config.cleanupInterval(), PunctuationType.WALL_CLOCK_TIME, now -> cleanUp());
  }

  @Override
  public void process(final Record<String, InferenceSketch> record) {
    final InferenceSketch value = record.value();
    final String id = record.key() != null ? record.key() : value == null ? null : value.getInferenceId();
    if (id == null) {
      return;
    }
    final byte[] oldBytes = entries.get(id);
    final String oldKey = oldBytes == null ? null : IndexEntry.decode(oldBytes).specKey();
    if (value == null) {
      if (oldKey != null) {
        entries.delete(id);
        index.delete(id, oldKey);
      }
      return;
    }
    if (SketchRecords.invalidReason(value) != null) {
      return;
    }
    final IndexEntry e = IndexEntry.of(value);
    final IndexEntry keyed = e.inferenceId().equals(id) ? e
        : new IndexEntry(id, e.specKey(), e.eventTime(), e.source(), e.modules(), e.vector());
    final byte[] bytes = keyed.encode();
    if (Arrays.equals(bytes, oldBytes)) {
      return; // duplicate delivery
    }
    entries.put(id, bytes);
    index.upsert(keyed, oldKey);
    maxEventTime = Math.max(maxEventTime, keyed.eventTime());
  }

  /** Deletes entries older than the repository retention, at most a clean-up batch per run. */
  private void cleanUp() {
    if (maxEventTime == Long.MIN_VALUE) {
      return;
    }
    final long cutoff = maxEventTime - config.repositoryRetention().toMillis();
    final List<KeyValue<String, String>> old = index.olderThan(cutoff, config.cleanupBatch());
    for (final KeyValue<String, String> kv : old) {
      entries.delete(kv.key);
      index.delete(kv.key, kv.value);
    }
  }

  @Override
  public void close() {
    // the index store is closed by Streams
  }
}
