package dev.rsk.stats.concepts;

import dev.rsk.avro.ConceptEvent;
import dev.rsk.stats.query.StoreProvider;
import dev.rsk.stats.query.StoreUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads the global concept view of this instance (every instance holds every concept). Waits at most
 * {@code storeWait} for the store, then throws {@link StoreUnavailableException}. Closes every iterator.
 */
public final class ConceptQueries {

  private static final long RETRY_SLEEP_MS = 50;

  private final StoreProvider stores;
  private final Duration storeWait;

  public ConceptQueries(final KafkaStreams streams, final Duration storeWait) {
    this(StoreProvider.of(streams), storeWait);
  }

  /** Queries over the view {@code stores} opens (a server's {@code KafkaStreams}, or a test's driver). */
  public ConceptQueries(final StoreProvider stores, final Duration storeWait) {
    this.stores = stores;
    this.storeWait = storeWait;
  }

  /** Every concept's latest event, by id. */
  public List<ConceptEvent> all() {
    final List<ConceptEvent> out = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> it = store().all()) {
      it.forEachRemaining(kv -> out.add(ConceptViewProcessor.decode(kv.value)));
    }
    return out;
  }

  /** One concept's latest event. */
  public Optional<ConceptEvent> get(final String id) {
    final byte[] v = store().get(id);
    return v == null ? Optional.empty() : Optional.of(ConceptViewProcessor.decode(v));
  }

  private ReadOnlyKeyValueStore<String, byte[]> store() {
    final long deadline = System.nanoTime() + storeWait.toNanos();
    while (true) {
      try {
        return stores.store(StoreQueryParameters.fromNameAndType(ConceptStores.VIEW,
            QueryableStoreTypes.keyValueStore()));
      } catch (InvalidStateStoreException e) {
        if (System.nanoTime() >= deadline) {
          throw new StoreUnavailableException(ConceptStores.VIEW, -1, e);
        }
        try {
          Thread.sleep(RETRY_SLEEP_MS);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new StoreUnavailableException(ConceptStores.VIEW, -1, ie);
        }
      }
    }
  }
}
