package dev.rsk.api;

import dev.rsk.api.cluster.ClusterMetadata;
import dev.rsk.api.cluster.ScatterGather;
import dev.rsk.api.internal.InternalApi;
import dev.rsk.api.internal.InternalDtos;
import dev.rsk.api.model.StoredSketch;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Instances in a placement that does not change, for the services' unit tests: no Kafka, no HTTP. This instance is
 * {@link #A}; each instance answers through the view the test gives it, usually a {@link Silent} that overrides the
 * questions the test asks.
 */
final class FixedCluster {

  static final HostInfo A = new HostInfo("a", 1);
  static final HostInfo B = new HostInfo("b", 2);

  private FixedCluster() {}

  /** Scatter-gather over {@code active} (no standbys, {@code partitionCount} partitions); the caller closes it. */
  static ScatterGather<InternalApi> gather(final int partitionCount, final Map<HostInfo, Set<Integer>> active,
      final Function<HostInfo, InternalApi> views) {
    return gather(partitionCount, active, null, views);
  }

  /** The same, every key held by {@code owner} (null: no key lookups). */
  static ScatterGather<InternalApi> gather(final int partitionCount, final Map<HostInfo, Set<Integer>> active,
      final KeyQueryMetadata owner, final Function<HostInfo, InternalApi> views) {
    final ClusterMetadata placement = new ClusterMetadata() {
      @Override
      public HostInfo self() {
        return A;
      }

      @Override
      public Assignment partitionsPerInstance() {
        return new Assignment(active, Map.of(), partitionCount);
      }

      @Override
      public KeyQueryMetadata owner(final String key) {
        if (owner == null) {
          throw new UnsupportedOperationException("no key lookups in this placement");
        }
        return owner;
      }
    };
    return new ScatterGather<>(placement, views, ApiLimits.defaults());
  }

  /** An instance that answers no question: a test overrides those it asks. */
  abstract static class Silent implements InternalApi {
    @Override
    public InternalDtos.Catalogue catalogue(final Collection<Integer> partitions, final boolean stale) {
      throw new UnsupportedOperationException();
    }

    @Override
    public InternalDtos.Network network(final Collection<Integer> partitions, final boolean stale) {
      throw new UnsupportedOperationException();
    }

    @Override
    public InternalDtos.Hourly hourly(final String module, final long from, final long to,
        final Collection<Integer> partitions, final boolean stale) {
      throw new UnsupportedOperationException();
    }

    @Override
    public InternalDtos.ModuleStats stats(final String module, final long from, final long to, final long statsFrom,
        final long statsTo, final Collection<Integer> partitions, final boolean stale) {
      throw new UnsupportedOperationException();
    }

    @Override
    public StoredSketch sketch(final String inferenceId, final int partition, final boolean stale) {
      throw new UnsupportedOperationException();
    }

    @Override
    public InternalDtos.SimilarAnswer similar(final InternalDtos.SimilarQuery query) {
      throw new UnsupportedOperationException();
    }
  }
}
