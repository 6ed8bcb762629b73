package dev.rsk.processor.testing;

import dev.rsk.avro.ModuleActivation;
import dev.rsk.avro.ModuleInput;
import dev.rsk.sketch.ObjectDag;
import dev.rsk.sketch.SketchInput;
import dev.rsk.sketch.SketchObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Test helper: the {@code ModuleActivation} events of one inference's object DAG, and the same DAG as
 * engine objects, so a test can publish the events and compare the processor's sketch with what the
 * engine computes directly. Usable from other modules through the sketch-processor test-jar.
 *
 * <pre>
 *   ActivationDag dag = ActivationDag.builder("inf-1")
 *       .root("s", "scene", new float[] {1, 2}, "c")
 *       .object("c", "cat", new float[] {0.5f, 0.1f, 3}, "e")
 *       .object("e", "eye", new float[] {1})
 *       .build();
 *   dag.activations();                    // events, root first
 *   ObjectDag.of(dag.sketchObjects(), dag.rootId());
 * </pre>
 */
public final class ActivationDag {

  /** Attribute length of each module used by {@link #random}. */
  public static final Map<String, Integer> MODULES = Map.of(
      "scene", 4, "cat", 6, "dog", 6, "person", 8, "eye", 3, "tail", 2, "paw", 2, "face", 5);

  private static final String[] PARTS_OF_ANIMAL = {"eye", "eye", "tail", "paw", "paw"};
  private static final String[] PARTS_OF_PERSON = {"face", "eye", "eye"};

  private final String inferenceId;
  private final String rootId;
  private final List<ModuleActivation> activations;

  private ActivationDag(final String inferenceId, final String rootId, final List<ModuleActivation> activations) {
    this.inferenceId = inferenceId;
    this.rootId = rootId;
    this.activations = List.copyOf(activations);
  }

  public static Builder builder(final String inferenceId) {
    return new Builder(inferenceId);
  }

  /**
   * A random scene: a root {@code scene} over animals and people, each over parts (an eye may be shared
   * by two parents), about {@code objects} objects in all, deterministic for a given {@code random}.
   * Module attribute lengths are {@link #MODULES}.
   */
  public static ActivationDag random(final String inferenceId, final Random random, final int objects,
      final Instant eventTime) {
    final Builder b = builder(inferenceId).eventTime(eventTime).source("cam-" + random.nextInt(4));
    final List<String> top = new ArrayList<>();
    int n = 1;
    int entity = 0;
    while (n < objects) {
      final boolean person = random.nextInt(3) == 0;
      final String eid = "o" + entity++;
      final String[] parts = person ? PARTS_OF_PERSON : PARTS_OF_ANIMAL;
      final int take = Math.max(0, Math.min(parts.length, objects - n - 1));
      final List<String> inputs = new ArrayList<>();
      for (int p = 0; p < take; p++) {
        final String pid = eid + "." + p;
        b.object(pid, parts[p], attrs(random, MODULES.get(parts[p])));
        inputs.add(pid);
      }
      n += take + 1;
      final String module = person ? "person" : (random.nextBoolean() ? "cat" : "dog");
      b.object(eid, module, attrs(random, MODULES.get(module)), inputs.toArray(String[]::new));
      top.add(eid);
    }
    b.root("root", "scene", attrs(random, MODULES.get("scene")), top.toArray(String[]::new));
    return b.build();
  }

  private static float[] attrs(final Random random, final int k) {
    final float[] x = new float[k];
    for (int i = 0; i < k; i++) {
      x[i] = (float) random.nextGaussian();
    }
    return x;
  }

  public String inferenceId() {
    return inferenceId;
  }

  public String rootId() {
    return rootId;
  }

  /** The events, in the order they were declared to the builder. */
  public List<ModuleActivation> activations() {
    return activations;
  }

  /** The events shuffled with {@code random}. */
  public List<ModuleActivation> shuffled(final Random random) {
    final List<ModuleActivation> copy = new ArrayList<>(activations);
    Collections.shuffle(copy, random);
    return copy;
  }

  /** The same DAG as engine objects (slots left null: resolved by position, as the processor does). */
  public List<SketchObject> sketchObjects() {
    final List<SketchObject> out = new ArrayList<>();
    for (final ModuleActivation a : activations) {
      final float[] x = new float[a.getAttributes().size()];
      for (int i = 0; i < x.length; i++) {
        x[i] = a.getAttributes().get(i);
      }
      final List<SketchInput> inputs = new ArrayList<>();
      for (final ModuleInput in : a.getInputs()) {
        inputs.add(new SketchInput(in.getObjectId(), in.getSlot(), in.getWeight()));
      }
      out.add(new SketchObject(a.getObjectId(), a.getModule(), x, inputs));
    }
    return out;
  }

  /** The strict engine DAG of this inference. */
  public ObjectDag objectDag() {
    return ObjectDag.of(sketchObjects(), rootId);
  }

  /** Builds the events of one inference; objects may be declared in any order. */
  public static final class Builder {
    private final String inferenceId;
    private Instant eventTime = Instant.parse("2026-01-01T08:00:00Z");
    private String source = "test";
    private String rootId;
    private final Map<String, ModuleActivation> objects = new LinkedHashMap<>();

    private Builder(final String inferenceId) {
      this.inferenceId = inferenceId;
    }

    public Builder eventTime(final Instant t) {
      eventTime = t;
      return this;
    }

    public Builder source(final String s) {
      source = s;
      return this;
    }

    /** An object with unit-weight inputs on positional slots. */
    public Builder object(final String id, final String module, final float[] attributes, final String... inputs) {
      final List<ModuleInput> in = new ArrayList<>();
      for (final String c : inputs) {
        in.add(ModuleInput.newBuilder().setObjectId(c).setSlot(null).setWeight(1f).build());
      }
      return object(id, module, attributes, in, false);
    }

    /** The root object. */
    public Builder root(final String id, final String module, final float[] attributes, final String... inputs) {
      object(id, module, attributes, inputs);
      final ModuleActivation a = objects.get(id);
      a.setRoot(true);
      rootId = id;
      return this;
    }

    /** An object with explicit inputs (slots, weights). */
    public Builder object(final String id, final String module, final float[] attributes,
        final List<ModuleInput> inputs, final boolean root) {
      final List<Float> x = new ArrayList<>(attributes.length);
      for (final float v : attributes) {
        x.add(v);
      }
      objects.put(id, ModuleActivation.newBuilder().setInferenceId(inferenceId).setObjectId(id).setModule(module)
          .setAttributes(x).setInputs(new ArrayList<>(inputs)).setRoot(root).setEventTime(eventTime)
          .setSource(source).build());
      if (root) {
        rootId = id;
      }
      return this;
    }

    public ActivationDag build() {
      final List<ModuleActivation> list = new ArrayList<>(objects.values());
      // Root first reads naturally in logs; order does not matter to the processor.
      list.sort((a, b) -> Boolean.compare(b.getRoot(), a.getRoot()));
      return new ActivationDag(inferenceId, rootId, list);
    }
  }
}
