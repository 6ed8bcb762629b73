package dev.rsk.stats.query.lang;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The slots a decoded path tries from one module to the next: those where the network catalogue has
 * seen the next module as an input of the first (complete inferences report their structure, named slots
 * such as {@code left_eye} included), else the positional slots "0".."{@value QueryLimits#SLOTS}-1" (records
 * of producers that report no structure). Fewer slots tried means fewer unrolls and fewer chances of a
 * false branch. It also carries the depths below the root the network saw each module at, which give a
 * decoded path its expected presence per object ({@link PathDecoder}). Immutable.
 */
public final class Slots {

  private static final List<String> POSITIONAL_SLOTS;

  static {
    final List<String> p = new ArrayList<>();
    for (int slot = 0; slot < QueryLimits.SLOTS; slot++) {
      p.add(String.valueOf(slot));
    }
    POSITIONAL_SLOTS = Collections.unmodifiableList(p);
  }

  /** No catalogue: positional slots only. */
  public static final Slots POSITIONAL = new Builder().build();

  private final Map<String, Map<String, List<String>>> seen;
  private final Map<String, Depths> depths;

  /**
   * Where a module's objects sit below the root.
   *
   * @param depth the depths seen
   * @param share per depth, the share of the module's objects reached at it (they add up to 1)
   */
  record Depths(int[] depth, double[] share) {}

  private Slots(final Map<String, Map<String, List<String>>> seen, final Map<String, Depths> depths) {
    this.seen = seen;
    this.depths = depths;
  }

  /** Collects the edges (parent module, slot, input module) the network catalogue has seen. */
  public static final class Builder {
    private final Map<String, Map<String, TreeSet<String>>> seen = new HashMap<>();
    private final Map<String, TreeMap<Integer, Long>> depths = new HashMap<>();

    public Builder add(final String parent, final String slot, final String input) {
      seen.computeIfAbsent(parent, m -> new HashMap<>()).computeIfAbsent(input, i -> new TreeSet<>()).add(slot);
      return this;
    }

    /** {@code objects} of {@code module} were reached at {@code depth} below the root (ignored unless > 0). */
    public Builder depth(final String module, final int depth, final long objects) {
      if (depth < 0) {
        throw new IllegalArgumentException("depth must be >= 0, got " + depth);
      }
      if (objects > 0) {
        depths.computeIfAbsent(module, m -> new TreeMap<>()).merge(depth, objects, Long::sum);
      }
      return this;
    }

    public Slots build() {
      final Map<String, Map<String, List<String>>> out = new HashMap<>();
      seen.forEach((parent, byInput) -> byInput.forEach((input, slots) ->
          out.computeIfAbsent(parent, m -> new HashMap<>()).put(input, List.copyOf(slots))));
      final Map<String, Depths> d = new HashMap<>();
      depths.forEach((module, counts) -> {
        final double total = counts.values().stream().mapToLong(Long::longValue).sum();
        final int[] depth = counts.keySet().stream().mapToInt(Integer::intValue).toArray();
        final double[] share = counts.values().stream().mapToDouble(c -> c / total).toArray();
        d.put(module, new Depths(depth, share));
      });
      return new Slots(out, d);
    }
  }

  /** Where the network saw {@code module}'s objects, or null when it never saw the module. */
  Depths depths(final String module) {
    return depths.get(module);
  }

  /** The slots to unroll {@code parent} at to look for {@code input}. */
  List<String> of(final String parent, final String input) {
    final List<String> s = seen.getOrDefault(parent, Map.of()).get(input);
    return s == null ? POSITIONAL_SLOTS : s;
  }
}
