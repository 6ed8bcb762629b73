package dev.rsk.contract;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.sketch.ModuleEdge;
import dev.rsk.sketch.ObjectDag;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The structure fields of {@link InferenceSketch} ({@code structureVersion}, {@code rootModule},
 * {@code edges}, {@code moduleDepths}): filled from the engine's {@link ObjectDag} here, the one place
 * that maps them, so the DAG's module-level shape travels beside the sketch and consumers can learn the
 * network's wiring.
 */
public final class NetworkStructure {

  /** The {@code structureVersion} this build writes and reads. */
  public static final int VERSION = 1;
  /** The {@code structureVersion} of a record that carries no structure. */
  public static final int NONE = 0;

  private NetworkStructure() {}

  /**
   * Sets the four structure fields of {@code b} from {@code dag} (version {@value #VERSION}); returns
   * {@code b}. Call it for complete DAGs only: an incomplete DAG's shape is partly unknown, and its
   * record keeps the defaults (version {@value #NONE}).
   */
  public static InferenceSketch.Builder fill(final InferenceSketch.Builder b, final ObjectDag dag) {
    final List<dev.rsk.avro.ModuleEdge> edges = new ArrayList<>();
    for (final ModuleEdge e : dag.edges()) {
      edges.add(new dev.rsk.avro.ModuleEdge(e.module(), e.slot(), e.input(), e.count()));
    }
    final Map<String, List<Integer>> depths = new HashMap<>();
    dag.moduleDepths().forEach((m, row) -> depths.put(m, Arrays.stream(row).boxed().toList()));
    return b.setStructureVersion(VERSION).setRootModule(dag.rootModule()).setEdges(edges).setModuleDepths(depths);
  }

  /** Whether {@code s} carries structure this build can read (version {@value #VERSION}). */
  public static boolean carries(final InferenceSketch s) {
    return s.getStructureVersion() == VERSION;
  }

  /** The record's edges as engine values. */
  public static List<ModuleEdge> edges(final InferenceSketch s) {
    final List<ModuleEdge> out = new ArrayList<>(s.getEdges().size());
    for (final dev.rsk.avro.ModuleEdge e : s.getEdges()) {
      out.add(new ModuleEdge(e.getModule(), e.getSlot(), e.getInput(), e.getCount()));
    }
    return out;
  }
}
