package dev.rsk.api;

import dev.rsk.api.model.InstanceStatus;
import dev.rsk.api.model.RelatedResponse;
import dev.rsk.api.model.SimilarResponse;
import dev.rsk.api.model.SketchParamsJson;
import dev.rsk.api.model.StoredSketch;
import dev.rsk.sketch.DecoderCache;
import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchDecoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An inference's edges in the knowledge graph: its nearest stored sketches ({@code similar}), and the
 * stored sketches nearest to each of its sub-components ({@code shares-part}). A sub-component is found
 * by unrolling the sketch along a tag (module present, slot 0..{@value #SLOTS}-1) with
 * {@link SketchDecoder#unroll} and keeping the tags under which some module present in the inference
 * reaches {@link Sketch#significanceThreshold()}; the unrolled sketch is then searched like any query.
 * Since a parent's sketch carries an identity copy of each input's sketch, a stored inference holding the
 * same object ("the same cat on another day") is near that sub-sketch. Edges are approximate when the
 * searches are.
 */
final class RelatedService {

  /** Slots tried under each module present. */
  static final int SLOTS = 8;
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

    final Map<String, RelatedResponse.Edge> shared = new LinkedHashMap<>();
    final Map<String, float[]> parts = parts(sketch, s);
    for (final Map.Entry<String, float[]> part : parts.entrySet()) {
      final SimilarResponse r = similarity.search(part.getValue(), params, k, inferenceId, false,
          SimilarityService.Filter.NONE);
      stale |= r.stale();
      approximate |= r.approximate();
      instances = r.instances();
      for (final SimilarResponse.Match m : r.results()) {
        final RelatedResponse.Edge e = edge(m, "shares-part", part.getKey());
        shared.merge(m.inferenceId(), e, (a, b) -> a.score() >= b.score() ? a : b);
      }
    }
    shared.values().stream().sorted(Comparator.comparingDouble(RelatedResponse.Edge::score).reversed()
        .thenComparing(RelatedResponse.Edge::inferenceId)).limit(k).forEach(edges::add);
    return new RelatedResponse(inferenceId, k, edges, List.copyOf(parts.keySet()), instances, stale, approximate);
  }

  /** Significant sub-sketches by path {@code module/slot/child}, cut to the stored vector's length. */
  private Map<String, float[]> parts(final Sketch sketch, final StoredSketch s) {
    final SketchDecoder decoder = decoders.forSpec(sketch.spec());
    final double tau = sketch.significanceThreshold();
    final List<String> present = s.moduleCounts().entrySet().stream().filter(e -> e.getValue() > 0)
        .map(Map.Entry::getKey).sorted().toList();
    final Map<String, float[]> out = new LinkedHashMap<>();
    for (final String module : present) {
      for (int slot = 0; slot < SLOTS && out.size() < MAX_PARTS; slot++) {
        final Sketch u = decoder.unroll(sketch, module, String.valueOf(slot));
        String best = null;
        double bestPresence = tau;
        for (final String child : present) {
          final double p = decoder.presence(u, child);
          if (p >= bestPresence) {
            best = child;
            bestPresence = p;
          }
        }
        if (best != null) {
          out.put(module + "/" + slot + "/" + best, Arrays.copyOf(u.vector(), s.vector().length));
        }
      }
    }
    return out;
  }

  private static RelatedResponse.Edge edge(final SimilarResponse.Match m, final String reason, final String path) {
    return new RelatedResponse.Edge(m.inferenceId(), reason, path, m.cosine(), m.eventTime(), m.source());
  }
}
