package dev.rsk.demo;

import dev.rsk.avro.ModuleActivation;
import dev.rsk.avro.ModuleInput;
import dev.rsk.sim.RoomSimulator;
import dev.rsk.sim.SimulatedInference;
import dev.rsk.sim.SimulationConfig;
import dev.rsk.sketch.ObjectDag;
import dev.rsk.sketch.RecursiveSketcher;
import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchInput;
import dev.rsk.sketch.SketchObject;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.sketch.Sketches;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The ground truth of "which inferences are most like X": regenerates the (deterministic) simulation, sketches every
 * inference's DAG directly with the engine and the API's sketch parameters, and keeps the exact top k by cosine.
 * Nothing goes through Kafka, the processor or the stores, so agreement checks all of them end to end.
 * Costs one pass of the engine over the simulation (a few seconds for a year at d = 1024).
 */
public final class ExactSimilarity {

  private ExactSimilarity() {}

  /** The k inferences other than {@code queryId} with the highest cosine to it, best first. */
  public static List<DemoChecks.Match> topK(final SimulationConfig config, final SketchSpec spec,
      final String queryId, final int k) {
    final RecursiveSketcher sketcher = new RecursiveSketcher(spec);
    final Sketch query = findAndSketch(config, sketcher, queryId);
    final PriorityQueue<DemoChecks.Match> best =
        new PriorityQueue<>(Comparator.comparingDouble(DemoChecks.Match::cosine));
    final RoomSimulator sim = new RoomSimulator(config);
    while (sim.hasNext()) {
      final SimulatedInference inf = sim.next();
      if (inf.inferenceId().equals(queryId)) {
        continue;
      }
      final double cos = Sketches.cosine(query, sketch(sketcher, inf));
      if (best.size() < k) {
        best.add(new DemoChecks.Match(inf.inferenceId(), cos));
      } else if (cos > best.peek().cosine()) {
        best.poll();
        best.add(new DemoChecks.Match(inf.inferenceId(), cos));
      }
    }
    final List<DemoChecks.Match> out = new ArrayList<>(best);
    out.sort(Comparator.comparingDouble(DemoChecks.Match::cosine).reversed());
    return out;
  }

  private static Sketch findAndSketch(final SimulationConfig config, final RecursiveSketcher sketcher,
      final String id) {
    final RoomSimulator sim = new RoomSimulator(config);
    while (sim.hasNext()) {
      final SimulatedInference inf = sim.next();
      if (inf.inferenceId().equals(id)) {
        return sketch(sketcher, inf);
      }
    }
    throw new IllegalArgumentException("no inference " + id + " in this simulation");
  }

  /** The sketch of one simulated inference, built as the processor builds it from the same events. */
  public static Sketch sketch(final RecursiveSketcher sketcher, final SimulatedInference inf) {
    return sketcher.sketch(dag(inf));
  }

  /** The DAG of one simulated inference, built as the processor builds it from the same events. */
  static ObjectDag dag(final SimulatedInference inf) {
    final List<SketchObject> objects = new ArrayList<>(inf.events().size());
    String root = null;
    for (final ModuleActivation e : inf.events()) {
      final float[] x = new float[e.getAttributes().size()];
      for (int i = 0; i < x.length; i++) {
        x[i] = e.getAttributes().get(i);
      }
      final List<SketchInput> inputs = new ArrayList<>(e.getInputs().size());
      for (int j = 0; j < e.getInputs().size(); j++) {
        final ModuleInput in = e.getInputs().get(j);
        inputs.add(new SketchInput(in.getObjectId(), in.getSlot() == null ? String.valueOf(j) : in.getSlot(),
            in.getWeight()));
      }
      objects.add(new SketchObject(e.getObjectId(), e.getModule(), x, inputs));
      if (e.getRoot()) {
        root = e.getObjectId();
      }
    }
    return ObjectDag.of(objects, root);
  }
}
