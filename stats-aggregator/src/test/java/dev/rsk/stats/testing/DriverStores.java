package dev.rsk.stats.testing;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.stats.StatsConfig;
import dev.rsk.stats.StatsTopology;
import dev.rsk.stats.query.StoreProvider;
import dev.rsk.stats.serde.StatsSerdes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.StringSerializer;
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
  private final Set<String> unavailable = new HashSet<>();

  /**
   * One partition of the stats topology on its own driver: 400-day retention and ageing (nothing is aged or
   * deleted in a test's range), dead letters on, state under {@code dir}.
   */
  public static TopologyTestDriver partition(final String applicationId, final Path dir) {
    return partition(applicationId, dir, config());
  }

  /** The configuration {@link #partition(String, Path)} runs: 400-day retention and ageing, its own changes. */
  public static StatsConfig config() {
    return StatsConfig.defaults(StatsSerdes.inferenceSketchBinary())
        .withRetention(Duration.ofDays(400), Duration.ofDays(400), Duration.ofDays(400));
  }

  /** One partition of the stats topology of {@code config} (whose {@link StatsConfig#changes()} it signals). */
  public static TopologyTestDriver partition(final String applicationId, final Path dir, final StatsConfig config) {
    return new TopologyTestDriver(StatsTopology.buildTopology(config, new SimpleMeterRegistry()),
        DriverProps.withDeadLetters(applicationId, dir));
  }

  /** Pipes {@code s} into {@code driver}'s {@code sketches} topic, keyed by its id, at its event time. */
  public static void send(final TopologyTestDriver driver, final InferenceSketch s) {
    driver.createInputTopic("sketches", new StringSerializer(), StatsSerdes.inferenceSketchBinary().serializer())
        .pipeInput(s.getInferenceId(), s, s.getEventTime().toEpochMilli());
  }

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
