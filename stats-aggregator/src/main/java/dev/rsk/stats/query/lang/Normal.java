package dev.rsk.stats.query.lang;

/** The standard normal distribution function, for a decoded term's probability of being true. */
final class Normal {

  private Normal() {}

  /** {@code P(Z <= z)}, absolute error below about 1.2e-7 (Numerical Recipes' erfc). */
  static double cdf(final double z) {
    if (Double.isNaN(z)) {
      return 0.5;
    }
    return 0.5 * erfc(-z / Math.sqrt(2.0));
  }

  private static double erfc(final double x) {
    final double z = Math.abs(x);
    final double t = 1.0 / (1.0 + 0.5 * z);
    final double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
        + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
        + t * (-0.82215223 + t * 0.17087277)))))))));
    return x >= 0 ? r : 2.0 - r;
  }
}
