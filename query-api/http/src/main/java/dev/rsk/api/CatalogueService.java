package dev.rsk.api;

import dev.rsk.api.cluster.ScatterGather;
import dev.rsk.api.internal.InternalApi;
import dev.rsk.api.internal.InternalDtos;
import dev.rsk.api.model.ModuleInfo;
import dev.rsk.api.model.ModulesResponse;
import dev.rsk.stats.model.CatalogueEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Which modules were seen, gathered from every instance and merged (exact). */
final class CatalogueService {

  private final ScatterGather<InternalApi> cluster;

  CatalogueService(final ScatterGather<InternalApi> cluster) {
    this.cluster = cluster;
  }

  ModulesResponse modules() {
    final ScatterGather.Gathered<InternalDtos.Catalogue> g = gather();
    final List<ModuleInfo> out = new ArrayList<>();
    for (final CatalogueEntry e : merge(g).values()) {
      out.add(new ModuleInfo(e.module(), Json.instant(e.firstSeen()), Json.instant(e.lastSeen()), e.inferences(),
          e.objects(), e.attributeLength()));
    }
    return new ModulesResponse(out, g.instances(), g.stale());
  }

  /** Every module seen and its attribute length k, by name. */
  Map<String, Integer> attributeLengths() {
    final Map<String, Integer> out = new TreeMap<>();
    merge(gather()).forEach((m, e) -> out.put(m, e.attributeLength()));
    return out;
  }

  /** The 404 of a module no partition has seen. */
  static ApiException unknownModule(final String module) {
    return ApiException.notFound("module '" + module + "' has never been seen");
  }

  private ScatterGather.Gathered<InternalDtos.Catalogue> gather() {
    return cluster.gather(InternalApi::catalogue);
  }

  private static Map<String, CatalogueEntry> merge(final ScatterGather.Gathered<InternalDtos.Catalogue> g) {
    final Map<String, CatalogueEntry> merged = new TreeMap<>();
    g.parts().forEach(c -> c.entries().forEach(e -> merged.merge(e.module(), e, CatalogueEntry::merge)));
    return merged;
  }
}
