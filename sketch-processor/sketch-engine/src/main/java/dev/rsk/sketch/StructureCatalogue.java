package dev.rsk.sketch;

import dev.rsk.sketch.SketchException.Reason;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What structure recovery may look for: every known module with its {@code k}, the modules seen as
 * roots, and per module and slot the modules seen as inputs there (the "grammar" learned from past
 * DAGs with {@link Builder#add(ObjectDag)}). The fewer candidates per slot, the fewer presence tests
 * and so the fewer false positives (each test at {@code tau = 4 ||s|| / sqrt(d)} errs with
 * probability about 0.2%).
 *
 * @param attributeLengths module to {@code k}; non-empty
 * @param rootModules modules that may be the root; empty means any module
 * @param inputModules module to (slot to input modules); null means "no grammar": every module has
 *     positional slots {@code "0".."7"} and every module is a candidate on each. A module absent from a
 *     non-null map is a leaf.
 */
public record StructureCatalogue(
    Map<String, Integer> attributeLengths,
    Set<String> rootModules,
    Map<String, Map<String, Set<String>>> inputModules) {
  /** Positional slots tried when there is no grammar. */
  public static final int POSITIONAL_SLOTS = 8;

  public StructureCatalogue {
    if (attributeLengths == null || attributeLengths.isEmpty()) {
      throw new SketchException(Reason.INVALID_OBJECT, "structure recovery needs a non-empty catalogue");
    }
    for (final Map.Entry<String, Integer> e : attributeLengths.entrySet()) {
      if (e.getValue() == null || e.getValue() < 0 || e.getValue() > ObjectDag.MAX_ATTRIBUTES) {
        throw new SketchException(
            Reason.LIMIT_EXCEEDED, "module " + e.getKey() + ": k must be in [0, "
                + ObjectDag.MAX_ATTRIBUTES + "], got " + e.getValue());
      }
    }
    attributeLengths = Collections.unmodifiableMap(new TreeMap<>(attributeLengths));
    rootModules = Collections.unmodifiableSet(new TreeSet<>(rootModules == null ? Set.of() : rootModules));
    if (inputModules != null) {
      final TreeMap<String, Map<String, Set<String>>> copy = new TreeMap<>();
      for (final Map.Entry<String, Map<String, Set<String>>> m : inputModules.entrySet()) {
        final TreeMap<String, Set<String>> slots = new TreeMap<>();
        m.getValue().forEach((slot, mods) -> slots.put(slot, Collections.unmodifiableSet(new TreeSet<>(mods))));
        copy.put(m.getKey(), Collections.unmodifiableMap(slots));
      }
      inputModules = Collections.unmodifiableMap(copy);
    }
  }

  /** A catalogue without grammar: any module may be the root, positional slots, any input module. */
  public static StructureCatalogue of(final Map<String, Integer> attributeLengths) {
    return new StructureCatalogue(attributeLengths, Set.of(), null);
  }

  /** Candidate roots, sorted. */
  Set<String> roots() {
    return rootModules.isEmpty() ? attributeLengths.keySet() : rootModules;
  }

  /** Slot to candidate input modules of {@code module} (sorted). */
  Map<String, ? extends Collection<String>> slotsOf(final String module) {
    if (inputModules == null) {
      final TreeMap<String, Collection<String>> all = new TreeMap<>();
      for (int i = 0; i < POSITIONAL_SLOTS; i++) {
        all.put(String.valueOf(i), attributeLengths.keySet());
      }
      return all;
    }
    return inputModules.getOrDefault(module, Map.of());
  }

  /** Accumulates a catalogue from sketched DAGs. Not thread-safe. */
  public static final class Builder {
    private final Map<String, Integer> lengths = new TreeMap<>();
    private final Set<String> roots = new TreeSet<>();
    private final Map<String, Map<String, Set<String>>> inputs = new TreeMap<>();

    /** Adds a module with its k. */
    public Builder module(final String module, final int k) {
      lengths.put(module, k);
      return this;
    }

    /** Adds a root module. */
    public Builder root(final String module) {
      roots.add(module);
      return this;
    }

    /** Adds "module {@code input} was seen on slot {@code slot} of module {@code module}". */
    public Builder input(final String module, final String slot, final String input) {
      inputs.computeIfAbsent(module, m -> new TreeMap<>()).computeIfAbsent(slot, s -> new TreeSet<>()).add(input);
      return this;
    }

    /** Adds every module, root and (module, slot, input module) triple of a DAG. */
    public Builder add(final ObjectDag dag) {
      final int n = dag.nodeCount();
      for (int i = 0; i < n; i++) {
        module(dag.modules[i], dag.attributes[i].length);
        for (int e = 0; e < dag.children[i].length; e++) {
          input(dag.modules[i], dag.slots[i][e], dag.modules[dag.children[i][e]]);
        }
      }
      root(dag.modules[n - 1]);
      return this;
    }

    public StructureCatalogue build() {
      return new StructureCatalogue(lengths, roots, inputs);
    }
  }
}
