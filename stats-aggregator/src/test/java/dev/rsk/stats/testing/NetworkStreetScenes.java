package dev.rsk.stats.testing;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.contract.NetworkStructure;
import dev.rsk.sketch.ObjectDag;
import dev.rsk.sketch.RecursiveSketcher;
import dev.rsk.sketch.SketchInput;
import dev.rsk.sketch.SketchObject;
import dev.rsk.sketch.SketchSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Street-camera scenes for tests: a {@code street} root (k = 1) over cars (k = 2, each with 4
 * {@code wheel}s, k = 1, on slots {@code wheel0..wheel3}), persons (k = 3, each with a {@code face},
 * k = 2, on slot 0) and bicycles (k = 1), in that order on the root's positional slots. Sketched with
 * the real engine; the records carry exact sums and, unless asked otherwise, the structure fields.
 */
public final class NetworkStreetScenes {

  public static final Map<String, Integer> K =
      Map.of("street", 1, "car", 2, "wheel", 1, "person", 3, "face", 2, "bicycle", 1);

  private final RecursiveSketcher sketcher;
  private final SplittableRandom random;

  public NetworkStreetScenes(final SketchSpec spec, final long seed) {
    this.sketcher = new RecursiveSketcher(spec);
    this.random = new SplittableRandom(seed);
  }

  /** A complete scene, with its structure fields. */
  public InferenceSketch scene(final String id, final long eventTime, final int cars, final int persons,
      final int bicycles) {
    final ObjectDag dag = dag(cars, persons, bicycles);
    return NetworkStructure.fill(InferenceSketch.newBuilder(record(id, eventTime, dag)), dag).build();
  }

  /** A complete record of any DAG (with its structure fields), sketched with this spec. */
  public InferenceSketch scene(final String id, final long eventTime, final ObjectDag dag) {
    return NetworkStructure.fill(InferenceSketch.newBuilder(record(id, eventTime, dag)), dag).build();
  }

  /** The same scene as a record without structure (an older producer: structureVersion 0). */
  public InferenceSketch sceneWithoutStructure(final String id, final long eventTime, final int cars,
      final int persons, final int bicycles) {
    return record(id, eventTime, dag(cars, persons, bicycles));
  }

  /** The scene's DAG. */
  public ObjectDag dag(final int cars, final int persons, final int bicycles) {
    final List<SketchObject> objects = new ArrayList<>();
    final List<SketchInput> root = new ArrayList<>();
    for (int c = 0; c < cars; c++) {
      final List<SketchInput> wheels = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        objects.add(new SketchObject("car" + c + "-wheel" + w, "wheel", attrs(1), List.of()));
        wheels.add(new SketchInput("car" + c + "-wheel" + w, "wheel" + w, 1f));
      }
      objects.add(new SketchObject("car" + c, "car", attrs(2), wheels));
      root.add(new SketchInput("car" + c, null, 1f));
    }
    for (int p = 0; p < persons; p++) {
      objects.add(new SketchObject("person" + p + "-face", "face", attrs(2), List.of()));
      objects.add(new SketchObject("person" + p, "person", attrs(3),
          List.of(new SketchInput("person" + p + "-face", null, 1f))));
      root.add(new SketchInput("person" + p, null, 1f));
    }
    for (int b = 0; b < bicycles; b++) {
      objects.add(new SketchObject("bicycle" + b, "bicycle", attrs(1), List.of()));
      root.add(new SketchInput("bicycle" + b, null, 1f));
    }
    objects.add(new SketchObject("street", "street", attrs(1), root));
    return ObjectDag.of(objects, "street");
  }

  private InferenceSketch record(final String id, final long eventTime, final ObjectDag dag) {
    return Scenes.record(id, eventTime, sketcher.sketch(dag), dag);
  }

  private float[] attrs(final int k) {
    final float[] x = new float[k];
    for (int i = 0; i < k; i++) {
      x[i] = (float) random.nextDouble(0, 1);
    }
    return x;
  }
}
