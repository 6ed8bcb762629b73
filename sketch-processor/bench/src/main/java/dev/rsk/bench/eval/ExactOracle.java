package dev.rsk.bench.eval;

import dev.rsk.sketch.SketchInput;
import dev.rsk.sketch.SketchObject;
import dev.rsk.sketch.TagStep;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The exact oracle of a sketch: expanding the recursion, {@code s(root) = sum over (tag path P, module
 * M) of R_P E_M v(P, M)}, where {@code v(P, M)} sums, over the objects of module {@code M} reached
 * with tag path {@code P}, the product of the path coefficients ({@code w alpha} on identity
 * branches, {@code w beta} on tagged ones) times {@code x̄ = (1, x) / sqrt(2)}. Computed in double,
 * without any random matrix: it is what decoding should recover. For test and evaluation DAGs (its
 * size grows as {@code 2^depth} per object); assumes a valid, strict DAG.
 */
public final class ExactOracle {
  /** One block of the embedding: a tag path (root first) and a module. */
  public record Key(List<TagStep> path, String module) {
    public Key {
      path = List.copyOf(path);
    }
  }

  private final Map<Key, double[]> blocks;

  private ExactOracle(final Map<Key, double[]> blocks) {
    this.blocks = Collections.unmodifiableMap(blocks);
  }

  /** The oracle of the DAG rooted at {@code rootId}. */
  public static ExactOracle of(
      final Collection<SketchObject> objects, final String rootId, final double alpha,
      final double beta) {
    final Map<String, SketchObject> byId = new HashMap<>();
    for (final SketchObject o : objects) {
      byId.put(o.id(), o);
    }
    final Map<String, Map<Key, double[]>> memo = new HashMap<>();
    return new ExactOracle(expand(byId.get(rootId), byId, alpha, beta, memo));
  }

  private static Map<Key, double[]> expand(
      final SketchObject o, final Map<String, SketchObject> byId, final double alpha,
      final double beta, final Map<String, Map<Key, double[]>> memo) {
    final Map<Key, double[]> done = memo.get(o.id());
    if (done != null) {
      return done;
    }
    final Map<Key, double[]> out = new LinkedHashMap<>();
    final double[] xbar = new double[o.attributes().length + 1];
    xbar[0] = 1 / Math.sqrt(2);
    for (int i = 0; i < o.attributes().length; i++) {
      xbar[i + 1] = o.attributes()[i] / Math.sqrt(2);
    }
    out.put(new Key(List.of(), o.module()), xbar);
    final List<SketchInput> inputs = o.inputs();
    for (int pos = 0; pos < inputs.size(); pos++) {
      final SketchInput e = inputs.get(pos);
      final String slot = e.slot() == null ? String.valueOf(pos) : e.slot();
      final TagStep step = new TagStep(o.module(), slot);
      final Map<Key, double[]> child = expand(byId.get(e.childId()), byId, alpha, beta, memo);
      for (final Map.Entry<Key, double[]> b : child.entrySet()) {
        addScaled(out, b.getKey(), b.getValue(), e.weight() * alpha);
        final List<TagStep> tagged = new ArrayList<>(b.getKey().path().size() + 1);
        tagged.add(step);
        tagged.addAll(b.getKey().path());
        addScaled(out, new Key(tagged, b.getKey().module()), b.getValue(), e.weight() * beta);
      }
    }
    memo.put(o.id(), out);
    return out;
  }

  private static void addScaled(
      final Map<Key, double[]> out, final Key key, final double[] v, final double c) {
    if (c == 0) {
      return;
    }
    final double[] acc = out.computeIfAbsent(key, x -> new double[v.length]);
    for (int i = 0; i < v.length; i++) {
      acc[i] += c * v[i];
    }
  }

  /** Every block. */
  public Map<Key, double[]> blocks() {
    return blocks;
  }

  /** {@code v(path, module)}, or null if nothing of that module is reached by that path. */
  public double[] v(final List<TagStep> path, final String module) {
    return blocks.get(new Key(path, module));
  }

  /** {@code sqrt(2) v(path, module)[0]}: the exact mass readable at that path, 0 if none. */
  public double presence(final List<TagStep> path, final String module) {
    final double[] v = v(path, module);
    return v == null ? 0 : Math.sqrt(2) * v[0];
  }

  /** Squared norm of the exact embedding (blocks are treated as orthogonal). */
  public double normSquared() {
    double s = 0;
    for (final double[] v : blocks.values()) {
      for (final double x : v) {
        s += x * x;
      }
    }
    return s;
  }

  /** Inner product of two exact embeddings (same blocks pair up). */
  public double dot(final ExactOracle other) {
    double s = 0;
    for (final Map.Entry<Key, double[]> b : blocks.entrySet()) {
      final double[] w = other.blocks.get(b.getKey());
      if (w != null && w.length == b.getValue().length) {
        for (int i = 0; i < w.length; i++) {
          s += w[i] * b.getValue()[i];
        }
      }
    }
    return s;
  }

  /** Cosine of two exact embeddings, 0 if either is zero. */
  public double cosine(final ExactOracle other) {
    final double n = Math.sqrt(normSquared() * other.normSquared());
    return n == 0 ? 0 : dot(other) / n;
  }
}
