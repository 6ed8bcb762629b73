package dev.rsk.stats.query;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/**
 * Where the query classes open a store partition: {@link KafkaStreams#store} in a server. It exists so that the
 * queries' own logic (merging partitions, ranges, the bounded wait for a migrating store) can be tested against
 * the stores of a {@code TopologyTestDriver}, which has no {@code KafkaStreams} to hand out.
 */
@FunctionalInterface
public interface StoreProvider {

  /**
   * The store {@code params} name, of its type, partition and staleness.
   *
   * @throws InvalidStateStoreException while the partition is migrating, restoring or not hosted here
   */
  <T> T store(StoreQueryParameters<T> params);

  /** The stores of {@code streams}, looked up on each call (as {@code streams.store(params)}). */
  static StoreProvider of(final KafkaStreams streams) {
    return new StoreProvider() {
      @Override
      public <T> T store(final StoreQueryParameters<T> params) {
        return streams.store(params);
      }
    };
  }
}
