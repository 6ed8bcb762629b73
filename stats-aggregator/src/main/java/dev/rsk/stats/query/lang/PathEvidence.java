package dev.rsk.stats.query.lang;

/**
 * What one inference's sketch says about a decoded path, in standard errors of a branch's presence: each branch
 * holds nothing (presence mean 0) or objects of the path's mass per object, {@code alpha^depth beta^steps} for
 * the depths the network saw the path's first module at. Cross-talk from the other blocks of a sketch is fixed
 * for a spec, so a path's presence may sit below (or above) that mass in every inference (the demo's
 * {@code scene/dog} at d = 1024 read 0.14 instead of 0.5): the likelihood ratio takes a scale {@code kappa} on
 * the mass, which {@link PriorFit} fits with the prior.
 *
 * @param z per branch, its presence over its standard error
 * @param mass per depth, the mass per object over the standard error
 * @param share per depth, the share of the module's objects the network saw at it (they add up to 1)
 */
record PathEvidence(double[] z, double[] mass, double[] share) {

  /** The evidence of {@code presence} (branches) for a path of {@code steps} steps from a module at {@code depths}. */
  static PathEvidence of(final double[] presence, final double sigma, final Slots.Depths depths, final double alpha,
      final double beta, final int steps) {
    final double[] z = new double[presence.length];
    for (int b = 0; b < z.length; b++) {
      z[b] = presence[b] / sigma;
    }
    final double[] mass = new double[depths.depth().length];
    for (int t = 0; t < mass.length; t++) {
      mass[t] = Math.pow(alpha, depths.depth()[t]) * Math.pow(beta, steps) / sigma;
    }
    return new PathEvidence(z, mass, depths.share());
  }

  /**
   * {@code log(mean over branches b of sum over depths t of share_t exp(z_b m_t - m_t^2 / 2))}, {@code m_t = kappa
   * mass_t}; negative infinity without a branch (the path was not found along any slot). In log space: large
   * presences overflow {@code exp}.
   */
  double logRatio(final double kappa) {
    return emTerms(kappa)[0];
  }

  /**
   * At scale {@code kappa}: {@code log L}, then, given the path is there, the expected {@code sum z_b m_t} and
   * {@code sum m_t^2} over which branch and depth hold it (weights proportional to {@code share_t exp(z_b m_t -
   * m_t^2 / 2)}, {@code m_t = kappa mass_t}) without {@code kappa}: the terms of the scale's maximum-likelihood
   * update. One pass for EM; {@code {-infinity, 0, 0}} without a branch.
   */
  double[] emTerms(final double kappa) {
    if (z.length == 0) {
      return new double[] {Double.NEGATIVE_INFINITY, 0, 0};
    }
    double max = Double.NEGATIVE_INFINITY;
    for (final double zb : z) {
      for (int t = 0; t < mass.length; t++) {
        max = Math.max(max, term(zb, t, kappa));
      }
    }
    double sum = 0;
    double zm = 0;
    double mm = 0;
    for (final double zb : z) {
      for (int t = 0; t < mass.length; t++) {
        final double w = Math.exp(term(zb, t, kappa) - max);
        sum += w;
        zm += w * zb * mass[t];
        mm += w * mass[t] * mass[t];
      }
    }
    return new double[] {max + Math.log(sum) - Math.log(z.length), zm / sum, mm / sum};
  }

  private double term(final double zb, final int t, final double kappa) {
    final double m = kappa * mass[t];
    return Math.log(share[t]) + zb * m - m * m / 2;
  }
}
