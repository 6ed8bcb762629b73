package dev.rsk.stats.query.lang;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The slots a decoded path tries from one module to the next: those where the network catalogue has
 * seen the next module as an input of the first (complete inferences report their structure, named slots
 * such as {@code left_eye} included), else the positional slots "0".."{@value QueryLimits#SLOTS}-1" (records
 * of producers that report no structure). Fewer slots tried means fewer unrolls and fewer chances of a
 * false branch. Immutable.
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

  private Slots(final Map<String, Map<String, List<String>>> seen) {
    this.seen = seen;
  }

  /** Collects the edges (parent module, slot, input module) the network catalogue has seen. */
  public static final class Builder {
    private final Map<String, Map<String, TreeSet<String>>> seen = new HashMap<>();

    public Builder add(final String parent, final String slot, final String input) {
      seen.computeIfAbsent(parent, m -> new HashMap<>()).computeIfAbsent(input, i -> new TreeSet<>()).add(slot);
      return this;
    }

    public Slots build() {
      final Map<String, Map<String, List<String>>> out = new HashMap<>();
      seen.forEach((parent, byInput) -> byInput.forEach((input, slots) ->
          out.computeIfAbsent(parent, m -> new HashMap<>()).put(input, List.copyOf(slots))));
      return new Slots(out);
    }
  }

  /** The slots to unroll {@code parent} at to look for {@code input}. */
  List<String> of(final String parent, final String input) {
    final List<String> s = seen.getOrDefault(parent, Map.of()).get(input);
    return s == null ? POSITIONAL_SLOTS : s;
  }
}
