package dev.rsk.stats.testing;

/** Reference arithmetic written independently of the code under test, for tests to compare against. */
public final class BruteForce {

  private BruteForce() {}

  /** The cosine of {@code a} and {@code b} (same length), summed in double precision. */
  public static double cosine(final float[] a, final float[] b) {
    double ab = 0;
    double aa = 0;
    double bb = 0;
    for (int i = 0; i < a.length; i++) {
      ab += (double) a[i] * b[i];
      aa += (double) a[i] * a[i];
      bb += (double) b[i] * b[i];
    }
    return ab / Math.sqrt(aa * bb);
  }
}
