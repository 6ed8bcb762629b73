package dev.rsk.sketch;

import dev.rsk.sketch.SketchException.Reason;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The greedy structure recovery behind {@link SketchDecoder#recoverStructure(Sketch,
 * StructureCatalogue, double)}: find the root module, then for each slot of a found node unroll and
 * keep the candidate inputs whose presence reaches {@code tau}, recursively, within {@value
 * SketchDecoder#MAX_RECOVERED_NODES} nodes and {@value SketchDecoder#MAX_RECOVERY_DEPTH} levels. One
 * instance per call (it counts down the node budget), so not thread-safe; the matrix cache is.
 */
final class StructureRecovery {
  private final MatrixCache cache;
  private final double tau;
  private int budget = SketchDecoder.MAX_RECOVERED_NODES - 1;

  /** @param tau the presence threshold, already computed from the sketch and the tau factor */
  StructureRecovery(final MatrixCache cache, final double tau) {
    this.cache = cache;
    this.tau = tau;
  }

  /** The recovered tree of the full-length sketch {@code full}. */
  RecoveredNode recover(final float[] full, final StructureCatalogue catalogue) {
    final StructureCatalogue narrowed = narrowed(full, catalogue);
    final String root = catalogue.rootModules().isEmpty()
        ? inferRoot(full, narrowed)
        : rootModule(full, catalogue);
    return recover(full, root, List.of(), 0, narrowed);
  }

  /**
   * With no known root modules, the largest presence is often a child module (several children
   * of one module outweigh the root). So: among the modules that have slots in the (narrowed)
   * catalogue, drop those found as an input of another one, and take the largest presence of the
   * rest (falling back to the largest presence overall).
   */
  private String inferRoot(final float[] full, final StructureCatalogue catalogue) {
    final Set<String> parents = catalogue.inputModules() == null
        ? catalogue.attributeLengths().keySet() : catalogue.inputModules().keySet();
    final Set<String> inputs = parents.size() <= SketchDecoder.MAX_ROOT_INFERENCE_MODULES
        ? inputsOf(full, parents, catalogue) : Set.of();
    String best = null;
    double bestPresence = Double.NEGATIVE_INFINITY;
    for (final String m : parents) {
      final double p = Readouts.presence(cache, full, m);
      if (!inputs.contains(m) && catalogue.attributeLengths().containsKey(m) && p > bestPresence) {
        best = m;
        bestPresence = p;
      }
    }
    return best != null ? best : rootModule(full, catalogue);
  }

  /** The modules found present on some slot of another module among {@code parents}. */
  private Set<String> inputsOf(
      final float[] full, final Set<String> parents, final StructureCatalogue catalogue) {
    final Set<String> inputs = new HashSet<>();
    for (final String parent : parents) {
      for (final Map.Entry<String, ? extends Collection<String>> slot
          : catalogue.slotsOf(parent).entrySet()) {
        final float[] u = Readouts.unroll(cache, full, parent, slot.getKey());
        for (final String m : slot.getValue()) {
          if (!m.equals(parent) && catalogue.attributeLengths().containsKey(m)
              && Readouts.presence(cache, u, m) >= tau) {
            inputs.add(m);
          }
        }
      }
    }
    return inputs;
  }

  /**
   * Without a grammar, every module would be tested on every positional slot. But with {@code alpha >
   * 0} a module present anywhere is also present at the root path (identity copies), so only the
   * modules whose root-path presence reaches two noise deviations are candidates: far fewer tests,
   * far fewer false positives.
   */
  private StructureCatalogue narrowed(final float[] full, final StructureCatalogue catalogue) {
    if (catalogue.inputModules() != null || cache.spec().alpha() == 0) {
      return catalogue;
    }
    final double sigma = new Sketch(cache.spec(), full).readoutStdError();
    final Set<String> present = new TreeSet<>();
    for (final String m : catalogue.attributeLengths().keySet()) {
      if (Readouts.presence(cache, full, m) >= SketchDecoder.JOINT_SELECT_SIGMAS * sigma) {
        present.add(m);
      }
    }
    final Map<String, Set<String>> slots = new LinkedHashMap<>();
    for (int i = 0; i < StructureCatalogue.POSITIONAL_SLOTS; i++) {
      slots.put(String.valueOf(i), present);
    }
    final Map<String, Map<String, Set<String>>> grammar = new LinkedHashMap<>();
    for (final String m : present) {
      grammar.put(m, slots);
    }
    return new StructureCatalogue(catalogue.attributeLengths(), catalogue.rootModules(), grammar);
  }

  /** The candidate root of largest presence. */
  private String rootModule(final float[] full, final StructureCatalogue catalogue) {
    String rootModule = null;
    double best = Double.NEGATIVE_INFINITY;
    for (final String m : catalogue.roots()) {
      if (!catalogue.attributeLengths().containsKey(m)) {
        continue;
      }
      final double p = Readouts.presence(cache, full, m);
      if (p > best) {
        best = p;
        rootModule = m;
      }
    }
    if (rootModule == null) {
      throw new SketchException(Reason.INVALID_OBJECT, "no root module of the catalogue has a known k");
    }
    return rootModule;
  }

  private RecoveredNode recover(
      final float[] u,
      final String module,
      final List<String> path,
      final int depth,
      final StructureCatalogue catalogue) {
    final double[] r = Readouts.readout(cache, u, module, catalogue.attributeLengths().get(module));
    final Map<String, List<RecoveredNode>> children = new LinkedHashMap<>();
    if (depth < SketchDecoder.MAX_RECOVERY_DEPTH) {
      for (final Map.Entry<String, ? extends Collection<String>> slot
          : catalogue.slotsOf(module).entrySet()) {
        if (budget <= 0) {
          break;
        }
        final float[] u2 = Readouts.unroll(cache, u, module, slot.getKey());
        final List<String> childPath = new ArrayList<>(path);
        childPath.add(new TagStep(module, slot.getKey()).toString());
        final List<RecoveredNode> list = new ArrayList<>();
        for (final String m : presentIn(u2, slot.getValue(), catalogue)) {
          if (budget <= 0) {
            break;
          }
          budget--;
          list.add(recover(u2, m, childPath, depth + 1, catalogue));
        }
        if (!list.isEmpty()) {
          children.put(slot.getKey(), list);
        }
      }
    }
    return new RecoveredNode(module, path, Math.sqrt(2.0) * r[0], Readouts.ratio(r), children);
  }

  /** The known candidates whose presence in {@code u} reaches tau, by decreasing presence. */
  private List<String> presentIn(
      final float[] u, final Collection<String> candidates, final StructureCatalogue catalogue) {
    final List<Map.Entry<String, Double>> found = new ArrayList<>();
    for (final String m : candidates) {
      if (!catalogue.attributeLengths().containsKey(m)) {
        continue;
      }
      final double p = Readouts.presence(cache, u, m);
      if (p >= tau) {
        found.add(Map.entry(m, p));
      }
    }
    // a stable sort: equal presences keep the catalogue's order
    found.sort(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()));
    final List<String> out = new ArrayList<>(found.size());
    for (final Map.Entry<String, Double> f : found) {
      out.add(f.getKey());
    }
    return out;
  }
}
