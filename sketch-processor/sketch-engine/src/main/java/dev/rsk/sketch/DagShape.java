package dev.rsk.sketch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The module-level shape of a compiled {@link ObjectDag}: its counted module edges and the depths at
 * which each module occurs. Pure functions of the compiled arrays, computed on each call.
 */
final class DagShape {

  private DagShape() {}

  /**
   * Every (module, slot, input module) of the compiled DAG with its number of object edges, sorted by
   * module, slot, then input module. O(edges log kinds).
   */
  static List<ModuleEdge> edges(final ObjectDag dag) {
    final TreeMap<String, TreeMap<String, TreeMap<String, Integer>>> counts = new TreeMap<>();
    for (int i = 0; i < dag.modules.length; i++) {
      for (int e = 0; e < dag.children[i].length; e++) {
        counts.computeIfAbsent(dag.modules[i], m -> new TreeMap<>())
            .computeIfAbsent(dag.slots[i][e], s -> new TreeMap<>())
            .merge(dag.modules[dag.children[i][e]], 1, Integer::sum);
      }
    }
    final List<ModuleEdge> out = new ArrayList<>();
    counts.forEach((module, slots) -> slots.forEach((slot, inputs) -> inputs.forEach(
        (input, n) -> out.add(new ModuleEdge(module, slot, input, n)))));
    return Collections.unmodifiableList(out);
  }

  /**
   * Module to counts by depth: element {@code t} is the number of the module's objects reachable from
   * the root by a path of exactly {@code t} edges (the root is at depth 0). An object reachable at
   * several depths (a shared input) counts once at each. Sorted by module. The compiled order puts
   * every parent after its inputs, so one pass from the root down propagates the depth sets; O(edges
   * times distinct depths per object).
   */
  static Map<String, int[]> moduleDepths(final ObjectDag dag) {
    final int n = dag.modules.length;
    final BitSet[] depths = new BitSet[n];
    depths[n - 1] = new BitSet();
    depths[n - 1].set(0);
    final TreeMap<String, int[]> out = new TreeMap<>();
    for (int i = n - 1; i >= 0; i--) {
      final BitSet mine = depths[i];
      for (final int c : dag.children[i]) {
        if (depths[c] == null) {
          depths[c] = new BitSet();
        }
        for (int d = mine.nextSetBit(0); d >= 0; d = mine.nextSetBit(d + 1)) {
          depths[c].set(d + 1);
        }
      }
      int[] row = out.get(dag.modules[i]);
      if (row == null || row.length < mine.length()) {
        row = row == null ? new int[mine.length()] : Arrays.copyOf(row, mine.length());
        out.put(dag.modules[i], row);
      }
      for (int d = mine.nextSetBit(0); d >= 0; d = mine.nextSetBit(d + 1)) {
        row[d]++;
      }
    }
    return Collections.unmodifiableMap(out);
  }
}
