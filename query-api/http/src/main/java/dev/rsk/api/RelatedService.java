package dev.rsk.api;

import dev.rsk.api.model.InstanceStatus;
import dev.rsk.api.model.RelatedResponse;
import dev.rsk.api.model.SimilarResponse;
import dev.rsk.api.model.SketchParamsJson;
import dev.rsk.api.model.StoredSketch;
import dev.rsk.sketch.DecoderCache;
import dev.rsk.sketch.RecoveredNode;
import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchDecoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An inference's edges in the knowledge graph: its nearest stored sketches ({@code similar}), and the
 * stored sketches nearest to each of its sub-components ({@code shares-part}). The sub-components are the
 * inputs found by the engine's structure recovery ({@link SketchDecoder#recoverStructure}, threshold
 * {@link Sketch#significanceThreshold()}, about 0.2% false positives per test), each unrolled along its
 * tag with {@link SketchDecoder#unroll}; the unrolled sketch is then searched like any query.
 * Since a parent's sketch carries an identity copy of each input's sketch, a stored inference holding the
 * same object ("the same cat on another day") is near that sub-sketch. Edges are approximate when the
 * searches are.
 */
final class RelatedService {

  /** Levels below the root whose inputs are searched. */
  static final int DEPTH = 2;
  /** Most sub-components searched per request (each is one gathered search). */
  static final int MAX_PARTS = 16;

  private final SimilarityService similarity;
  private final InferenceService inferences;
  private final DecoderCache decoders;

  RelatedService(final SimilarityService similarity, final InferenceService inferences,
      final DecoderCache decoders) {
    this.similarity = similarity;
    this.inferences = inferences;
    this.decoders = decoders;
  }

  RelatedResponse related(final String inferenceId, final Integer requestedK) {
    final int k = similarity.k(requestedK);
    final StoredSketch s = inferences.fetchSketch(inferenceId).value();
    final Sketch sketch = new Sketch(Json.spec(s.params()), s.vector());
    final SketchParamsJson params = Json.params(sketch.spec());
    final List<RelatedResponse.Edge> edges = new ArrayList<>();
    final SimilarResponse near = similarity.search(s.vector(), params, k, inferenceId, false,
        SimilarityService.Filter.NONE);
    near.results().forEach(m -> edges.add(edge(m, "similar", null)));
    boolean stale = near.stale();
    boolean approximate = near.approximate();
    List<InstanceStatus> instances = near.instances();

    final Map<String, Part> parts = parts(sketch, s);
    for (final Map.Entry<String, Part> part : parts.entrySet()) {
      final SimilarResponse r = similarity.search(part.getValue().vector(), params, k, inferenceId, false,
          SimilarityService.Filter.NONE);
      stale |= r.stale();
      approximate |= r.approximate();
      instances = r.instances();
      r.results().forEach(m -> edges.add(edge(m, "shares-part", part.getKey())));
    }
    final List<RelatedResponse.Part> found = parts.entrySet().stream()
        .map(e -> new RelatedResponse.Part(e.getKey(), e.getValue().modules())).toList();
    return new RelatedResponse(inferenceId, k, edges, found, instances, stale, approximate);
  }

  /**
   * Sub-sketches by tag path ({@code scene[0]}, {@code scene[0]/cat[1]}), cut to the stored vector's
   * length: the engine's structure recovery over the modules of this inference (its thresholds and
   * limits) finds the tags that hold an input; each is unrolled, down to {@value #DEPTH} levels below
   * the root. Unrolling a tag shows its input and, through the identity copies, the input's heavier
   * descendants, so a part lists every module found there.
   */
  private Map<String, Part> parts(final Sketch sketch, final StoredSketch s) {
    final SketchDecoder decoder = decoders.forSpec(sketch.spec());
    final Map<String, Integer> lengths = new java.util.TreeMap<>(s.attributeLengths());
    lengths.keySet().retainAll(s.moduleCounts().keySet());
    final Map<String, Part> out = new LinkedHashMap<>();
    if (!lengths.isEmpty()) {
      walk(decoder, decoder.recoverStructure(sketch, lengths), sketch, "", 0, s.vector().length, out);
    }
    return out;
  }

  private static void walk(final SketchDecoder decoder, final RecoveredNode node, final Sketch at,
      final String prefix, final int depth, final int length, final Map<String, Part> out) {
    if (depth >= DEPTH) {
      return;
    }
    for (final Map.Entry<String, List<RecoveredNode>> slot : node.childrenBySlot().entrySet()) {
      if (slot.getValue().isEmpty() || out.size() >= MAX_PARTS) {
        continue;
      }
      final Sketch u = decoder.unroll(at, node.module(), slot.getKey());
      final String path = prefix + node.module() + "[" + slot.getKey() + "]";
      out.put(path, new Part(slot.getValue().stream().map(RecoveredNode::module).toList(),
          Arrays.copyOf(u.vector(), length)));
      walk(decoder, slot.getValue().get(0), u, path + "/", depth + 1, length, out);
    }
  }

  /** One sub-component: the modules found under its tag path, and the unrolled vector. */
  private record Part(List<String> modules, float[] vector) {}

  private static RelatedResponse.Edge edge(final SimilarResponse.Match m, final String reason, final String path) {
    return new RelatedResponse.Edge(m.inferenceId(), reason, path, m.cosine(), m.eventTime(), m.source());
  }
}
