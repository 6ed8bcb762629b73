package dev.rsk.api;

import dev.rsk.api.cluster.ScatterGather;
import dev.rsk.api.internal.InternalApi;
import dev.rsk.api.model.InferenceResponse;
import dev.rsk.api.model.StoredSketch;
import dev.rsk.sketch.DecoderCache;
import dev.rsk.sketch.RecoveredNode;
import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchDecoder;
import dev.rsk.sketch.StructureCatalogue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One stored inference, from the instance owning its key (or a standby, marked stale), decoded against
 * the catalogue: the modules present above the significance threshold, their counts and mean attributes,
 * and the structure recovered with the learned network ({@link NetworkService#learned}: true root
 * modules, only the inputs seen per slot), or with the bare catalogue until a complete DAG was learned.
 * Decoded values are estimates with the stated standard error.
 */
final class InferenceService {

  private final ScatterGather<InternalApi> cluster;
  private final CatalogueService catalogue;
  private final NetworkService network;
  private final DecoderCache decoders;

  InferenceService(final ScatterGather<InternalApi> cluster, final CatalogueService catalogue,
      final NetworkService network, final DecoderCache decoders) {
    this.cluster = cluster;
    this.catalogue = catalogue;
    this.network = network;
    this.decoders = decoders;
  }

  /** The stored sketch of {@code inferenceId} and the instance it came from; 404 if unknown. */
  ScatterGather.Located<StoredSketch> fetchSketch(final String inferenceId) {
    final ScatterGather.Located<StoredSketch> found =
        cluster.lookup(inferenceId, (instance, partition, stale) -> instance.sketch(inferenceId, partition, stale));
    if (found.value() == null) {
      throw ApiException.notFound("no stored inference with id '" + inferenceId + "'");
    }
    return found;
  }

  InferenceResponse inference(final String inferenceId) {
    final ScatterGather.Located<StoredSketch> f = fetchSketch(inferenceId);
    final StoredSketch s = f.value();
    final Sketch sketch = new Sketch(Json.spec(s.params()), s.vector());
    final SketchDecoder decoder = decoders.forSpec(sketch.spec());
    final Map<String, Integer> lengths = catalogue.attributeLengths();
    final NetworkService.Learned learned = network.learned();
    final StructureCatalogue structure = learned.catalogue() != null ? learned.catalogue()
        : lengths.isEmpty() ? null : StructureCatalogue.of(lengths);
    final String structureFrom = learned.catalogue() != null ? "network" : structure != null ? "catalogue" : null;

    final double threshold = sketch.significanceThreshold();
    final RecoveredNode root = structure == null ? null : decoder.recoverStructure(sketch, structure);
    final Map<String, Integer> depths = root == null ? Map.of() : root.moduleDepths();
    final List<InferenceResponse.DecodedModule> modules = new ArrayList<>();
    for (final Map.Entry<String, Integer> e : lengths.entrySet()) {
      final double presence = decoder.presence(sketch, e.getKey(), e.getValue());
      if (presence < threshold) {
        continue;
      }
      // the recovered tree's depth, else the one depth the network ever showed the module at
      final Integer depth = depths.getOrDefault(e.getKey(), learned.singleDepths().get(e.getKey()));
      final double count = depth == null ? presence : decoder.count(sketch, e.getKey(), depth);
      modules.add(new InferenceResponse.DecodedModule(e.getKey(), presence, depth, count,
          decoder.meanAttributes(sketch, e.getKey(), e.getValue())));
    }
    modules.sort(Comparator.comparingDouble(InferenceResponse.DecodedModule::presence).reversed());
    return new InferenceResponse(s.inferenceId(), s.source(), Json.instant(s.eventTime()), s.complete(), s.params(),
        s.vector(), modules, threshold, sketch.readoutStdError(), node(root), structureFrom,
        new InferenceResponse.Recorded(s.objectCount(), s.moduleCounts(), s.missingInputs()), f.instance(),
        f.stale() || learned.stale());
  }

  private static InferenceResponse.Node node(final RecoveredNode n) {
    if (n == null) {
      return null;
    }
    final Map<String, List<InferenceResponse.Node>> children = new TreeMap<>();
    n.childrenBySlot().forEach((slot, list) ->
        children.put(slot, list.stream().map(InferenceService::node).collect(Collectors.toList())));
    return new InferenceResponse.Node(n.module(), n.tagPath(), n.presence(), n.meanAttributes(), children);
  }
}
