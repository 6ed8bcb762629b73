package dev.rsk.stats.graph;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.stats.CheckedSketch;
import dev.rsk.stats.StatsConfig;
import dev.rsk.stats.StatsStores;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Feeds the partition's {@link SimilarityIndex}: runs after the stats processor for the same record, so the
 * repository already holds (or no longer holds) the record's sketch, and only enqueues its id; the index's
 * background indexer reads the repository (read only: this processor never writes it). Init starts that
 * indexer, whose first act is to rebuild the graphs from the repository, off the stream thread; close stops it.
 * A punctuator passes the repository's retention cutoff (newest event time seen minus the retention) on.
 */
final class SimilarityIndexProcessor implements Processor<String, CheckedSketch, Void, Void> {

  private final StatsConfig config;
  private SimilarityIndex index;
  private long maxEventTime = Long.MIN_VALUE;

  SimilarityIndexProcessor(final StatsConfig config) {
    this.config = config;
  }

  @Override
  public void init(final ProcessorContext<Void, Void> context) {
    final KeyValueStore<String, byte[]> repository = context.getStateStore(StatsStores.REPOSITORY);
    index = context.getStateStore(GraphStores.INDEX);
    index.start(repository, context.taskId().toString());
    context.schedule(config.cleanupInterval(), PunctuationType.WALL_CLOCK_TIME, now -> expire());
  }

  @Override
  public void process(final Record<String, CheckedSketch> record) {
    final InferenceSketch value = record.value() == null ? null : record.value().record();
    final String id = record.key() != null ? record.key() : value == null ? null : value.getInferenceId();
    if (id == null) {
      return;
    }
    if (value != null && value.getEventTime() != null) {
      maxEventTime = Math.max(maxEventTime, value.getEventTime().toEpochMilli());
    }
    index.enqueue(id);
  }

  private void expire() {
    if (maxEventTime != Long.MIN_VALUE) {
      index.expire(maxEventTime - config.repositoryRetention().toMillis());
    }
  }

  @Override
  public void close() {
    if (index != null) {
      index.stop();
    }
  }
}
