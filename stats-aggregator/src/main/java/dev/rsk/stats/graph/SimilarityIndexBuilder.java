package dev.rsk.stats.graph;

import java.util.Map;
import org.apache.kafka.streams.state.StoreBuilder;

/** Builds {@link SimilarityIndex} stores: never cached, never logged (derived from the entries store). */
final class SimilarityIndexBuilder implements StoreBuilder<SimilarityIndex> {

  private final String name;
  private final HnswParams params;

  SimilarityIndexBuilder(final String name, final HnswParams params) {
    this.name = name;
    this.params = params;
  }

  @Override
  public StoreBuilder<SimilarityIndex> withCachingEnabled() {
    return this;
  }

  @Override
  public StoreBuilder<SimilarityIndex> withCachingDisabled() {
    return this;
  }

  @Override
  public StoreBuilder<SimilarityIndex> withLoggingEnabled(final Map<String, String> config) {
    return this;
  }

  @Override
  public StoreBuilder<SimilarityIndex> withLoggingDisabled() {
    return this;
  }

  @Override
  public SimilarityIndex build() {
    return new SimilarityIndex(name, params);
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
