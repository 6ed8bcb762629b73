package dev.rsk.sketch;

import dev.rsk.bench.eval.ExactOracle;
import java.util.List;
import java.util.Map;

/** Test helper: the exact oracle embedded with the engine's own matrices, in double. */
final class DenseEmbedding {
  private DenseEmbedding() {}

  static double[] embed(final ExactOracle oracle, final SketchSpec spec) {
    final MatrixCache cache = new MatrixCache(spec, 0);
    final int d = spec.d();
    final double[] s = new double[d];
    for (final Map.Entry<ExactOracle.Key, double[]> b : oracle.blocks().entrySet()) {
      final double[] v = b.getValue();
      final float[][] cols = cache.columns(b.getKey().module(), v.length - 1);
      double[] y = new double[d];
      for (int c = 0; c < v.length; c++) {
        for (int i = 0; i < d; i++) {
          y[i] += cols[c][i] * v[c];
        }
      }
      final List<TagStep> path = b.getKey().path();
      for (int t = path.size() - 1; t >= 0; t--) {
        final SignedPermutation r = cache.rotation(path.get(t).module(), path.get(t).slot());
        final double[] z = new double[d];
        for (int i = 0; i < d; i++) {
          z[i] = r.sign[i] * y[r.perm[i]];
        }
        y = z;
      }
      for (int i = 0; i < d; i++) {
        s[i] += y[i];
      }
    }
    return s;
  }
}
