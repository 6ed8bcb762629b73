package dev.rsk.stats.graph;

import java.util.List;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.internals.StateStoreProvider;

/** Interactive-query type of {@link SimilarityIndex}: one partition's index (query with a partition). */
public final class SimilarityIndexType implements QueryableStoreType<SimilarityIndex> {

  @Override
  public boolean accepts(final org.apache.kafka.streams.processor.StateStore store) {
    return store instanceof SimilarityIndex;
  }

  @Override
  public SimilarityIndex create(final StateStoreProvider provider, final String storeName) {
    final List<SimilarityIndex> stores = provider.stores(storeName, this);
    if (stores.size() != 1) {
      throw new InvalidStateStoreException("expected one " + storeName + " for the partition, found "
          + stores.size());
    }
    return stores.get(0);
  }
}
