package dev.rsk.api.cluster;

import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Where partitions and keys live, as {@link ScatterGather} needs it. {@link MetadataService} reads it
 * from Kafka Streams; a fixed placement stands in for it in tests.
 */
public interface ClusterMetadata {

  /**
   * Active and standby partitions per instance. No partition has two active owners, but some may have
   * none (an instance died, a task is unassigned): {@code partitionCount} is the partition count of the
   * sketches topic, so whoever gathers knows which of {@code 0..partitionCount-1} no active owner holds.
   */
  record Assignment(Map<HostInfo, Set<Integer>> active, Map<HostInfo, Set<Integer>> standby, int partitionCount) {

    public Assignment {
      if (partitionCount < 1) {
        throw new IllegalArgumentException("partitionCount must be >= 1, got " + partitionCount);
      }
    }

    /** The partitions of {@code 0..partitionCount-1} that no instance holds as active, ascending. */
    public Set<Integer> unowned() {
      final Set<Integer> out = new java.util.TreeSet<>();
      for (int p = 0; p < partitionCount; p++) {
        out.add(p);
      }
      active.values().forEach(out::removeAll);
      return out;
    }
  }

  /** This instance. */
  HostInfo self();

  /**
   * The partitions per instance (the instances are the keys).
   *
   * @throws ClusterException {@link ClusterException.Kind#UNAVAILABLE} when not known in time
   */
  Assignment partitionsPerInstance();

  /** The partitions per instance now, or null while they are in flux or unknown (never waits). */
  default Assignment assignmentNow() {
    return null;
  }

  /**
   * Where a key lives: its partition, its active host and its standby hosts.
   *
   * @throws ClusterException {@link ClusterException.Kind#UNAVAILABLE} when not known in time
   */
  KeyQueryMetadata owner(String key);
}
