package dev.rsk.api;

import dev.rsk.api.cluster.ScatterGather;
import dev.rsk.api.internal.InternalApi;
import dev.rsk.api.internal.InternalDtos;
import dev.rsk.api.model.NetworkResponse;
import dev.rsk.contract.NetworkStructure;
import dev.rsk.sketch.StructureCatalogue;
import dev.rsk.stats.model.NetworkEntry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The network as observed ({@code GET /v1/network}), gathered from every instance and merged (exact),
 * and its one conversion to the engine's {@link StructureCatalogue}, the grammar decoders use. Every
 * call gathers afresh, so a module or edge learned a moment ago is used by the next request.
 */
final class NetworkService {

  /**
   * A learned catalogue (null if nothing learned yet), the modules seen at one depth only with that
   * depth, and whether any part came from a standby copy.
   */
  record Learned(StructureCatalogue catalogue, Map<String, Integer> singleDepths, boolean stale) {}

  private final ScatterGather<InternalApi> cluster;

  NetworkService(final ScatterGather<InternalApi> cluster) {
    this.cluster = cluster;
  }

  NetworkResponse network() {
    final ScatterGather.Gathered<InternalDtos.Network> g = cluster.gather(InternalApi::network);
    final Map<String, NetworkEntry> merged = merge(g);
    final List<NetworkResponse.Module> modules = new ArrayList<>();
    final Map<String, Long> roots = new TreeMap<>();
    final List<NetworkResponse.Edge> edges = new ArrayList<>();
    long inferences = 0;
    for (final NetworkEntry e : merged.values()) {
      modules.add(new NetworkResponse.Module(e.module(), e.attributeLength(), e.inferences(), e.objects(),
          e.depths()));
      if (e.roots() > 0) {
        roots.put(e.module(), e.roots());
        inferences += e.roots();
      }
      e.inputs().forEach((slot, in) -> in.forEach((input, n) ->
          edges.add(new NetworkResponse.Edge(e.module(), slot, input, n))));
    }
    return new NetworkResponse(NetworkStructure.VERSION, version(catalogue(merged.values())), inferences, modules,
        roots, edges, g.instances(), g.stale());
  }

  /**
   * The version of a learned structure: the first 16 hex digits of the SHA-256 of its canonical text (sorted
   * modules with their k, roots, and per module and slot the sorted input modules), null for none. Equal
   * catalogues share one decoder ({@link dev.rsk.sketch.DecoderCache}), so this names the decoder in use.
   */
  static String version(final StructureCatalogue c) {
    if (c == null) {
      return null;
    }
    final String text = c.attributeLengths() + "|" + c.rootModules() + "|" + c.inputModules();
    try {
      final byte[] h = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h, 0, 8);
    } catch (final NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * The learned structure as the engine's catalogue (every learned module with its k, the modules seen
   * as roots, per module and slot the input modules seen there), or a null catalogue when no complete
   * DAG with structure has been seen yet.
   */
  Learned learned() {
    final ScatterGather.Gathered<InternalDtos.Network> g = cluster.gather(InternalApi::network);
    final Map<String, NetworkEntry> merged = merge(g);
    final Map<String, Integer> single = new TreeMap<>();
    merged.values().forEach(e -> {
      if (e.depths().size() == 1) {
        single.put(e.module(), e.depths().firstKey());
      }
    });
    return new Learned(catalogue(merged.values()), single, g.stale());
  }

  /** The one conversion from learned entries to a {@link StructureCatalogue}; null if there are none. */
  static StructureCatalogue catalogue(final Iterable<NetworkEntry> entries) {
    final Map<String, Integer> lengths = new TreeMap<>();
    final Set<String> roots = new HashSet<>();
    final Map<String, Map<String, Set<String>>> grammar = new TreeMap<>();
    for (final NetworkEntry e : entries) {
      lengths.put(e.module(), e.attributeLength());
      if (e.roots() > 0) {
        roots.add(e.module());
      }
      if (!e.inputs().isEmpty()) {
        final Map<String, Set<String>> slots = new TreeMap<>();
        e.inputs().forEach((slot, in) -> slots.put(slot, in.keySet()));
        grammar.put(e.module(), slots);
      }
    }
    return lengths.isEmpty() ? null : new StructureCatalogue(lengths, roots, grammar);
  }

  private static Map<String, NetworkEntry> merge(final ScatterGather.Gathered<InternalDtos.Network> g) {
    final Map<String, NetworkEntry> merged = new TreeMap<>();
    g.parts().forEach(n -> n.entries().forEach(e -> merged.merge(e.module(), e, NetworkEntry::merge)));
    return merged;
  }
}
