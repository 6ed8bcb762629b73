package dev.rsk.stats.testing;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.sketch.ObjectDag;
import dev.rsk.sketch.RecursiveSketcher;
import dev.rsk.sketch.SketchInput;
import dev.rsk.sketch.SketchObject;
import dev.rsk.sketch.SketchSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Street-camera scenes for query tests, sketched with the real engine: a {@code street} root (k = 1) over
 * cars (k = 2: size, speed; each with four {@code wheel} inputs, k = 1, slots 0..3), persons (k = 2; each
 * with a {@code face}, k = 1, slot 0, and when riding a {@code bicycle}, k = 2, slot 1) and parked
 * bicycles directly under the street. Each {@link Scene} keeps its ground truth beside its record.
 */
public final class StreetScenes {

  /** Centre of a riding bicycle's attributes and of a parked one's: decoded means must tell them apart. */
  public static final float[] RIDDEN = {0.8f, 0.3f};
  public static final float[] PARKED = {-0.6f, 1.0f};

  /** One scene: its record and what is true of it. */
  public record Scene(InferenceSketch record, int cars, int persons, int riders, int parked,
      List<float[]> carAttributes, List<float[]> riddenAttributes, List<float[]> parkedAttributes) {}

  private final RecursiveSketcher sketcher;
  private final SplittableRandom random;

  public StreetScenes(final SketchSpec spec, final long seed) {
    this.sketcher = new RecursiveSketcher(spec);
    this.random = new SplittableRandom(seed);
  }

  /** A scene with the given numbers of cars, persons, riders (persons on a bicycle) and parked bicycles. */
  public Scene scene(final String id, final long eventTime, final String source, final int cars,
      final int persons, final int riders, final int parked) {
    final List<SketchObject> objects = new ArrayList<>();
    final List<SketchInput> street = new ArrayList<>();
    final List<float[]> carAttrs = new ArrayList<>();
    final List<float[]> ridden = new ArrayList<>();
    final List<float[]> parkedAttrs = new ArrayList<>();
    int slot = 0;
    for (int c = 0; c < cars; c++) {
      final List<SketchInput> wheels = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        objects.add(new SketchObject("car" + c + "-wheel" + w, "wheel", around(0.3f, 1), List.of()));
        wheels.add(new SketchInput("car" + c + "-wheel" + w, String.valueOf(w), 1f));
      }
      final float[] x = {1.0f + (float) random.nextDouble(0, 2), (float) random.nextDouble(0, 1)};
      carAttrs.add(x);
      objects.add(new SketchObject("car" + c, "car", x, wheels));
      street.add(new SketchInput("car" + c, String.valueOf(slot++), 1f));
    }
    for (int p = 0; p < persons; p++) {
      objects.add(new SketchObject("person" + p + "-face", "face", around(0.5f, 1), List.of()));
      final List<SketchInput> inputs = new ArrayList<>();
      inputs.add(new SketchInput("person" + p + "-face", "0", 1f));
      if (p < riders) {
        final float[] b = near(RIDDEN);
        ridden.add(b);
        objects.add(new SketchObject("person" + p + "-bicycle", "bicycle", b, List.of()));
        inputs.add(new SketchInput("person" + p + "-bicycle", "1", 1f));
      }
      objects.add(new SketchObject("person" + p, "person", around(1.7f, 2), inputs));
      street.add(new SketchInput("person" + p, String.valueOf(slot++), 1f));
    }
    for (int b = 0; b < parked; b++) {
      final float[] x = near(PARKED);
      parkedAttrs.add(x);
      objects.add(new SketchObject("parked" + b, "bicycle", x, List.of()));
      street.add(new SketchInput("parked" + b, String.valueOf(slot++), 1f));
    }
    objects.add(new SketchObject("street", "street", around(0.5f, 1), street));
    final ObjectDag dag = ObjectDag.of(objects, "street");
    final InferenceSketch record = InferenceSketch.newBuilder(Scenes.record(id, eventTime, sketcher.sketch(dag), dag))
        .setSource(source).build();
    return new Scene(record, cars, persons, Math.min(riders, persons), parked, carAttrs, ridden, parkedAttrs);
  }

  /** A random scene: 0-2 cars, 0-2 persons of whom 0-1 ride, 0-1 parked bicycles. */
  public Scene random(final String id, final long eventTime, final String source) {
    final int persons = random.nextInt(3);
    return scene(id, eventTime, source, random.nextInt(3), persons, persons == 0 ? 0 : random.nextInt(2),
        random.nextInt(4) == 0 ? 1 : 0);
  }

  private float[] near(final float[] centre) {
    final float[] x = new float[centre.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = centre[i] + (float) (0.1 * random.nextDouble(-1, 1));
    }
    return x;
  }

  private float[] around(final float centre, final int k) {
    final float[] x = new float[k];
    for (int i = 0; i < k; i++) {
      x[i] = centre + (float) (0.1 * random.nextDouble(-1, 1));
    }
    return x;
  }
}
