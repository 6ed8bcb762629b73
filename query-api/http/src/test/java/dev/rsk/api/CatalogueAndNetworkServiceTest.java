package dev.rsk.api;

import static dev.rsk.api.FixedCluster.A;
import static dev.rsk.api.FixedCluster.B;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.api.cluster.ScatterGather;
import dev.rsk.api.internal.InternalApi;
import dev.rsk.api.internal.InternalDtos;
import dev.rsk.api.model.ModuleInfo;
import dev.rsk.api.model.ModulesResponse;
import dev.rsk.api.model.NetworkResponse;
import dev.rsk.stats.model.CatalogueEntry;
import dev.rsk.stats.model.NetworkEntry;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The catalogue and the learned network, gathered from two instances and merged: counts added, first and last
 * seen widened, the attribute length as last seen, edges summed; every expected value worked out by hand.
 */
class CatalogueAndNetworkServiceTest {

  static final long T0 = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
  static final long HOUR = 3_600_000L;

  private ScatterGather<InternalApi> cluster;

  @AfterEach
  void close() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private void over(final Map<HostInfo, List<CatalogueEntry>> catalogues,
      final Map<HostInfo, List<NetworkEntry>> networks) {
    close();
    cluster = FixedCluster.gather(2, Map.of(A, Set.of(0), B, Set.of(1)), h -> new FixedCluster.Silent() {
      @Override
      public InternalDtos.Catalogue catalogue(final Collection<Integer> partitions, final boolean stale) {
        return new InternalDtos.Catalogue(catalogues.getOrDefault(h, List.of()));
      }

      @Override
      public InternalDtos.Network network(final Collection<Integer> partitions, final boolean stale) {
        return new InternalDtos.Network(networks.getOrDefault(h, List.of()));
      }
    });
  }

  @Test
  void aModuleSeenOnBothInstancesIsOneEntryWithBothCounts() {
    over(Map.of(
        A, List.of(new CatalogueEntry("cat", T0 + 5 * HOUR, T0 + 9 * HOUR, 3, 4, 4),
            new CatalogueEntry("dog", T0, T0, 1, 1, 2)),
        B, List.of(new CatalogueEntry("cat", T0 + 2 * HOUR, T0 + 7 * HOUR, 2, 5, 5))), Map.of());
    final CatalogueService catalogue = new CatalogueService(cluster);
    final ModulesResponse m = catalogue.modules();
    // cat: first seen on B, last seen on A (so A's k), 3 + 2 inferences, 4 + 5 objects
    assertThat(m.modules()).containsExactly(
        new ModuleInfo("cat", "2026-03-01T02:00:00Z", "2026-03-01T09:00:00Z", 5, 9, 4),
        new ModuleInfo("dog", "2026-03-01T00:00:00Z", "2026-03-01T00:00:00Z", 1, 1, 2));
    assertThat(m.stale()).isFalse();
    assertThat(m.instances()).hasSize(2);
    assertThat(catalogue.attributeLengths()).containsExactly(Map.entry("cat", 4), Map.entry("dog", 2));
  }

  /** scene roots over a cat in slot 0 on A (2 DAGs); on B, 1 DAG with a cat in slot 0 and a person in slot 1. */
  private static Map<HostInfo, List<NetworkEntry>> scenes(final long scale) {
    return Map.of(
        A, List.of(entry("scene", 2, 2 * scale, 2 * scale, 0, Map.of("0", Map.of("cat", 2 * scale))),
            entry("cat", 4, 2 * scale, 0, 1, Map.of())),
        B, List.of(entry("scene", 2, scale, scale, 0, Map.of("0", Map.of("cat", scale), "1", Map.of("person", scale))),
            entry("person", 3, scale, 0, 1, Map.of())));
  }

  /** {@code n} DAGs with one object each at {@code depth}, {@code roots} of them rooted at it. */
  private static NetworkEntry entry(final String module, final int k, final long n, final long roots, final int depth,
      final Map<String, Map<String, Long>> inputs) {
    final TreeMap<String, SortedMap<String, Long>> in = new TreeMap<>();
    inputs.forEach((slot, m) -> in.put(slot, new TreeMap<>(m)));
    return new NetworkEntry(module, k, n, n, roots, new TreeMap<>(Map.of(depth, n)), in);
  }

  @Test
  void theNetworkIsMergedFromEveryInstance() {
    over(Map.of(), scenes(1));
    final NetworkResponse n = new NetworkService(cluster).network();
    assertThat(n.inferences()).isEqualTo(3);
    assertThat(n.rootModules()).containsExactly(Map.entry("scene", 3L));
    assertThat(n.modules()).containsExactly(
        new NetworkResponse.Module("cat", 4, 2, 2, Map.of(1, 2L)),
        new NetworkResponse.Module("person", 3, 1, 1, Map.of(1, 1L)),
        new NetworkResponse.Module("scene", 2, 3, 3, Map.of(0, 3L)));
    assertThat(n.edges()).containsExactly(new NetworkResponse.Edge("scene", "0", "cat", 3),
        new NetworkResponse.Edge("scene", "1", "person", 1));
    assertThat(n.structureFormat()).isEqualTo(1);
    assertThat(n.version()).matches("[0-9a-f]{16}");
  }

  @Test
  void theVersionChangesWithTheWiringNotWithTheCounts() {
    over(Map.of(), scenes(1));
    final String v1 = new NetworkService(cluster).network().version();
    over(Map.of(), scenes(7));
    assertThat(new NetworkService(cluster).network().version()).as("other counts, the same wiring").isEqualTo(v1);
    final Map<HostInfo, List<NetworkEntry>> dog = new HashMap<>(scenes(1));
    dog.put(B, List.of(entry("scene", 2, 1, 1, 0, Map.of("0", Map.of("cat", 1L), "1", Map.of("dog", 1L))),
        entry("dog", 3, 1, 0, 1, Map.of())));
    over(Map.of(), dog);
    assertThat(new NetworkService(cluster).network().version()).as("a new edge and module").isNotEqualTo(v1);
    over(Map.of(), Map.of());
    assertThat(new NetworkService(cluster).network().version()).as("nothing learned").isNull();
  }

  @Test
  void theLearnedCatalogueIsWhatTheDecodersUse() {
    final Map<HostInfo, List<NetworkEntry>> net = new HashMap<>(scenes(1));
    // eye reached at two depths (under the cat, and straight under the scene)
    net.put(A, List.of(entry("scene", 2, 2, 2, 0, Map.of("0", Map.of("cat", 2L))), entry("cat", 4, 2, 0, 1,
        Map.of("0", Map.of("eye", 2L))), new NetworkEntry("eye", 2, 2, 3, 0, new TreeMap<>(Map.of(1, 1L, 2, 2L)),
        new TreeMap<>())));
    over(Map.of(), net);
    final NetworkService.Learned learned = new NetworkService(cluster).learned();
    assertThat(learned.catalogue().attributeLengths()).containsExactly(Map.entry("cat", 4), Map.entry("eye", 2),
        Map.entry("person", 3), Map.entry("scene", 2));
    assertThat(learned.catalogue().rootModules()).containsExactly("scene");
    assertThat(learned.catalogue().inputModules()).containsOnlyKeys("scene", "cat");
    assertThat(learned.catalogue().inputModules().get("scene")).containsExactly(Map.entry("0", Set.of("cat")),
        Map.entry("1", Set.of("person")));
    assertThat(learned.singleDepths()).containsExactly(Map.entry("cat", 1), Map.entry("person", 1),
        Map.entry("scene", 0));
    assertThat(learned.stale()).isFalse();
    over(Map.of(), Map.of());
    assertThat(new NetworkService(cluster).learned().catalogue()).isNull();
  }
}
