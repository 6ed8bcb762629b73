package dev.rsk.stats.testing;

import dev.rsk.stats.query.StoreProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;

/**
 * A {@link StoreProvider} over TopologyTestDriver stores, one driver per partition (a driver's stores are its
 * partition 0, here mapped to the partition given). Like {@code KafkaStreams.store} it throws
 * {@link InvalidStateStoreException} for a partition it does not host, for the next {@link #failNext} calls and
 * for a store made {@link #unavailable}.
 * Every request is recorded, so a test can check the name, partition and staleness a query asked for.
 */
public final class DriverStores implements StoreProvider {

  private final Map<Integer, TopologyTestDriver> partitions;
  private final List<StoreQueryParameters<?>> requests = new ArrayList<>();
  private int failures;
  private final java.util.Set<String> unavailable = new java.util.HashSet<>();

  public DriverStores(final Map<Integer, TopologyTestDriver> partitions) {
    this.partitions = partitions;
  }

  /** The next {@code n} calls throw {@link InvalidStateStoreException} (a migrating partition). */
  public DriverStores failNext(final int n) {
    failures = n;
    return this;
  }

  /** Every later call for store {@code name} throws {@link InvalidStateStoreException}. */
  public DriverStores unavailable(final String name) {
    unavailable.add(name);
    return this;
  }

  /** Every request so far, in order (failed ones included). */
  public List<StoreQueryParameters<?>> requests() {
    return requests;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T store(final StoreQueryParameters<T> params) {
    requests.add(params);
    if (unavailable.contains(params.storeName())) {
      throw new InvalidStateStoreException("unavailable (test): " + params.storeName());
    }
    if (failures > 0) {
      failures--;
      throw new InvalidStateStoreException("migrating (test): " + params.storeName());
    }
    final TopologyTestDriver driver = partitions.get(params.partition() == null ? 0 : params.partition());
    if (driver == null) {
      throw new InvalidStateStoreException("partition " + params.partition() + " not hosted (test)");
    }
    final Object store;
    if (params.queryableStoreType() instanceof QueryableStoreTypes.WindowStoreType) {
      store = driver.getWindowStore(params.storeName());
    } else if (params.queryableStoreType() instanceof QueryableStoreTypes.KeyValueStoreType) {
      store = driver.getKeyValueStore(params.storeName());
    } else {
      store = driver.getStateStore(params.storeName());
    }
    if (store == null) {
      throw new InvalidStateStoreException("no store " + params.storeName() + " (test)");
    }
    return (T) store;
  }
}
