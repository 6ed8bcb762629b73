package dev.rsk.api.cluster;

import dev.rsk.stats.StatsStores;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Which instance holds what, read from Kafka Streams metadata (every instance's
 * {@code application.server}): the partitions of the sketches topic per instance, their count, and the
 * owner of a key. No HTTP, no merging. While the metadata is in flux (Streams not RUNNING, a partition
 * with two active owners, the partition count not known) each method polls for at most the store wait,
 * then throws {@link ClusterException.Kind#UNAVAILABLE}. A partition with no active owner is not "in
 * flux": the assignment says so ({@link Assignment#unowned()}) and the gatherer decides (standby or 503).
 */
public final class MetadataService implements ClusterMetadata {

  private static final long POLL_MS = 50;

  private final KafkaStreams streams;
  private final HostInfo self;
  private final String sourceTopic;
  private final IntSupplier partitionCount;
  private final Duration wait;
  private final int retryAfterSeconds;

  /**
   * @param self this instance, equal to the streams' {@code application.server}
   * @param sourceTopic the topic whose partitions are counted (the sketches topic)
   * @param partitionCount the partition count of {@code sourceTopic}, below 1 while unknown
   * @param wait longest wait for the metadata to settle
   * @param retryAfterSeconds the retry hint of the {@link ClusterException} thrown after that wait
   */
  public MetadataService(final KafkaStreams streams, final HostInfo self, final String sourceTopic,
      final IntSupplier partitionCount, final Duration wait, final int retryAfterSeconds) {
    this.streams = streams;
    this.self = self;
    this.sourceTopic = sourceTopic;
    this.partitionCount = partitionCount;
    this.wait = wait;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  @Override
  public HostInfo self() {
    return self;
  }

  /** {@code host:port}, the way answers name an instance. */
  public static String name(final HostInfo host) {
    return host.host() + ":" + host.port();
  }

  /** The partitions per instance (the instances are the keys); waits while they are in flux. */
  @Override
  public Assignment partitionsPerInstance() {
    return poll(this::currentAssignment, "state is migrating");
  }

  /** The partitions per instance now, or null while Streams is not RUNNING or they are in flux. */
  @Override
  public Assignment assignmentNow() {
    try {
      return streams.state() == KafkaStreams.State.RUNNING ? currentAssignment() : null;
    } catch (IllegalStateException | InvalidStateStoreException e) {
      return null; // Streams stopped after the state was read
    }
  }

  /** Where a key lives: its partition, its active host and its standby hosts; waits while unknown. */
  @Override
  public KeyQueryMetadata owner(final String key) {
    return poll(() -> {
      final KeyQueryMetadata m =
          streams.queryMetadataForKey(StatsStores.REPOSITORY, key, Serdes.String().serializer());
      final boolean known = m != null && !KeyQueryMetadata.NOT_AVAILABLE.equals(m) && m.activeHost() != null
          && m.activeHost().port() > 0;
      return known ? m : null;
    }, "no instance owns the key right now");
  }

  /** Null while some partition has two active owners or the partition count is unknown (in flux). */
  private Assignment currentAssignment() {
    final int count = partitionCount.getAsInt();
    if (count < 1) {
      return null;
    }
    final Collection<StreamsMetadata> all = streams.streamsMetadataForStore(StatsStores.REPOSITORY);
    final Map<HostInfo, Set<Integer>> active = new LinkedHashMap<>();
    final Map<HostInfo, Set<Integer>> standby = new LinkedHashMap<>();
    final TreeSet<Integer> covered = new TreeSet<>();
    for (final StreamsMetadata m : all) {
      final Set<Integer> a = partitions(m.topicPartitions());
      final Set<Integer> s = partitions(m.standbyTopicPartitions());
      for (final int p : a) {
        if (!covered.add(p)) {
          return null;
        }
      }
      if (!a.isEmpty()) {
        active.put(m.hostInfo(), a);
      }
      if (!s.isEmpty()) {
        standby.put(m.hostInfo(), s);
      }
    }
    // A partition beyond the count the topic had when last described: it grew, the count is stale.
    if (!covered.isEmpty() && covered.last() >= count) {
      return null;
    }
    return new Assignment(active, standby, count);
  }

  private Set<Integer> partitions(final Set<TopicPartition> tps) {
    return tps.stream().filter(tp -> tp.topic().equals(sourceTopic)).map(TopicPartition::partition)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** {@code attempt} (null = not yet) while RUNNING, until it answers or the wait is over. */
  private <T> T poll(final Supplier<T> attempt, final String unavailable) {
    final long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      if (streams.state() == KafkaStreams.State.RUNNING) {
        final T value = attempt.get();
        if (value != null) {
          return value;
        }
      }
      if (System.nanoTime() >= deadline || stopping()) {
        throw ClusterException.unavailable(unavailable + " (Kafka Streams is " + streams.state()
            + "); retry shortly", retryAfterSeconds);
      }
      sleep();
    }
  }

  /** True when Streams will not become RUNNING again (waiting would not help). */
  private boolean stopping() {
    final KafkaStreams.State s = streams.state();
    return s == KafkaStreams.State.PENDING_SHUTDOWN || s == KafkaStreams.State.NOT_RUNNING
        || s == KafkaStreams.State.PENDING_ERROR || s == KafkaStreams.State.ERROR;
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ClusterException.unavailable("interrupted", 1);
    }
  }
}
