package dev.rsk.stats.model;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the complete DAGs of some partitions showed of one module (exact counts over the records that
 * carried structure): the network store's value, keyed by module.
 *
 * @param module module name
 * @param attributeLength its attribute length k (as last seen)
 * @param inferences complete DAGs that contain the module
 * @param objects its objects over those DAGs
 * @param roots complete DAGs whose root is of this module
 * @param depths depth below the root to the number of its objects reached at that depth (an object
 *     reached at several depths counts at each), sorted
 * @param inputs slot of this module to input module to the number of object edges, sorted
 */
public record NetworkEntry(String module, int attributeLength, long inferences, long objects, long roots,
    SortedMap<Integer, Long> depths, SortedMap<String, SortedMap<String, Long>> inputs) {

  public NetworkEntry {
    depths = Collections.unmodifiableSortedMap(new TreeMap<>(depths));
    final TreeMap<String, SortedMap<String, Long>> copy = new TreeMap<>();
    inputs.forEach((slot, in) -> copy.put(slot, Collections.unmodifiableSortedMap(new TreeMap<>(in))));
    inputs = Collections.unmodifiableSortedMap(copy);
  }

  /** A module not seen yet. */
  public static NetworkEntry empty(final String module, final int attributeLength) {
    return new NetworkEntry(module, attributeLength, 0, 0, 0, new TreeMap<>(), new TreeMap<>());
  }

  /**
   * This entry plus one complete DAG's view of the module.
   *
   * @param k the module's attribute length in that DAG (it replaces the stored one)
   * @param objects its objects there (> 0)
   * @param root whether the DAG's root is of this module
   * @param depthCounts element t: its objects reached at depth t
   * @param slotInputs slot to input module to object edges in that DAG
   */
  public NetworkEntry plus(final int k, final int objects, final boolean root, final int[] depthCounts,
      final Map<String, Map<String, Integer>> slotInputs) {
    final TreeMap<Integer, Long> d = new TreeMap<>(depths);
    for (int t = 0; t < depthCounts.length; t++) {
      if (depthCounts[t] > 0) {
        d.merge(t, (long) depthCounts[t], Long::sum);
      }
    }
    final TreeMap<String, SortedMap<String, Long>> in = new TreeMap<>();
    inputs.forEach((slot, m) -> in.put(slot, new TreeMap<>(m)));
    slotInputs.forEach((slot, m) -> m.forEach((input, n) ->
        in.computeIfAbsent(slot, s -> new TreeMap<>()).merge(input, (long) n, Long::sum)));
    return new NetworkEntry(module, k, inferences + 1, this.objects + objects, roots + (root ? 1 : 0), d, in);
  }

  /** Merges the partial entries of two partitions of the same module (k: the other's if it differs). */
  public NetworkEntry merge(final NetworkEntry other) {
    final TreeMap<Integer, Long> d = new TreeMap<>(depths);
    other.depths.forEach((t, n) -> d.merge(t, n, Long::sum));
    final TreeMap<String, SortedMap<String, Long>> in = new TreeMap<>();
    inputs.forEach((slot, m) -> in.put(slot, new TreeMap<>(m)));
    other.inputs.forEach((slot, m) -> m.forEach((input, n) ->
        in.computeIfAbsent(slot, s -> new TreeMap<>()).merge(input, n, Long::sum)));
    return new NetworkEntry(module, other.attributeLength, inferences + other.inferences, objects + other.objects,
        roots + other.roots, d, in);
  }
}
