package dev.rsk.sketch;

import java.util.Map;
import java.util.TreeMap;

/**
 * Exact first and second moments of one module's attribute vectors over the objects of an inference:
 * {@code sums[i]} is the sum of attribute {@code i}, {@code squares[i]} the sum of its squares. Summed in
 * double from the float attributes, so exact up to double rounding (relative 1e-16 per addition).
 *
 * @param sums per dimension, the sum over the module's objects
 * @param squares per dimension, the sum of squares over the module's objects
 */
public record AttributeMoments(double[] sums, double[] squares) {

  /**
   * The moments of each module over the first {@code n} compiled objects ({@code modules[i]} with
   * attributes {@code attributes[i]}), sorted by module; {@code lengths} gives each module's {@code k}.
   */
  static Map<String, AttributeMoments> perModule(
      final String[] modules, final float[][] attributes, final int n, final Map<String, Integer> lengths) {
    final Map<String, AttributeMoments> out = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      out.computeIfAbsent(modules[i], m -> zero(lengths.get(m))).add(attributes[i]);
    }
    return out;
  }

  /** Zero moments for attribute length {@code k}. */
  static AttributeMoments zero(final int k) {
    return new AttributeMoments(new double[k], new double[k]);
  }

  void add(final float[] x) {
    for (int i = 0; i < x.length; i++) {
      sums[i] += x[i];
      squares[i] += (double) x[i] * x[i];
    }
  }
}
