package dev.rsk.bench.eval;

import dev.rsk.sketch.SketchInput;
import dev.rsk.sketch.SketchObject;
import dev.rsk.sketch.TagStep;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded synthetic inferences for the accuracy checks (test data only; the sketch matrices never use
 * these random numbers).
 *
 * <p>{@link #layered}: a root of module {@code L0.root}, 2 to 4 inputs from a layer-1 vocabulary of 6
 * modules, each with 1 to 3 inputs from layer 2 (8 modules), each with 0 to 2 inputs from layer 3 (8
 * modules); about 16 objects, depth 3, positional slots. Module {@code i} of a layer has {@code k} in
 * {4, 8, 16, 2} by {@code i mod 4}; attributes are a per-module mean in [-1, 1] plus N(0, 0.5^2) noise.
 *
 * <p>{@link #scene}: a room scene ({@code scene}, k = 4) with 1 to 4 of {@code cat}, {@code dog},
 * {@code person} (k = 6), each with 2 to 4 parts among {@code eye}, {@code ear}, {@code tail}, {@code
 * paw} (k = 3); unit weights, so cats are the only depth-1 cat objects.
 */
public final class SyntheticDags {
  /** One placement of an object: where it sits (the all-tagged path from the root) and its depth. */
  public record Placement(String id, String module, List<TagStep> path, int depth, float[] attributes) {}

  /** A generated inference. */
  public record Dag(List<SketchObject> objects, String rootId, List<Placement> placements) {
    /** Objects of {@code module}. */
    public long count(final String module) {
      return objects.stream().filter(o -> o.module().equals(module)).count();
    }
  }

  private static final int[] K_BY_INDEX = {4, 8, 16, 2};
  private static final int[] LAYER_SIZES = {1, 6, 8, 8};
  private static final String[] SCENE_CHILDREN = {"cat", "dog", "person"};
  private static final String[] PARTS = {"eye", "ear", "tail", "paw"};

  private SyntheticDags() {}

  /** Module names of a layered vocabulary with the given prefix, by layer. */
  public static List<List<String>> layers(final String prefix) {
    final List<List<String>> layers = new ArrayList<>();
    for (int l = 0; l < LAYER_SIZES.length; l++) {
      final List<String> names = new ArrayList<>();
      for (int i = 0; i < LAYER_SIZES[l]; i++) {
        names.add(l == 0 ? prefix + "L0.root" : prefix + "L" + l + "." + (char) ('a' + i));
      }
      layers.add(Collections.unmodifiableList(names));
    }
    return Collections.unmodifiableList(layers);
  }

  /** The module catalogue (module to k) of the layered vocabulary with this prefix. */
  public static Map<String, Integer> layeredCatalogue(final String prefix) {
    final Map<String, Integer> cat = new LinkedHashMap<>();
    final List<List<String>> layers = layers(prefix);
    for (final List<String> layer : layers) {
      for (int i = 0; i < layer.size(); i++) {
        cat.put(layer.get(i), K_BY_INDEX[i % K_BY_INDEX.length]);
      }
    }
    return cat;
  }

  /** The module catalogue of {@link #scene}. */
  public static Map<String, Integer> sceneCatalogue() {
    final Map<String, Integer> cat = new LinkedHashMap<>();
    cat.put("scene", 4);
    for (final String m : SCENE_CHILDREN) {
      cat.put(m, 6);
    }
    for (final String m : PARTS) {
      cat.put(m, 3);
    }
    return cat;
  }

  /** A layered DAG; {@code weighted} draws input weights in [0.5, 1.5] instead of 1. */
  public static Dag layered(final SplittableRandom rnd, final String prefix, final boolean weighted) {
    final Builder b = new Builder(rnd, layeredCatalogue(prefix));
    final List<List<String>> layers = layers(prefix);
    final int[] fanMin = {2, 1, 0};
    final int[] fanMax = {4, 3, 2};
    final String root = b.object(layers.get(0).get(0));
    expand(b, rnd, layers, root, 0, fanMin, fanMax, weighted);
    return b.finish(root);
  }

  private static void expand(
      final Builder b, final SplittableRandom rnd, final List<List<String>> layers, final String parent,
      final int layer, final int[] fanMin, final int[] fanMax, final boolean weighted) {
    if (layer + 1 >= layers.size()) {
      return;
    }
    final int n = fanMin[layer] + rnd.nextInt(fanMax[layer] - fanMin[layer] + 1);
    final List<String> next = layers.get(layer + 1);
    for (int j = 0; j < n; j++) {
      final String child = b.object(next.get(rnd.nextInt(next.size())));
      b.edge(parent, child, weighted ? (float) (0.5 + rnd.nextDouble()) : 1f);
      expand(b, rnd, layers, child, layer + 1, fanMin, fanMax, weighted);
    }
  }

  /** A room scene (see the class comment). */
  public static Dag scene(final SplittableRandom rnd) {
    final Builder b = new Builder(rnd, sceneCatalogue());
    final String root = b.object("scene");
    final int n = 1 + rnd.nextInt(4);
    for (int j = 0; j < n; j++) {
      final String who = b.object(SCENE_CHILDREN[rnd.nextInt(SCENE_CHILDREN.length)]);
      b.edge(root, who, 1f);
      final int parts = 2 + rnd.nextInt(3);
      for (int p = 0; p < parts; p++) {
        b.edge(who, b.object(PARTS[rnd.nextInt(PARTS.length)]), 1f);
      }
    }
    return b.finish(root);
  }

  /** Accumulates objects; module means are a pure function of the module name. */
  private static final class Builder {
    private final SplittableRandom rnd;
    private final Map<String, Integer> catalogue;
    private final Map<String, String> moduleOf = new LinkedHashMap<>();
    private final Map<String, float[]> attrs = new LinkedHashMap<>();
    private final Map<String, List<SketchInput>> inputs = new LinkedHashMap<>();

    Builder(final SplittableRandom rnd, final Map<String, Integer> catalogue) {
      this.rnd = rnd;
      this.catalogue = catalogue;
    }

    String object(final String module) {
      final String id = "o" + moduleOf.size();
      final int k = catalogue.get(module);
      final SplittableRandom meanRnd = new SplittableRandom(module.hashCode());
      final float[] x = new float[k];
      for (int i = 0; i < k; i++) {
        final double mean = 2 * meanRnd.nextDouble() - 1;
        x[i] = (float) (mean + 0.5 * gaussian(rnd));
      }
      moduleOf.put(id, module);
      attrs.put(id, x);
      inputs.put(id, new ArrayList<>());
      return id;
    }

    void edge(final String parent, final String child, final float w) {
      inputs.get(parent).add(new SketchInput(child, null, w));
    }

    Dag finish(final String root) {
      final List<SketchObject> objects = new ArrayList<>();
      for (final String id : moduleOf.keySet()) {
        objects.add(new SketchObject(id, moduleOf.get(id), attrs.get(id), inputs.get(id)));
      }
      final List<Placement> placements = new ArrayList<>();
      place(root, List.of(), 0, placements);
      return new Dag(List.copyOf(objects), root, List.copyOf(placements));
    }

    private void place(final String id, final List<TagStep> path, final int depth, final List<Placement> out) {
      out.add(new Placement(id, moduleOf.get(id), path, depth, attrs.get(id)));
      final List<SketchInput> in = inputs.get(id);
      for (int pos = 0; pos < in.size(); pos++) {
        final List<TagStep> p = new ArrayList<>(path);
        p.add(new TagStep(moduleOf.get(id), String.valueOf(pos)));
        place(in.get(pos).childId(), List.copyOf(p), depth + 1, out);
      }
    }
  }

  /** Standard normal by Box-Muller (deterministic for a seeded generator). */
  static double gaussian(final SplittableRandom rnd) {
    final double u = 1 - rnd.nextDouble();
    final double v = rnd.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
