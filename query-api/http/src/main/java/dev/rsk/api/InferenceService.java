package dev.rsk.api;

import dev.rsk.api.cluster.ScatterGather;
import dev.rsk.api.internal.InternalApi;
import dev.rsk.api.model.InferenceResponse;
import dev.rsk.api.model.StoredSketch;
import dev.rsk.sketch.DecodedInference;
import dev.rsk.sketch.DecodedNode;
import dev.rsk.sketch.DecoderCache;
import dev.rsk.sketch.RecoveredNode;
import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchDecoder;
import dev.rsk.sketch.StructureCatalogue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One stored inference, from the instance owning its key (or a standby, marked stale), decoded against
 * the catalogue: the modules present above the significance threshold, their counts and mean attributes,
 * and the structure recovered with the learned network ({@link NetworkService#learned}: true root
 * modules, only the inputs seen per slot), or with the bare catalogue until a complete DAG was learned.
 * With a learned network the counts come from the joint decoder ({@link dev.rsk.sketch.JointDecoder}: one
 * least-squares fit over every position the network allows, factored once per structure), which removes the
 * crosstalk of single readouts; its tree is in {@code decoded}. Decoded values are estimates with the stated
 * standard error.
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
    final DecodedInference joint = learned.catalogue() == null ? null
        : decoders.forStructure(sketch.spec(), learned.catalogue()).decode(sketch);
    final List<InferenceResponse.DecodedModule> modules = new ArrayList<>();
    for (final Map.Entry<String, Integer> e : lengths.entrySet()) {
      final double presence = decoder.presence(sketch, e.getKey(), e.getValue());
      if (presence < threshold) {
        continue;
      }
      // the recovered tree's depth, else the one depth the network ever showed the module at
      final Integer depth = depths.getOrDefault(e.getKey(), learned.singleDepths().get(e.getKey()));
      final Optional<DecodedInference.ModuleCount> fitted = joint == null ? Optional.empty()
          : joint.total(e.getKey());
      final double count;
      final double countStdError;
      if (fitted.isPresent()) {
        count = fitted.get().count();
        countStdError = fitted.get().countStdError();
      } else {
        final double scale = depth == null ? 1.0 : Math.pow(sketch.spec().alpha(), depth);
        count = depth == null ? presence : decoder.count(sketch, e.getKey(), depth);
        countStdError = sketch.readoutStdError() / scale;
      }
      modules.add(new InferenceResponse.DecodedModule(e.getKey(), presence, depth, count, countStdError,
          decoder.meanAttributes(sketch, e.getKey(), e.getValue())));
    }
    modules.sort(Comparator.comparingDouble(InferenceResponse.DecodedModule::presence).reversed());
    return new InferenceResponse(s.inferenceId(), s.source(), Json.instant(s.eventTime()), s.complete(), s.params(),
        s.vector(), modules, threshold, sketch.readoutStdError(), node(root), structureFrom,
        decoded(joint, NetworkService.version(learned.catalogue())),
        new InferenceResponse.Recorded(s.objectCount(), s.moduleCounts(), s.missingInputs()), f.instance(),
        f.stale() || learned.stale());
  }

  private static InferenceResponse.Decoded decoded(final DecodedInference d, final String networkVersion) {
    if (d == null) {
      return null;
    }
    final List<InferenceResponse.DepthCount> counts = d.modules().stream()
        .map(c -> new InferenceResponse.DepthCount(c.module(), c.depth(), c.count(), c.countStdError())).toList();
    return new InferenceResponse.Decoded(d.method().name(), d.residualStdError(), counts,
        d.roots().stream().map(InferenceService::treeNode).toList(), networkVersion);
  }

  private static InferenceResponse.TreeNode treeNode(final DecodedNode n) {
    return new InferenceResponse.TreeNode(n.module(), n.tagPath(), n.depth(), n.count(), n.countStdError(),
        n.meanAttributes(), n.meanAttributeStdErrors(), n.children().stream().map(InferenceService::treeNode).toList());
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
