package dev.rsk.api.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rsk.api.ApiLimits;
import dev.rsk.api.model.InstanceStatus;
import dev.rsk.stats.query.StoreUnavailableException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Scatter-gather over a fixed placement, without Kafka: every owner answers its partitions, a failed
 * owner is replaced by standby copies (stale), a partition nobody answers is a 503-kind failure naming
 * who answered, and a key lookup falls back to the key's standbys.
 */
class ScatterGatherTest {

  static final HostInfo A = new HostInfo("a", 1);
  static final HostInfo B = new HostInfo("b", 2);
  static final HostInfo C = new HostInfo("c", 3);

  /** A placement that does not change; this instance is A. */
  record Fixed(ClusterMetadata.Assignment assignment, KeyQueryMetadata key) implements ClusterMetadata {
    @Override
    public HostInfo self() {
      return A;
    }

    @Override
    public Assignment partitionsPerInstance() {
      return assignment;
    }

    /** Known now as well (for {@link ScatterGather#allLocal()}); null: in flux. */
    @Override
    public Assignment assignmentNow() {
      return assignment;
    }

    @Override
    public KeyQueryMetadata owner(final String k) {
      return key;
    }
  }

  /** The instance view is the host itself; the query decides what each host does. */
  private ScatterGather<HostInfo> gather;
  private final Map<HostInfo, RuntimeException> failures = new ConcurrentHashMap<>();
  private final Map<HostInfo, String> threads = new ConcurrentHashMap<>();
  private final Map<HostInfo, Boolean> daemons = new ConcurrentHashMap<>();
  /** How long a host takes to answer, in ms; none by default. */
  private final Map<HostInfo, Long> delays = new ConcurrentHashMap<>();

  private ScatterGather<HostInfo> over(final Map<HostInfo, Set<Integer>> active,
      final Map<HostInfo, Set<Integer>> standby) {
    return over(4, active, standby);
  }

  private ScatterGather<HostInfo> over(final int partitionCount, final Map<HostInfo, Set<Integer>> active,
      final Map<HostInfo, Set<Integer>> standby) {
    gather = new ScatterGather<>(new Fixed(new ClusterMetadata.Assignment(active, standby, partitionCount), null),
        h -> h,
        ApiLimits.defaults());
    return gather;
  }

  private ScatterGather<HostInfo> forKey(final HostInfo active, final Set<HostInfo> standbys) {
    gather = new ScatterGather<>(new Fixed(null, new KeyQueryMetadata(active, standbys, 3)), h -> h,
        ApiLimits.defaults());
    return gather;
  }

  @AfterEach
  void close() {
    if (gather != null) {
      gather.close();
    }
  }

  /** "host [partitions] stale", or the failure planted for the host. */
  private String ask(final HostInfo host, final Set<Integer> partitions, final boolean stale) {
    threads.put(host, Thread.currentThread().getName());
    daemons.put(host, Thread.currentThread().isDaemon());
    try {
      if (delays.containsKey(host)) {
        Thread.sleep(delays.get(host));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    final RuntimeException failure = failures.get(host);
    if (failure != null) {
      throw failure;
    }
    return host.host() + " " + partitions + " " + stale;
  }

  @SuppressWarnings("unchecked")
  private static Map<HostInfo, Set<Integer>> hosts(final Object... hostsAndPartitions) {
    final Map<HostInfo, Set<Integer>> out = new LinkedHashMap<>();
    for (int i = 0; i < hostsAndPartitions.length; i += 2) {
      out.put((HostInfo) hostsAndPartitions[i], new TreeSet<>((List<Integer>) hostsAndPartitions[i + 1]));
    }
    return out;
  }

  @Test
  void everyOwnerAnswersItsPartitionsThisInstanceInTheCallingThread() {
    final var g = over(hosts(A, List.of(0, 1), B, List.of(2, 3)), Map.of()).gather(this::ask);
    assertThat(g.parts()).containsExactly("a [0, 1] false", "b [2, 3] false");
    assertThat(g.instances()).containsExactly(new InstanceStatus("a:1", List.of(0, 1), "ok"),
        new InstanceStatus("b:2", List.of(2, 3), "ok"));
    assertThat(g.stale()).isFalse();
    assertThat(threads.get(A)).isEqualTo(Thread.currentThread().getName());
    assertThat(threads.get(B)).startsWith("rsk-gather-");
    assertThat(daemons.get(B)).as("a gather thread does not keep the JVM alive").isTrue();
  }

  @Test
  void aRemoteThatHangsIsWaitedForTwiceTheRemoteTimeoutPlusTheStoreWaitThenReplaced() {
    final ApiLimits d = ApiLimits.defaults();
    final ApiLimits limits = new ApiLimits(d.maxRange(), d.defaultRange(), d.maxBuckets(), d.defaultK(), d.maxK(),
        Duration.ofMillis(1_000), Duration.ofMillis(1_000), d.retryAfterSeconds(), d.answerCacheBytes(),
        d.itemsCacheBytes(), d.monthsCacheBytes(), d.answerMaxStaleness());
    delays.put(B, 60_000L);
    gather = new ScatterGather<>(new Fixed(new ClusterMetadata.Assignment(hosts(A, List.of(0), B, List.of(1)),
        hosts(C, List.of(1)), 2), null), h -> h, limits);
    final long start = System.nanoTime();
    final var g = gather.gather(this::ask);
    final long ms = (System.nanoTime() - start) / 1_000_000;
    assertThat(g.parts()).containsExactly("a [0] false", "c [1] true");
    assertThat(g.instances()).contains(new InstanceStatus("b:2", List.of(1), "unavailable"));
    // 2 x 1 s + 1 s: not less (a lower bound cannot flake), and far from the hung call's 60 s
    assertThat(ms).isBetween(3_000L, 30_000L);
  }

  @Test
  void anInterruptedGatherStopsWaitingAtOnceAndKeepsTheInterrupt() {
    delays.put(B, 60_000L);
    final var sg = over(2, hosts(A, List.of(0), B, List.of(1)), hosts(C, List.of(1)));
    Thread.currentThread().interrupt();
    final ScatterGather.Gathered<String> g;
    try {
      g = sg.gather(this::ask);
    } finally {
      assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
    }
    assertThat(g.parts()).containsExactly("a [0] false", "c [1] true");
  }

  @Test
  void allLocalOnlyWhileThisInstanceHoldsEveryPartitionAsActiveNow() {
    assertThat(settled(new ClusterMetadata.Assignment(hosts(A, List.of(0, 1)), hosts(B, List.of(0, 1)), 2))
        .allLocal()).isTrue();
    assertThat(settled(new ClusterMetadata.Assignment(hosts(A, List.of(0), B, List.of(1)), Map.of(), 2))
        .allLocal()).isFalse();
    assertThat(settled(new ClusterMetadata.Assignment(hosts(A, List.of(0)), Map.of(), 2)).allLocal())
        .as("partition 1 has no active owner").isFalse();
    assertThat(settled(null).allLocal()).as("in flux").isFalse();
  }

  private ScatterGather<HostInfo> settled(final ClusterMetadata.Assignment now) {
    close();
    gather = new ScatterGather<>(new Fixed(now, null), h -> h, ApiLimits.defaults());
    return gather;
  }

  @Test
  void aFailedOwnerIsReplacedByTheFirstLiveStandbyOfEachPartitionMarkedStale() {
    failures.put(B, ClusterException.remote("instance b:2 unreachable", -1, null));
    final var g = over(hosts(A, List.of(0, 1), B, List.of(2, 3)), hosts(C, List.of(2), A, List.of(2, 3)))
        .gather(this::ask);
    assertThat(g.parts()).containsExactly("a [0, 1] false", "c [2] true", "a [3] true");
    assertThat(g.instances()).containsExactly(new InstanceStatus("a:1", List.of(0, 1), "ok"),
        new InstanceStatus("b:2", List.of(2, 3), "unavailable"), new InstanceStatus("c:3", List.of(2), "stale"),
        new InstanceStatus("a:1", List.of(3), "stale"));
    assertThat(g.stale()).isTrue();
  }

  @Test
  void aLocalStoreThatIsNotQueryableIsReplacedToo() {
    failures.put(A, new StoreUnavailableException("sketch-repository", 0, null));
    final var g = over(2, hosts(A, List.of(0), B, List.of(1)), hosts(B, List.of(0))).gather(this::ask);
    assertThat(g.parts()).containsExactly("b [1] false", "b [0] true");
    assertThat(g.stale()).isTrue();
  }

  @Test
  void aPartitionNoInstanceAnswersFailsNamingWhoAnsweredAndWhatIsMissing() {
    failures.put(B, ClusterException.remote("instance b:2 answered 500", 500, null));
    failures.put(C, ClusterException.remote("instance c:3 unreachable", -1, null));
    // The only copy of 2 is on C, which fails too; 3 has no copy but on its failed owner.
    final var sg = over(hosts(A, List.of(0, 1), B, List.of(2, 3)), hosts(B, List.of(3), C, List.of(2)));
    assertThatThrownBy(() -> sg.gather(this::ask)).isInstanceOfSatisfying(ClusterException.class, e -> {
      assertThat(e.kind()).isEqualTo(ClusterException.Kind.UNAVAILABLE);
      assertThat(e.retryAfterSeconds()).isEqualTo(5);
      assertThat(e.missingPartitions()).containsExactly(2, 3);
      assertThat(e.instances()).containsExactly(new InstanceStatus("a:1", List.of(0, 1), "ok"),
          new InstanceStatus("b:2", List.of(2, 3), "unavailable"),
          new InstanceStatus("c:3", List.of(2), "unavailable"));
      assertThat(e.getMessage()).startsWith("partitions [2, 3] could not be queried on any instance");
    });
  }

  @Test
  void theLastPartitionWithNoOwnerIsA503NamingItNotA200WithPartialSums() {
    // Every instance answers, and 0..2 look like a complete assignment, but the topic has 4 partitions.
    final var sg = over(4, hosts(A, List.of(0, 1), B, List.of(2)), Map.of());
    assertThatThrownBy(() -> sg.gather(this::ask)).isInstanceOfSatisfying(ClusterException.class, e -> {
      assertThat(e.kind()).isEqualTo(ClusterException.Kind.UNAVAILABLE);
      assertThat(e.missingPartitions()).containsExactly(3);
      assertThat(e.instances()).containsExactly(new InstanceStatus("a:1", List.of(0, 1), "ok"),
          new InstanceStatus("b:2", List.of(2), "ok"));
      assertThat(e.getMessage()).startsWith("partitions [3] could not be queried on any instance");
    });
  }

  @Test
  void anUnownedPartitionIsAnsweredByItsStandbyMarkedStale() {
    final var g = over(4, hosts(A, List.of(0, 1), B, List.of(2)), hosts(C, List.of(3), A, List.of(2)))
        .gather(this::ask);
    assertThat(g.parts()).containsExactly("a [0, 1] false", "b [2] false", "c [3] true");
    assertThat(g.instances()).last().isEqualTo(new InstanceStatus("c:3", List.of(3), "stale"));
    assertThat(g.stale()).isTrue();
  }

  @Test
  void anAssignmentKnowsWhichPartitionsNoActiveOwnerHolds() {
    assertThat(new ClusterMetadata.Assignment(hosts(A, List.of(0, 2), B, List.of(4)), Map.of(), 6).unowned())
        .containsExactly(1, 3, 5);
    assertThat(new ClusterMetadata.Assignment(hosts(A, List.of(0, 1)), Map.of(), 2).unowned()).isEmpty();
    assertThatThrownBy(() -> new ClusterMetadata.Assignment(Map.of(), Map.of(), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aNotFoundFromAnInstanceIsTheAnswerNotAFailureToReplace() {
    final ClusterException notFound = ClusterException.notFound("no stored inference with id 'x'");
    failures.put(B, notFound);
    final var sg = over(2, hosts(A, List.of(0), B, List.of(1)), hosts(C, List.of(1)));
    assertThatThrownBy(() -> sg.gather(this::ask)).isSameAs(notFound);
    assertThat(threads).doesNotContainKey(C);
  }

  @Test
  void aNotFoundFromAStandbyIsTheAnswerToo() {
    final ClusterException notFound = ClusterException.notFound("no stored inference with id 'x'");
    failures.put(B, ClusterException.remote("instance b:2 unreachable", -1, null));
    failures.put(C, notFound);
    final var sg = over(2, hosts(A, List.of(0), B, List.of(1)), hosts(C, List.of(1)));
    assertThatThrownBy(() -> sg.gather(this::ask)).isSameAs(notFound);
  }

  @Test
  void aNotFoundFromAKeysOwnerIsTheAnswerItsStandbysAreNotAsked() {
    final ClusterException notFound = ClusterException.notFound("no stored inference with id 'k'");
    failures.put(B, notFound);
    final var sg = forKey(B, Set.of(C));
    assertThatThrownBy(() -> sg.lookup("k", (h, partition, stale) -> ask(h, Set.of(partition), stale)))
        .isSameAs(notFound);
    assertThat(threads).doesNotContainKey(C);
  }

  @Test
  void aKeyIsAskedOfItsOwnerThenOfItsStandbys() {
    final ScatterGather.Located<String> owner =
        forKey(B, Set.of(C)).lookup("k", (h, partition, stale) -> h.host() + " " + partition + " " + stale);
    assertThat(owner).isEqualTo(new ScatterGather.Located<>("b 3 false", "b:2", false));

    failures.put(B, ClusterException.remote("instance b:2 unreachable", -1, null));
    final ScatterGather.Located<String> standby =
        gather.lookup("k", (h, partition, stale) -> ask(h, Set.of(partition), stale));
    assertThat(standby).isEqualTo(new ScatterGather.Located<>("c [3] true", "c:3", true));
  }

  @Test
  void aMissingKeyIsANullValueFromTheOwner() {
    assertThat(forKey(B, Set.of(C)).lookup("k", (h, partition, stale) -> null))
        .isEqualTo(new ScatterGather.Located<>(null, "b:2", false));
  }

  @Test
  void aKeyNoCopyOfWhichAnswersFailsWithTheLastReason() {
    failures.put(B, ClusterException.remote("instance b:2 unreachable", -1, null));
    failures.put(C, new StoreUnavailableException("sketch-repository", 3, null));
    final var sg = forKey(B, Set.of(C));
    assertThatThrownBy(() -> sg.lookup("k", (h, partition, stale) -> ask(h, Set.of(partition), stale)))
        .isInstanceOfSatisfying(ClusterException.class, e -> {
          assertThat(e.kind()).isEqualTo(ClusterException.Kind.UNAVAILABLE);
          assertThat(e.retryAfterSeconds()).isEqualTo(5);
          assertThat(e.getMessage()).isEqualTo("the partition holding 'k' is migrating: store sketch-repository "
              + "partition 3 is not queryable here (migrating or restoring): ");
        });
  }
}
