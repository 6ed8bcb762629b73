package dev.rsk.stats;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.contract.SketchMapper;
import dev.rsk.avro.SketchParams;
import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchException;
import dev.rsk.sketch.SketchSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the aggregator checks of an {@code InferenceSketch} before aggregating it (conversions to the
 * engine's types are {@link SketchMapper}'s).
 */
public final class SketchRecords {

  private SketchRecords() {}

  /** Whether {@code s} carries the exact attribute sums (producers before them send empty maps). */
  public static boolean hasAttributeSums(final InferenceSketch s) {
    return !s.getAttributeSums().isEmpty() || !s.getAttributeSquares().isEmpty();
  }

  public static double[] doubles(final List<Double> values) {
    final double[] out = new double[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  /**
   * Why {@code s} cannot be aggregated, or null if it can: parameters must form a valid spec, the
   * vector must be non-empty, at most d long and finite, counts non-negative, and every counted module
   * must have a non-negative attribute length. When the record carries attribute sums, both maps must
   * have exactly the modules with a positive count and attribute length, each k finite values, squares
   * non-negative.
   */
  public static String invalidReason(final InferenceSketch s) {
    return invalidReason(s, finite(s.getVector()));
  }

  /** The values as a primitive array, or null if one of them is null or not finite. */
  static float[] finite(final List<Float> values) {
    final float[] out = new float[values.size()];
    int i = 0;
    for (final Float f : values) {
      if (f == null || !Float.isFinite(f)) {
        return null;
      }
      out[i++] = f;
    }
    return out;
  }

  /**
   * {@link #invalidReason(InferenceSketch)} with the vector already converted by {@link #finite} ({@code finite}
   * null: a coordinate is null or not finite), so the boxed vector is walked once.
   */
  static String invalidReason(final InferenceSketch s, final float[] finite) {
    final SketchSpec spec;
    try {
      spec = SketchMapper.spec(s.getParams());
    } catch (SketchException | IllegalArgumentException e) {
      return "invalid sketch parameters: " + e.getMessage();
    }
    final List<Float> v = s.getVector();
    if (v.isEmpty() || v.size() > spec.d()) {
      return "vector length " + v.size() + " not in [1, d=" + spec.d() + "]";
    }
    if (finite == null) {
      return "vector has a non-finite coordinate";
    }
    if (s.getEventTime().toEpochMilli() < 0) {
      return "negative eventTime " + s.getEventTime().toEpochMilli();
    }
    for (final Map.Entry<String, Integer> e : s.getModuleCounts().entrySet()) {
      if (e.getValue() == null || e.getValue() < 0) {
        return "negative count for module " + e.getKey();
      }
      final Integer k = s.getAttributeLengths().get(e.getKey());
      if (k == null || k < 0) {
        return "no attribute length for module " + e.getKey();
      }
    }
    return hasAttributeSums(s) ? invalidSums(s) : null;
  }

  private static String invalidSums(final InferenceSketch s) {
    final Set<String> expected = new HashSet<>();
    s.getModuleCounts().forEach((m, n) -> {
      if (n > 0 && s.getAttributeLengths().get(m) > 0) {
        expected.add(m);
      }
    });
    if (!s.getAttributeSums().keySet().equals(expected) || !s.getAttributeSquares().keySet().equals(expected)) {
      return "attributeSums/attributeSquares modules " + s.getAttributeSums().keySet() + "/"
          + s.getAttributeSquares().keySet() + " differ from the counted modules with attributes " + expected;
    }
    for (final String m : expected) {
      final int k = s.getAttributeLengths().get(m);
      final List<Double> sums = s.getAttributeSums().get(m);
      final List<Double> squares = s.getAttributeSquares().get(m);
      if (sums.size() != k || squares.size() != k) {
        return "attribute sums of module " + m + " have length " + sums.size() + "/" + squares.size() + ", not " + k;
      }
      for (int i = 0; i < k; i++) {
        if (sums.get(i) == null || !Double.isFinite(sums.get(i)) || squares.get(i) == null
            || !Double.isFinite(squares.get(i)) || squares.get(i) < 0) {
          return "attribute sums of module " + m + " are not finite (or a square is negative)";
        }
      }
    }
    return null;
  }
}
