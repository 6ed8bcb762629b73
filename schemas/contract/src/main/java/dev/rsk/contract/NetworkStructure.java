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

  /**
   * Why the structure of {@code s} contradicts its own counts, or null when it does not: the root, every edge's
   * module and input, and every module with depths must be counted modules of the record (counted at least
   * once); edge counts must be >= 1 and depth counts >= 0. The learned network skips such a record.
   */
  public static String invalid(final InferenceSketch s) {
    final Map<String, Integer> counts = s.getModuleCounts();
    if (!counted(counts, s.getRootModule())) {
      return "root module '" + s.getRootModule() + "' is not a counted module";
    }
    for (final dev.rsk.avro.ModuleEdge e : s.getEdges()) {
      if (!counted(counts, e.getModule()) || !counted(counts, e.getInput()) || e.getCount() < 1) {
        return "edge " + e.getModule() + "[" + e.getSlot() + "] <- " + e.getInput() + " x" + e.getCount()
            + " names an uncounted module or has a count below 1";
      }
    }
    for (final Map.Entry<String, List<Integer>> d : s.getModuleDepths().entrySet()) {
      if (!counted(counts, d.getKey()) || d.getValue().stream().anyMatch(n -> n == null || n < 0)) {
        return "depths of '" + d.getKey() + "' name an uncounted module or a negative count";
      }
    }
    return null;
  }

  /**
   * Whether exact answers may trust the record's edges: it {@link #carries} structure and {@link #untrusted} finds
   * nothing against it. A record failing it is answered from its counts and its sketch only.
   */
  public static boolean trustedEdges(final InferenceSketch s) {
    return carries(s) && untrusted(s) == null;
  }

  /**
   * Why exact answers may not trust the edges of {@code s}, a record that carries structure, or null: it is not
   * complete, its structure is {@link #invalid}, or its edges do not reach every object (each counted module must
   * have at least as many incoming object edges as objects, the root module one less: in a complete DAG every
   * object but the root is an input of some object).
   */
  public static String untrusted(final InferenceSketch s) {
    return untrusted(s, invalid(s));
  }

  /** {@link #untrusted(InferenceSketch)} given {@code invalid}, the record's {@link #invalid} reason (or null). */
  public static String untrusted(final InferenceSketch s, final String invalid) {
    if (!s.getComplete()) {
      return "structure on a record that is not complete";
    }
    if (invalid != null) {
      return invalid;
    }
    final Map<String, Integer> incoming = new HashMap<>();
    for (final dev.rsk.avro.ModuleEdge e : s.getEdges()) {
      incoming.merge(e.getInput(), e.getCount(), Integer::sum);
    }
    for (final Map.Entry<String, Integer> c : s.getModuleCounts().entrySet()) {
      final int roots = c.getKey().equals(s.getRootModule()) ? 1 : 0;
      final int in = incoming.getOrDefault(c.getKey(), 0);
      if (c.getValue() > 0 && in < c.getValue() - roots) {
        return "module '" + c.getKey() + "' has " + c.getValue() + " objects but " + in + " incoming edges"
            + (roots == 1 ? " (root module)" : "");
      }
    }
    return null;
  }

  private static boolean counted(final Map<String, Integer> counts, final String module) {
    final Integer n = counts.get(module);
    return n != null && n > 0;
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
