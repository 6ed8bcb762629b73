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

  /** Active and standby partitions per instance; every partition has exactly one active owner. */
  record Assignment(Map<HostInfo, Set<Integer>> active, Map<HostInfo, Set<Integer>> standby) {}

  /** This instance. */
  HostInfo self();

  /**
   * The partitions per instance (the instances are the keys).
   *
   * @throws ClusterException {@link ClusterException.Kind#UNAVAILABLE} when not known in time
   */
  Assignment partitionsPerInstance();

  /**
   * Where a key lives: its partition, its active host and its standby hosts.
   *
   * @throws ClusterException {@link ClusterException.Kind#UNAVAILABLE} when not known in time
   */
  KeyQueryMetadata owner(String key);
}
