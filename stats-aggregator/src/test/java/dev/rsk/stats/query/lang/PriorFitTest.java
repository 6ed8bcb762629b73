package dev.rsk.stats.query.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The prior and mass scale of a decoded path, fitted by EM, recover the share that had it and its mean. */
class PriorFitTest {

  /** One branch, one depth of mass m: presence z ~ N(kappa m, 1) when present, N(0, 1) when not. */
  private static List<PathEvidence> mixture(final double share, final double m, final double kappa, final int n,
      final long seed) {
    final Random random = new Random(seed);
    final List<PathEvidence> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      final double z = random.nextGaussian() + (random.nextDouble() < share ? kappa * m : 0.0);
      out.add(evidence(z, m));
    }
    return out;
  }

  private static PathEvidence evidence(final double z, final double m) {
    return new PathEvidence(new double[] {z}, new double[] {m}, new double[] {1.0});
  }

  private static double prior(final PriorFit.Fit fit) {
    return 1.0 / (1.0 + Math.exp(-fit.logitPrior()));
  }

  @Test
  void recoversTheShareOfInferencesThatHadThePath() {
    // 2,000 inferences (all read: PriorFit.SAMPLE): the share's own sampling error is about 0.01 at 0.8 and
    // 0.5, 0.005 at 0.05; 0.03 is about 3 of them
    final PriorFit.Fit common = PriorFit.fit(mixture(0.8, 3.0, 1.0, 2_000, 1L));
    assertThat(prior(common)).isCloseTo(0.8, within(0.03));
    assertThat(common.kappa()).isCloseTo(1.0, within(0.05));
    assertThat(prior(PriorFit.fit(mixture(0.05, 3.0, 1.0, 2_000, 2L)))).isCloseTo(0.05, within(0.02));
    assertThat(prior(PriorFit.fit(mixture(0.5, 4.0, 1.0, 2_000, 3L)))).isCloseTo(0.5, within(0.03));
  }

  @Test
  void iteratesToTheFixedPointWhereOneStepIsFarFromIt() {
    // 2 errors apart the two kinds overlap: one EM step from 1/2 stays near 0.6, the fixed point is the share;
    // 20,000 inferences: the fit reads every tenth one (PriorFit.SAMPLE)
    final PriorFit.Fit fit = PriorFit.fit(mixture(0.8, 2.0, 1.0, 20_000, 5L));
    assertThat(prior(fit)).isCloseTo(0.8, within(0.05));
    assertThat(fit.kappa()).isCloseTo(1.0, within(0.1));
  }

  @Test
  void recoversAMassThatCrossTalkHalved() {
    // present paths read half their mass (4 errors expected, 2 read): a fixed scale of 1 would call them absent
    final PriorFit.Fit fit = PriorFit.fit(mixture(0.8, 4.0, 0.5, 2_000, 4L));
    assertThat(fit.kappa()).isCloseTo(0.5, within(0.05));
    assertThat(prior(fit)).isCloseTo(0.8, within(0.05));
  }

  @Test
  void holdsThePriorAndTheScaleInTheirBounds() {
    final List<PathEvidence> e = List.of(evidence(40, 4), evidence(40, 4), evidence(40, 4), evidence(-40, 4),
        evidence(-40, 4));
    // all clearly present: the prior goes to its ceiling, not to 1 (a logit of infinity); the scale (40 / 4) to its
    final PriorFit.Fit present = PriorFit.fit(e.subList(0, 3));
    assertThat(prior(present)).isCloseTo(1 - PriorFit.FLOOR, within(1e-9));
    assertThat(present.logitPrior()).isFinite();
    assertThat(present.kappa()).isEqualTo(PriorFit.KAPPA_MAX);
    assertThat(prior(PriorFit.fit(e.subList(3, 5)))).isCloseTo(PriorFit.FLOOR, within(1e-9));
    assertThat(prior(PriorFit.fit(e))).isCloseTo(0.6, within(1e-6));
    // present paths that read below nothing: the scale stops at its floor
    assertThat(PriorFit.fit(List.of(evidence(-0.5, 4), evidence(0.1, 4))).kappa()).isEqualTo(PriorFit.KAPPA_MIN);
    // paths never found give nothing to scale by: the scale stays 1 (not 0 / 0)
    final PathEvidence never = new PathEvidence(new double[0], new double[] {4}, new double[] {1.0});
    assertThat(PriorFit.fit(List.of(never, never)).kappa()).isEqualTo(1.0);
    // nothing decoded: even odds, scale 1
    assertThat(PriorFit.fit(List.of())).isEqualTo(new PriorFit.Fit(0.0, 1.0));
    // a path never found along any slot counts as clearly absent
    final PathEvidence none = new PathEvidence(new double[0], new double[] {4}, new double[] {1.0});
    assertThat(prior(PriorFit.fit(List.of(none, evidence(40, 4))))).isCloseTo(0.5, within(1e-6));
    assertThat(PriorFit.fit(List.of(none, evidence(40, 4))).probability(none)).isZero();
  }
}
