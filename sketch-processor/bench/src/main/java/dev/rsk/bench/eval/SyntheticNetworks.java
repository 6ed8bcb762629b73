package dev.rsk.bench.eval;

import dev.rsk.sketch.ObjectDag;
import dev.rsk.sketch.SketchInput;
import dev.rsk.sketch.SketchObject;
import dev.rsk.sketch.StructureCatalogue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded synthetic networks with a wiring (test data only), and inferences drawn from them with their
 * exact truth per position, for the joint decoder's checks.
 *
 * <p>{@link #random}: 30 modules in layers below one root ({@code depth} 2 or 3 levels); the root has
 * {@code fanOut} slots, a layer-1 module 1 to {@code fanOut / 2} slots, a layer-2 module 0 to 2 (depth
 * 3 only); each slot admits 1 or 2 modules of the next layer, picked at random, so children are
 * shared by several parents and slots. {@code k} is 4 at the root, 4/6/8 at layer 1, 2/3/4 at layer
 * 2, 1/2 at layer 3. An inference fills each slot with probability 0.6 (a second object on the same
 * slot with probability 0.2), and with probability 0.15 reuses an object already made (one object
 * feeding two parents).
 *
 * <p>{@link #street}: a street camera: {@code street} (k = 2) with 1 to 8 inputs on positional slots,
 * each a {@code car} (k = 4; four {@code wheel}s, k = 2, on slots {@code wheel0..wheel3}), a {@code
 * person} (k = 4; a {@code face}, k = 4, with probability 0.9) or a {@code bicycle} (k = 3).
 */
public final class SyntheticNetworks {
  /** A network: modules and their k, the root module, and module to slot to admitted inputs. */
  public record Network(String name, Map<String, Integer> k, String root,
      Map<String, Map<String, List<String>>> grammar) {}

  /** One inference and its truth: per position key ({@link #key}), weighted count then weighted attribute sums. */
  public record Inference(List<SketchObject> objects, String rootId, Map<String, double[]> truth) {
    public ObjectDag dag() {
      return ObjectDag.of(objects, rootId);
    }
  }

  private static final String[] STREET_KINDS = {"car", "person", "bicycle"};

  private SyntheticNetworks() {}

  /** The key of a position: its tag path (steps {@code module[slot]}, root first) and module. */
  public static String key(final List<String> tagPath, final String module) {
    return String.join("/", tagPath) + "|" + module;
  }

  /** The depth of a position key. */
  public static int depth(final String key) {
    final String path = key.substring(0, key.indexOf('|'));
    return path.isEmpty() ? 0 : path.split("/").length;
  }

  /** The module of a position key. */
  public static String module(final String key) {
    return key.substring(key.indexOf('|') + 1);
  }

  /** A random 30-module network (see the class comment). */
  public static Network random(final long seed, final int depth, final int fanOut) {
    final SplittableRandom rnd = new SplittableRandom(seed);
    final int[] sizes = depth == 2 ? new int[] {1, 12, 17} : new int[] {1, 7, 11, 11};
    final int[][] ks = {{4}, {4, 6, 8}, {2, 3, 4}, {1, 2}};
    final List<List<String>> layers = new ArrayList<>();
    final Map<String, Integer> k = new LinkedHashMap<>();
    for (int l = 0; l < sizes.length; l++) {
      final List<String> names = new ArrayList<>();
      for (int i = 0; i < sizes[l]; i++) {
        final String m = l == 0 ? "root" : "n" + l + "." + i;
        names.add(m);
        k.put(m, ks[l][rnd.nextInt(ks[l].length)]);
      }
      layers.add(names);
    }
    final Map<String, Map<String, List<String>>> grammar = new LinkedHashMap<>();
    for (int l = 0; l + 1 < layers.size(); l++) {
      for (final String m : layers.get(l)) {
        final int slots = l == 0 ? fanOut : l == 1 ? 1 + rnd.nextInt(Math.max(1, fanOut / 2)) : rnd.nextInt(3);
        final Map<String, List<String>> bySlot = new LinkedHashMap<>();
        for (int s = 0; s < slots; s++) {
          final List<String> next = layers.get(l + 1);
          final List<String> admitted = new ArrayList<>();
          admitted.add(next.get(rnd.nextInt(next.size())));
          final String second = next.get(rnd.nextInt(next.size()));
          if (rnd.nextBoolean() && !admitted.contains(second)) {
            admitted.add(second);
          }
          bySlot.put("s" + s, admitted);
        }
        if (!bySlot.isEmpty()) {
          grammar.put(m, bySlot);
        }
      }
    }
    return new Network("random(seed=" + seed + ", depth=" + depth + ", fan-out=" + fanOut + ")", k, "root", grammar);
  }

  /** The street camera (see the class comment). */
  public static Network street() {
    final Map<String, Integer> k = new LinkedHashMap<>();
    k.put("street", 2);
    k.put("car", 4);
    k.put("person", 4);
    k.put("bicycle", 3);
    k.put("wheel", 2);
    k.put("face", 4);
    final Map<String, Map<String, List<String>>> grammar = new LinkedHashMap<>();
    final Map<String, List<String>> streetSlots = new LinkedHashMap<>();
    for (int i = 0; i < 8; i++) {
      streetSlots.put(String.valueOf(i), List.of(STREET_KINDS));
    }
    grammar.put("street", streetSlots);
    final Map<String, List<String>> wheels = new LinkedHashMap<>();
    for (int i = 0; i < 4; i++) {
      wheels.put("wheel" + i, List.of("wheel"));
    }
    grammar.put("car", wheels);
    grammar.put("person", Map.of("0", List.of("face")));
    return new Network("street camera", k, "street", grammar);
  }

  /** The structure learned from {@code n} complete inferences (as the network learner would). */
  public static StructureCatalogue learn(final Network net, final SplittableRandom rnd, final int n) {
    final StructureCatalogue.Builder b = new StructureCatalogue.Builder();
    net.k().forEach(b::module);
    for (int i = 0; i < n; i++) {
      b.add(inference(net, rnd, false).dag());
    }
    return b.build();
  }

  /** One inference; {@code weighted} draws input weights in [0.5, 1.5] instead of 1. */
  public static Inference inference(final Network net, final SplittableRandom rnd, final boolean weighted) {
    final Gen g = new Gen(net, rnd, weighted);
    final String root = g.object(net.root());
    if (net.name().equals("street camera")) {
      g.street(root);
    } else {
      g.expand(root, net.root());
    }
    return g.finish(root);
  }

  /** Builds one inference. */
  private static final class Gen {
    private final Network net;
    private final SplittableRandom rnd;
    private final boolean weighted;
    private final Map<String, String> moduleOf = new LinkedHashMap<>();
    private final Map<String, float[]> attrs = new HashMap<>();
    private final Map<String, List<SketchInput>> inputs = new HashMap<>();
    private final Map<String, String> made = new HashMap<>();

    Gen(final Network net, final SplittableRandom rnd, final boolean weighted) {
      this.net = net;
      this.rnd = rnd;
      this.weighted = weighted;
    }

    String object(final String module) {
      final String id = "o" + moduleOf.size();
      final SplittableRandom meanRnd = new SplittableRandom(module.hashCode());
      final float[] x = new float[net.k().get(module)];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) (2 * meanRnd.nextDouble() - 1 + 0.5 * SyntheticDags.gaussian(rnd));
      }
      moduleOf.put(id, module);
      attrs.put(id, x);
      inputs.put(id, new ArrayList<>());
      return id;
    }

    void edge(final String parent, final String slot, final String child) {
      inputs.get(parent).add(new SketchInput(child, slot, weighted ? (float) (0.5 + rnd.nextDouble()) : 1f));
    }

    void expand(final String id, final String module) {
      for (final Map.Entry<String, List<String>> slot : net.grammar().getOrDefault(module, Map.of()).entrySet()) {
        final int n = rnd.nextDouble() < 0.6 ? (rnd.nextDouble() < 0.2 ? 2 : 1) : 0;
        for (int i = 0; i < n; i++) {
          final String m = slot.getValue().get(rnd.nextInt(slot.getValue().size()));
          final String shared = made.get(m);
          if (shared != null && rnd.nextDouble() < 0.15) {
            edge(id, slot.getKey(), shared);
          } else {
            final String child = object(m);
            made.put(m, child);
            edge(id, slot.getKey(), child);
            expand(child, m);
          }
        }
      }
    }

    void street(final String root) {
      final int n = 1 + rnd.nextInt(8);
      for (int i = 0; i < n; i++) {
        final double u = rnd.nextDouble();
        final String kind = u < 0.5 ? "car" : u < 0.85 ? "person" : "bicycle";
        final String who = object(kind);
        edge(root, String.valueOf(i), who);
        if (kind.equals("car")) {
          for (int w = 0; w < 4; w++) {
            edge(who, "wheel" + w, object("wheel"));
          }
        } else if (kind.equals("person") && rnd.nextDouble() < 0.9) {
          edge(who, "0", object("face"));
        }
      }
    }

    Inference finish(final String root) {
      final List<SketchObject> objects = new ArrayList<>();
      for (final String id : moduleOf.keySet()) {
        objects.add(new SketchObject(id, moduleOf.get(id), attrs.get(id), inputs.get(id)));
      }
      final Map<String, double[]> truth = new LinkedHashMap<>();
      place(root, new ArrayList<>(), 1.0, truth);
      return new Inference(List.copyOf(objects), root, truth);
    }

    private void place(final String id, final List<String> path, final double w, final Map<String, double[]> out) {
      final float[] x = attrs.get(id);
      final double[] acc = out.computeIfAbsent(key(path, moduleOf.get(id)), q -> new double[x.length + 1]);
      acc[0] += w;
      for (int i = 0; i < x.length; i++) {
        acc[i + 1] += w * x[i];
      }
      for (final SketchInput in : inputs.get(id)) {
        path.add(moduleOf.get(id) + "[" + in.slot() + "]");
        place(in.childId(), path, w * in.weight(), out);
        path.remove(path.size() - 1);
      }
    }
  }
}
