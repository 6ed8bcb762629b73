package dev.rsk.stats.query.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** A decoded path's likelihood ratio ({@link PathDecoder#logRatio}) and the depths it takes from the network. */
class LikelihoodRatioTest {

  private static final Slots.Depths DEPTH_1 = new Slots.Builder().depth("person", 1, 7).build().depths("person");

  @Test
  void oneBranchAtOneDepthIsTheNormalLikelihoodRatio() {
    // mass alpha^1 * beta = 0.25, sigma 0.1: m = 2.5 errors; presence 0.5: z = 5; log L = 5 * 2.5 - 2.5^2 / 2
    assertThat(PathDecoder.logRatio(new double[] {0.5}, 0.1, DEPTH_1, 0.5, 0.5)).isCloseTo(9.375, within(1e-9));
    // at half the mass the two hypotheses are equally likely
    assertThat(PathDecoder.logRatio(new double[] {0.125}, 0.1, DEPTH_1, 0.5, 0.5)).isCloseTo(0.0, within(1e-9));
  }

  @Test
  void branchesAreAveragedAndDepthsWeightedByTheirShare() {
    // two branches: log((e^9.375 + e^-3.125) / 2)
    final double two = Math.log((Math.exp(9.375) + Math.exp(-3.125)) / 2);
    assertThat(PathDecoder.logRatio(new double[] {0.5, 0.0}, 0.1, DEPTH_1, 0.5, 0.5)).isCloseTo(two, within(1e-9));
    // a module seen 3 times at depth 0 and once at depth 1: m = 5 (share 3/4) or 2.5 (share 1/4); z = 5
    final Slots.Depths mixed = new Slots.Builder().depth("person", 0, 3).depth("person", 1, 1).depth("car", 1, 9)
        .build().depths("person");
    assertThat(mixed.depth()).containsExactly(0, 1);
    assertThat(mixed.share()).containsExactly(0.75, 0.25);
    final double expected = Math.log(0.75 * Math.exp(5 * 5 - 12.5) + 0.25 * Math.exp(9.375));
    assertThat(PathDecoder.logRatio(new double[] {0.5}, 0.1, mixed, 0.5, 0.5)).isCloseTo(expected, within(1e-9));
  }

  @Test
  void noBranchMeansAbsentAndHugePresencesDoNotOverflow() {
    assertThat(PathDecoder.logRatio(new double[0], 0.1, DEPTH_1, 0.5, 0.5)).isEqualTo(Double.NEGATIVE_INFINITY);
    // z = 1,000, m = 25: log L = 25,000 - 312.5, where exp() alone is infinite
    assertThat(PathDecoder.logRatio(new double[] {10.0, 0.0}, 0.01, DEPTH_1, 0.5, 0.5))
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
