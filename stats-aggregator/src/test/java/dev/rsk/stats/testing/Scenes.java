package dev.rsk.stats.testing;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.contract.ExactAttributes;
import dev.rsk.contract.SketchMapper;
import dev.rsk.sketch.ObjectDag;
import dev.rsk.sketch.RecursiveSketcher;
import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchInput;
import dev.rsk.sketch.SketchObject;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.model.NetworkEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Synthetic scenes for tests: a {@code scene} root (k = 2) over 0-2 cats (k = 4, each with 2 eyes, k = 2),
 * 0-1 dogs (k = 4) and 0-2 persons (k = 3); cats' attributes centred on {@link #CAT_MEAN}. Sketched with
 * the real engine, so tests can compare store contents with ground truth (the exact module counts).
 */
public final class Scenes {

  public static final float[] CAT_MEAN = {1.0f, -0.5f, 0.25f, 2.0f};
  public static final Map<String, Integer> K = Map.of("scene", 2, "cat", 4, "eye", 2, "dog", 4, "person", 3);

  private final SketchSpec spec;
  private final RecursiveSketcher sketcher;
  private final SplittableRandom random;
  private final List<float[]> catAttributes = new ArrayList<>();

  public Scenes(final SketchSpec spec, final long seed) {
    this.spec = spec;
    this.sketcher = new RecursiveSketcher(spec);
    this.random = new SplittableRandom(seed);
  }

  public SketchSpec spec() {
    return spec;
  }

  /** A random scene with the given counts of cats, dogs and persons. */
  public InferenceSketch scene(final String id, final long eventTime, final int cats, final int dogs,
      final int persons) {
    final List<SketchObject> objects = new ArrayList<>();
    final List<SketchInput> rootInputs = new ArrayList<>();
    int slot = 0;
    for (int c = 0; c < cats; c++) {
      final String cat = "cat" + c;
      final List<SketchInput> eyes = new ArrayList<>();
      for (int e = 0; e < 2; e++) {
        final String eye = cat + "-eye" + e;
        objects.add(new SketchObject(eye, "eye", attrs(2, 0f), List.of()));
        eyes.add(new SketchInput(eye, String.valueOf(e), 1f));
      }
      final float[] x = new float[4];
      for (int i = 0; i < 4; i++) {
        x[i] = CAT_MEAN[i] + (float) (0.2 * random.nextDouble(-1, 1));
      }
      objects.add(new SketchObject(cat, "cat", x, eyes));
      catAttributes.add(x);
      rootInputs.add(new SketchInput(cat, String.valueOf(slot++), 1f));
    }
    for (int d = 0; d < dogs; d++) {
      objects.add(new SketchObject("dog" + d, "dog", attrs(4, -1f), List.of()));
      rootInputs.add(new SketchInput("dog" + d, String.valueOf(slot++), 1f));
    }
    for (int p = 0; p < persons; p++) {
      objects.add(new SketchObject("person" + p, "person", attrs(3, 0.5f), List.of()));
      rootInputs.add(new SketchInput("person" + p, String.valueOf(slot++), 1f));
    }
    objects.add(new SketchObject("root", "scene", attrs(2, 0f), rootInputs));
    final ObjectDag dag = ObjectDag.of(objects, "root");
    return record(id, eventTime, sketcher.sketch(dag), dag);
  }

  /**
   * The network learned from {@code n} scenes of one cat and one person each ({@code scene(id, t, 1, 0, 1)}): a
   * scene root over the cat in slot 0 and the person in slot 1, the cat over an eye in each of its two slots.
   */
  public static List<NetworkEntry> catAndPersonNetwork(final long n) {
    return List.of(
        new NetworkEntry("scene", 2, n, n, n, new TreeMap<>(Map.of(0, n)),
            new TreeMap<>(Map.of("0", new TreeMap<>(Map.of("cat", n)), "1", new TreeMap<>(Map.of("person", n))))),
        new NetworkEntry("cat", 4, n, n, 0, new TreeMap<>(Map.of(1, n)),
            new TreeMap<>(Map.of("0", new TreeMap<>(Map.of("eye", n)), "1", new TreeMap<>(Map.of("eye", n))))),
        new NetworkEntry("eye", 2, n, 2 * n, 0, new TreeMap<>(Map.of(2, 2 * n)), new TreeMap<>()),
        new NetworkEntry("person", 3, n, n, 0, new TreeMap<>(Map.of(1, n)), new TreeMap<>()));
  }

  /** Every cat attribute vector generated so far, in order: the ground truth of attribute statistics. */
  public List<float[]> cats() {
    return List.copyOf(catAttributes);
  }

  /** The {@code InferenceSketch} record of a sketched DAG, with its exact attribute sums. */
  public static InferenceSketch record(final String id, final long eventTime, final Sketch sketch,
      final ObjectDag dag) {
    final List<Float> vector = new ArrayList<>(sketch.vector().length);
    for (final float f : sketch.vector()) {
      vector.add(f);
    }
    final SketchSpec s = sketch.spec();
    return ExactAttributes.fill(InferenceSketch.newBuilder(), dag)
        .setInferenceId(id)
        .setSource("test")
        .setEventTime(java.time.Instant.ofEpochMilli(eventTime))
        .setParams(SketchMapper.params(s))
        .setVector(vector)
        .setObjectCount(dag.size())
        .setComplete(true)
        .setMissingInputs(0)
        .setModuleCounts(new HashMap<>(dag.moduleCounts()))
        .setAttributeLengths(new HashMap<>(dag.attributeLengths()))
        .setSketchedAt(java.time.Instant.ofEpochMilli(eventTime))
        .build();
  }

  /** A copy of {@code s} with a slightly perturbed vector (cosine close to 1). */
  public InferenceSketch nearDuplicate(final InferenceSketch s, final String id, final double noise) {
    final List<Float> v = new ArrayList<>();
    for (final Float f : s.getVector()) {
      v.add((float) (f + noise * random.nextDouble(-1, 1)));
    }
    return InferenceSketch.newBuilder(s).setInferenceId(id).setVector(v).build();
  }

  private float[] attrs(final int k, final float centre) {
    final float[] x = new float[k];
    for (int i = 0; i < k; i++) {
      x[i] = centre + (float) (0.2 * random.nextDouble(-1, 1));
    }
    return x;
  }
}
