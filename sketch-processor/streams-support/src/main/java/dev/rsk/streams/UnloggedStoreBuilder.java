package dev.rsk.streams;

import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * A {@link StoreBuilder} for stores that keep no changelog and no record cache of their own (a commit hook, an
 * index derived from a logged store): the caching and logging switches are ignored, so Kafka Streams never wraps
 * the store.
 *
 * @param <T> the store type
 */
public final class UnloggedStoreBuilder<T extends StateStore> implements StoreBuilder<T> {

  private final String name;
  private final Supplier<T> factory;

  /** A builder of {@code name} whose {@link #build()} calls {@code factory}. */
  public UnloggedStoreBuilder(final String name, final Supplier<T> factory) {
    this.name = name;
    this.factory = factory;
  }

  @Override
  public StoreBuilder<T> withCachingEnabled() {
    return this;
  }

  @Override
  public StoreBuilder<T> withCachingDisabled() {
    return this;
  }

  @Override
  public StoreBuilder<T> withLoggingEnabled(final Map<String, String> config) {
    return this;
  }

  @Override
  public StoreBuilder<T> withLoggingDisabled() {
    return this;
  }

  @Override
  public T build() {
    return factory.get();
  }

  @Override
  public Map<String, String> logConfig() {
    return Map.of();
  }

  @Override
  public boolean loggingEnabled() {
    return false;
  }

  @Override
  public String name() {
    return name;
  }
}
