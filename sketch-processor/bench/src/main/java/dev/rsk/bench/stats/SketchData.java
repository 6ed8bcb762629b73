package dev.rsk.bench.stats;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.avro.ModuleActivation;
import dev.rsk.avro.ModuleInput;
import dev.rsk.bench.processor.BenchmarkData;
import dev.rsk.contract.ExactAttributes;
import dev.rsk.contract.NetworkStructure;
import dev.rsk.contract.SketchMapper;
import dev.rsk.sketch.ObjectDag;
import dev.rsk.sketch.RecursiveSketcher;
import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchInput;
import dev.rsk.sketch.SketchObject;
import dev.rsk.sketch.SketchSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Random;

/**
 * Demo-like {@code InferenceSketch} records for the aggregator benchmark, made by the engine exactly as the
 * processor makes them: {@link BenchmarkData}'s 15-object inferences (scene over two entities over parts),
 * sketched with {@link RecursiveSketcher}, exact attribute sums filled by {@link ExactAttributes} and the
 * structure (edges) by {@link NetworkStructure}. Event times
 * are spread evenly over {@code span} (the demo's year at its rate is about 5 inferences per hour).
 */
final class SketchData {

  private final SketchSpec spec;
  private final RecursiveSketcher sketcher;
  private final Random random = new Random(42);
  private final long startMs;
  private final double stepMs;
  private final String idPrefix;

  SketchData(final SketchSpec spec, final Instant start, final Duration span, final int inferences) {
    this(spec, start, span, inferences, "bench-");
  }

  /** Ids are {@code idPrefix} and the index (the fill's are {@code bench-0, bench-1, ...}). */
  SketchData(final SketchSpec spec, final Instant start, final Duration span, final int inferences,
      final String idPrefix) {
    this.idPrefix = idPrefix;
    this.spec = spec;
    this.sketcher = new RecursiveSketcher(spec);
    this.startMs = start.toEpochMilli();
    this.stepMs = (double) span.toMillis() / inferences;
  }

  /** The {@code i}-th sketch (call in order: the objects come from one seeded stream). */
  InferenceSketch sketch(final int i) {
    final String id = idPrefix + i;
    final Instant t = Instant.ofEpochMilli(startMs + (long) (i * stepMs));
    final List<ModuleActivation> events = BenchmarkData.inference(id, random, t);
    final List<SketchObject> objects = new ArrayList<>(events.size());
    String root = null;
    for (final ModuleActivation ev : events) {
      objects.add(toObject(ev));
      if (ev.getRoot()) {
        root = ev.getObjectId();
      }
    }
    final ObjectDag dag = ObjectDag.of(objects, root);
    final Sketch sketch = sketcher.sketch(dag);
    final List<Float> vector = new ArrayList<>(sketch.vector().length);
    for (final float x : sketch.vector()) {
      vector.add(x);
    }
    // complete inferences carry their structure, as the processor writes them (queries' exact paths)
    return NetworkStructure.fill(ExactAttributes.fill(InferenceSketch.newBuilder(), dag), dag)
        .setInferenceId(id).setSource("bench").setEventTime(t).setParams(SketchMapper.params(spec))
        .setVector(vector).setObjectCount(objects.size()).setComplete(true).setMissingInputs(0)
        .setModuleCounts(new HashMap<>(dag.moduleCounts()))
        .setAttributeLengths(new HashMap<>(dag.attributeLengths()))
        .setSketchedAt(t).build();
  }

  private static SketchObject toObject(final ModuleActivation ev) {
    final float[] x = new float[ev.getAttributes().size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = ev.getAttributes().get(i);
    }
    final List<SketchInput> inputs = new ArrayList<>();
    for (final ModuleInput in : ev.getInputs()) {
      inputs.add(new SketchInput(in.getObjectId(), in.getSlot(), in.getWeight()));
    }
    return new SketchObject(ev.getObjectId(), ev.getModule(), x, inputs);
  }
}
