package dev.rsk.api;

import dev.rsk.api.model.InferenceResponse;
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
 * What a sketch says, decoded against the catalogue: the modules present above the significance threshold, their
 * counts and mean attributes, and the structure recovered with the learned network ({@link NetworkService#learned}:
 * true root modules, only the inputs seen per slot), or with the bare catalogue until a complete DAG was learned.
 * With a learned network the counts come from the joint decoder ({@link dev.rsk.sketch.JointDecoder}: one
 * least-squares fit over every position the network allows, factored once per structure), which removes the
 * crosstalk of single readouts; its tree is in {@code decoded}. Decoded values are estimates with the stated
 * standard error. The one decoding of {@code GET /v1/inferences/{id}} and of a concept's centroid.
 */
final class SketchReader {

  /** The decoding of one sketch (see {@link InferenceResponse} for each field). */
  record Reading(List<InferenceResponse.DecodedModule> modules, double threshold, double presenceStdError,
      InferenceResponse.Node structure, String structureFrom, InferenceResponse.Decoded decoded, boolean stale) {}

  private final CatalogueService catalogue;
  private final NetworkService network;
  private final DecoderCache decoders;

  SketchReader(final CatalogueService catalogue, final NetworkService network, final DecoderCache decoders) {
    this.catalogue = catalogue;
    this.network = network;
    this.decoders = decoders;
  }

  Reading read(final Sketch sketch) {
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
    return new Reading(modules, threshold, sketch.readoutStdError(), node(root), structureFrom,
        decoded(joint, NetworkService.version(learned.catalogue())), learned.stale());
  }

  private static InferenceResponse.Decoded decoded(final DecodedInference d, final String networkVersion) {
    if (d == null) {
      return null;
    }
    final List<InferenceResponse.DepthCount> counts = d.modules().stream()
        .map(c -> new InferenceResponse.DepthCount(c.module(), c.depth(), c.count(), c.countStdError())).toList();
    return new InferenceResponse.Decoded(d.method().name(), d.residualStdError(), counts,
        d.roots().stream().map(SketchReader::treeNode).toList(), networkVersion);
  }

  private static InferenceResponse.TreeNode treeNode(final DecodedNode n) {
    return new InferenceResponse.TreeNode(n.module(), n.tagPath(), n.depth(), n.count(), n.countStdError(),
        n.meanAttributes(), n.meanAttributeStdErrors(), n.children().stream().map(SketchReader::treeNode).toList());
  }

  private static InferenceResponse.Node node(final RecoveredNode n) {
    if (n == null) {
      return null;
    }
    final Map<String, List<InferenceResponse.Node>> children = new TreeMap<>();
    n.childrenBySlot().forEach((slot, list) ->
        children.put(slot, list.stream().map(SketchReader::node).collect(Collectors.toList())));
    return new InferenceResponse.Node(n.module(), n.tagPath(), n.presence(), n.meanAttributes(), children);
  }
}
