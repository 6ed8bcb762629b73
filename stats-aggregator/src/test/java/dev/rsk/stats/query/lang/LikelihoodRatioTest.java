package dev.rsk.stats.query.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** A decoded path's likelihood ratio ({@link PathEvidence}) and the depths it takes from the network. */
class LikelihoodRatioTest {

  /** log L at scale 1, alpha = beta = 1/2, one step. */
  private static double logL(final double sigma, final Slots.Depths depths, final double[] presence) {
    return PathEvidence.of(presence, sigma, depths, 0.5, 0.5, 1).logRatio(1.0);
  }

  private static final Slots.Depths DEPTH_1 = new Slots.Builder().depth("person", 1, 7).build().depths("person");

  @Test
  void oneBranchAtOneDepthIsTheNormalLikelihoodRatio() {
    // mass alpha^1 * beta = 0.25, sigma 0.1: m = 2.5 errors; presence 0.5: z = 5; log L = 5 * 2.5 - 2.5^2 / 2
    assertThat(logL(0.1, DEPTH_1, new double[] {0.5})).isCloseTo(9.375, within(1e-9));
    // at half the mass the two hypotheses are equally likely
    assertThat(logL(0.1, DEPTH_1, new double[] {0.125})).isCloseTo(0.0, within(1e-9));
    // a mass scaled by kappa 0.5: m = 1.25, log L = 5 * 1.25 - 1.25^2 / 2
    final PathEvidence e = PathEvidence.of(new double[] {0.5}, 0.1, DEPTH_1, 0.5, 0.5, 1);
    assertThat(e.logRatio(0.5)).isCloseTo(5.46875, within(1e-9));
    // the scale update's terms, one branch and one depth: z * mass and mass^2, whatever kappa
    assertThat(e.emTerms(0.5)).containsExactly(new double[] {5.46875, 12.5, 6.25}, within(1e-9));
    // two branches, z = 4 and 0, mass 4 errors: weights e^8 and e^-8 (normalised), so z m = 16 w1, m^2 = 16
    final PathEvidence two = new PathEvidence(new double[] {4, 0}, new double[] {4}, new double[] {1});
    final double w1 = Math.exp(8) / (Math.exp(8) + Math.exp(-8));
    final double logL = Math.log((Math.exp(8) + Math.exp(-8)) / 2);
    assertThat(two.emTerms(1.0)).containsExactly(new double[] {logL, 16 * w1, 16}, within(1e-9));
    assertThat(new PathEvidence(new double[0], new double[] {4}, new double[] {1}).emTerms(1.0))
        .containsExactly(Double.NEGATIVE_INFINITY, 0, 0);
    // two steps below a module at depth 1: mass alpha * beta^2 = 0.125, 1.25 errors
    assertThat(PathEvidence.of(new double[] {0.5}, 0.1, DEPTH_1, 0.5, 0.5, 2).mass()).containsExactly(1.25);
  }

  @Test
  void branchesAreAveragedAndDepthsWeightedByTheirShare() {
    // two branches: log((e^9.375 + e^-3.125) / 2)
    final double two = Math.log((Math.exp(9.375) + Math.exp(-3.125)) / 2);
    assertThat(logL(0.1, DEPTH_1, new double[] {0.5, 0.0})).isCloseTo(two, within(1e-9));
    // a module seen 3 times at depth 0 and once at depth 1: m = 5 (share 3/4) or 2.5 (share 1/4); z = 5
    final Slots.Depths mixed = new Slots.Builder().depth("person", 0, 3).depth("person", 1, 1).depth("car", 1, 9)
        .build().depths("person");
    assertThat(mixed.depth()).containsExactly(0, 1);
    assertThat(mixed.share()).containsExactly(0.75, 0.25);
    final double expected = Math.log(0.75 * Math.exp(5 * 5 - 12.5) + 0.25 * Math.exp(9.375));
    assertThat(logL(0.1, mixed, new double[] {0.5})).isCloseTo(expected, within(1e-9));
  }

  @Test
  void noBranchMeansAbsentAndHugePresencesDoNotOverflow() {
    assertThat(logL(0.1, DEPTH_1, new double[0])).isEqualTo(Double.NEGATIVE_INFINITY);
    // z = 1,000, m = 25: log L = 25,000 - 312.5, where exp() alone is infinite
    assertThat(PathEvidence.of(new double[] {10.0, 0.0}, 0.01, DEPTH_1, 0.5, 0.5, 1).logRatio(1.0))
        .isCloseTo(25_000 - 312.5 - Math.log(2), within(1e-6));
  }

  @Test
  void aModuleTheNetworkNeverSawHasNoDepthsAndObjectlessDepthsAreIgnored() {
    final Slots slots = new Slots.Builder().depth("person", 2, 0).add("street", "0", "person").build();
    assertThat(slots.depths("person")).isNull();
    assertThat(slots.depths("street")).isNull();
    assertThat(Slots.POSITIONAL.depths("person")).isNull();
    assertThatThrownBy(() -> new Slots.Builder().depth("person", -1, 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("depth must be >= 0, got -1");
  }
}
