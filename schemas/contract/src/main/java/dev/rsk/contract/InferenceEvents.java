package dev.rsk.contract;

import dev.rsk.avro.ModuleActivation;
import dev.rsk.avro.ModuleInput;
import dev.rsk.sketch.ObjectDag;
import dev.rsk.sketch.SketchException;
import dev.rsk.sketch.SketchInput;
import dev.rsk.sketch.SketchObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The events of one inference, built and validated before anything is sent: objects (module firings with
 * their attributes and inputs, each input with a slot and a weight) and the root.
 *
 * <p>Validation is the engine's ({@link ObjectDag#of}, strict), so what passes here is what the processor
 * can sketch: non-empty ids and modules, finite attributes, every input an object of this inference with a
 * finite weight {@code >= 0}, no cycle, one attribute length per module, a root among the objects, and the
 * engine's hard limits. The processor's configurable limits (objects, fan-out, depth, attribute length,
 * docs/processor.md) are not known here: events over them go to its dead-letter topic. Violations throw
 * {@link IllegalArgumentException} naming the inference and the object, from {@link #add} for a single
 * object's content and from {@link #build} for the whole. Not thread-safe.
 */
public final class InferenceEvents {

  private final String inferenceId;
  private final Map<String, SketchObject> objects = new LinkedHashMap<>();
  private Instant eventTime = Instant.now();
  private String source = "";
  private String rootId;

  /** An inference with event time now and an empty source. */
  public InferenceEvents(final String inferenceId) {
    if (inferenceId == null || inferenceId.isEmpty()) {
      throw new IllegalArgumentException("inferenceId must be a non-empty string");
    }
    this.inferenceId = inferenceId;
  }

  /** When the inference observed its input (default: when this object was created). */
  public InferenceEvents eventTime(final Instant time) {
    if (time == null) {
      throw new IllegalArgumentException("inference " + inferenceId + ": eventTime must not be null");
    }
    eventTime = time;
    return this;
  }

  /** Free-form name of the producing service or camera (default empty). */
  public InferenceEvents source(final String name) {
    if (name == null) {
      throw new IllegalArgumentException("inference " + inferenceId + ": source must not be null");
    }
    source = name;
    return this;
  }

  /**
   * Adds one object. {@code attributes} is copied. Inputs: {@code new SketchInput(objectId, slot, weight)}
   * ({@code slot} null means the input's position) or {@code SketchInput.of(objectId, slot)} (weight 1).
   */
  public InferenceEvents add(final String objectId, final String module, final float[] attributes,
      final SketchInput... inputs) {
    return add(objectId, module, attributes, List.of(inputs));
  }

  /** As {@link #add(String, String, float[], SketchInput...)}, inputs as a list. */
  public InferenceEvents add(final String objectId, final String module, final float[] attributes,
      final List<SketchInput> inputs) {
    if (objectId == null || objectId.isEmpty()) {
      throw new IllegalArgumentException("inference " + inferenceId + ": objectId must be a non-empty string");
    }
    if (objects.containsKey(objectId)) {
      throw new IllegalArgumentException("inference " + inferenceId + ": object " + objectId + " added twice");
    }
    try {
      objects.put(objectId, new SketchObject(objectId, module, attributes == null ? null : attributes.clone(),
          inputs));
    } catch (SketchException e) {
      throw new IllegalArgumentException("inference " + inferenceId + ": " + e.getMessage(), e);
    }
    return this;
  }

  /** Marks the output object of the inference; one root per inference. */
  public InferenceEvents root(final String objectId) {
    if (rootId != null && !rootId.equals(objectId)) {
      throw new IllegalArgumentException("inference " + inferenceId + " already has root " + rootId);
    }
    rootId = objectId;
    return this;
  }

  public String inferenceId() {
    return inferenceId;
  }

  /** Number of objects added so far. */
  public int size() {
    return objects.size();
  }

  /**
   * The validated events, in the order added with the root last.
   *
   * @throws IllegalArgumentException if there is no root or the objects do not form a valid DAG
   */
  public List<ModuleActivation> build() {
    if (rootId == null) {
      throw new IllegalArgumentException("inference " + inferenceId + " has no root: call root(objectId)");
    }
    try {
      ObjectDag.of(objects.values(), rootId);
    } catch (SketchException e) {
      throw new IllegalArgumentException("inference " + inferenceId + ": " + e.getMessage(), e);
    }
    final List<ModuleActivation> events = new ArrayList<>(objects.size());
    objects.values().stream().filter(o -> !o.id().equals(rootId)).forEach(o -> events.add(event(o)));
    events.add(event(objects.get(rootId)));
    return events;
  }

  private ModuleActivation event(final SketchObject o) {
    final List<Float> attributes = new ArrayList<>(o.attributes().length);
    for (final float a : o.attributes()) {
      attributes.add(a);
    }
    final List<ModuleInput> inputs = new ArrayList<>(o.inputs().size());
    for (final SketchInput in : o.inputs()) {
      inputs.add(ModuleInput.newBuilder().setObjectId(in.childId()).setSlot(in.slot()).setWeight(in.weight())
          .build());
    }
    return ModuleActivation.newBuilder().setInferenceId(inferenceId).setObjectId(o.id()).setModule(o.module())
        .setAttributes(attributes).setInputs(inputs).setRoot(o.id().equals(rootId)).setEventTime(eventTime)
        .setSource(source).build();
  }
}
