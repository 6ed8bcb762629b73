package dev.rsk.processor;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.contract.ExactAttributes;
import dev.rsk.contract.NetworkStructure;
import dev.rsk.contract.SketchMapper;
import dev.rsk.avro.ModuleActivation;
import dev.rsk.avro.ModuleInput;
import dev.rsk.avro.SketchParams;
import dev.rsk.sketch.ObjectDag;
import dev.rsk.sketch.RecursiveSketcher;
import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchException;
import dev.rsk.sketch.SketchInput;
import dev.rsk.sketch.SketchObject;
import dev.rsk.sketch.SketchSpec;
import java.util.AbstractList;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;

/**
 * Turns an assembled inference into an {@link InferenceSketch} with the engine. Complete inferences
 * go through the strict {@link ObjectDag#of}; incomplete ones (gap expired) through
 * {@link ObjectDag#partial}, which drops the inputs that never arrived and counts them. Only a
 * complete inference carries its module-level structure ({@link NetworkStructure}).
 *
 * <p>Throws {@link SketchException} when the objects cannot be sketched: a cycle, or a depth over the
 * configured limit ({@code LIMIT_EXCEEDED}). Thread-safe if the engine is (it is).
 */
final class InferenceSketcher {
  private final SketchSpec spec;
  private final RecursiveSketcher sketcher;
  private final int maxDepth;
  private final SketchParams params;

  InferenceSketcher(final SketchSpec spec, final int maxDepth) {
    this.spec = spec;
    this.sketcher = new RecursiveSketcher(spec);
    this.maxDepth = maxDepth;
    this.params = SketchMapper.params(spec);
  }

  SketchSpec spec() {
    return spec;
  }

  /** Sketches {@code a}; {@code complete} selects the strict or the partial DAG. */
  InferenceSketch sketch(final InferenceAssembly a, final boolean complete, final long nowMs) {
    final Collection<Member> members = a.members();
    final List<SketchObject> objects = new ArrayList<>(members.size());
    ModuleActivation root = null;
    long earliest = Long.MAX_VALUE;
    String firstSource = null;
    for (final Member m : members) {
      final ModuleActivation ev = m.event();
      objects.add(toObject(ev));
      if (ev.getRoot()) {
        root = ev;
      }
      earliest = Math.min(earliest, ev.getEventTime().toEpochMilli());
      if (firstSource == null) {
        firstSource = ev.getSource();
      }
    }
    final ObjectDag dag = complete ? ObjectDag.of(objects, a.rootId()) : ObjectDag.partial(objects, a.rootId());
    checkDepth(a);
    final Sketch sketch = sketcher.sketch(dag);
    final InferenceSketch.Builder b = ExactAttributes.fill(InferenceSketch.newBuilder(), dag);
    if (complete) {
      NetworkStructure.fill(b, dag); // an incomplete DAG's shape is partly unknown: version 0, no structure
    }
    return b
        .setInferenceId(a.inferenceId())
        .setSource(root != null ? root.getSource() : firstSource)
        .setEventTime(root != null ? root.getEventTime() : java.time.Instant.ofEpochMilli(earliest))
        .setParams(params)
        .setVector(new FloatList(sketch.vector()))
        .setObjectCount(a.size())
        .setComplete(complete)
        .setMissingInputs(complete ? 0 : dag.missingInputs())
        .setModuleCounts(new HashMap<>(dag.moduleCounts()))
        .setAttributeLengths(new HashMap<>(dag.attributeLengths()))
        .setSketchedAt(java.time.Instant.ofEpochMilli(nowMs))
        .build();
  }

  static SketchObject toObject(final ModuleActivation ev) {
    final List<Float> attrs = ev.getAttributes();
    final float[] x = new float[attrs.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = attrs.get(i);
    }
    final List<ModuleInput> in = ev.getInputs();
    final List<SketchInput> inputs = new ArrayList<>(in.size());
    for (final ModuleInput i : in) {
      inputs.add(new SketchInput(i.getObjectId(), i.getSlot(), i.getWeight()));
    }
    return new SketchObject(ev.getObjectId(), ev.getModule(), x, inputs);
  }

  /**
   * Longest chain of arrived objects (in objects, a leaf has depth 1) must be within the limit.
   * Runs after the DAG was validated acyclic; iterative so deep inputs cannot overflow the stack.
   */
  private void checkDepth(final InferenceAssembly a) {
    final Map<String, ModuleActivation> byId = new HashMap<>(a.size() * 2);
    for (final Member m : a.members()) {
      byId.put(m.event().getObjectId(), m.event());
    }
    final Map<String, Integer> depth = new HashMap<>(byId.size() * 2);
    final ArrayDeque<String> stack = new ArrayDeque<>();
    for (final String start : byId.keySet()) {
      if (depth.containsKey(start)) {
        continue;
      }
      stack.push(start);
      while (!stack.isEmpty()) {
        final String id = stack.peek();
        if (depth.containsKey(id)) {
          stack.pop();
          continue;
        }
        boolean ready = true;
        int best = 0;
        for (final ModuleInput in : byId.get(id).getInputs()) {
          final String c = in.getObjectId();
          if (!byId.containsKey(c)) {
            continue;
          }
          final Integer dc = depth.get(c);
          if (dc == null) {
            ready = false;
            stack.push(c);
          } else {
            best = Math.max(best, dc);
          }
        }
        if (ready) {
          stack.pop();
          final int d = best + 1;
          if (d > maxDepth) {
            throw new SketchException(SketchException.Reason.LIMIT_EXCEEDED, "inference " + a.inferenceId()
                + " is deeper than the limit of " + maxDepth + " objects (" + ProcessorConfig.MAX_DEPTH + ")");
          }
          depth.put(id, d);
        }
      }
    }
  }

  /** A read-only {@code List<Float>} view of a float array, so the Avro writer needs no boxed copy. */
  static final class FloatList extends AbstractList<Float> implements RandomAccess {
    private final float[] values;

    FloatList(final float[] values) {
      this.values = values;
    }

    @Override
    public Float get(final int index) {
      return values[index];
    }

    @Override
    public int size() {
      return values.length;
    }
  }
}
