package dev.rsk.stats.query.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Combining decisions: values, probabilities as if independent, and when a coin flip leaves one undecided. */
class TruthTest {

  private static final Truth COIN = Truth.unreadable(0.5);
  private static final Truth LIKELY = new Truth(true, 0.9, false);

  @Test
  void anUnreadableTermIsADecodedFalseCoinFlip() {
    assertThat(COIN.value()).isFalse();
    assertThat(COIN.p()).isEqualTo(0.5);
    assertThat(COIN.exact()).isFalse();
    assertThat(COIN.undecided()).isTrue();
    assertThat(COIN.variance()).isEqualTo(0.5);
    assertThat(LIKELY.undecided()).isFalse();
    assertThat(Truth.TRUE.undecided()).isFalse();
    assertThat(Truth.FALSE.undecided()).isFalse();
  }

  @Test
  void notKeepsItUndecidedAndFlipsTheRest() {
    final Truth n = COIN.not();
    assertThat(n.value()).isTrue();
    assertThat(n.p()).isEqualTo(0.5);
    assertThat(n.undecided()).isTrue();
    assertThat(LIKELY.not().p()).isCloseTo(0.1, within(1e-12));
    assertThat(LIKELY.not().variance()).isCloseTo(0.1, within(1e-12));
  }

  @Test
  void onlyAnExactSideDecidesOverACoinFlip() {
    // an exact false decides an and, an exact true an or: the coin no longer matters
    assertThat(COIN.and(Truth.FALSE).undecided()).isFalse();
    assertThat(Truth.FALSE.and(COIN).undecided()).isFalse();
    assertThat(COIN.or(Truth.TRUE).undecided()).isFalse();
    assertThat(Truth.TRUE.or(COIN).undecided()).isFalse();
    // the other exact values leave it to the coin
    assertThat(COIN.and(Truth.TRUE).undecided()).isTrue();
    assertThat(COIN.or(Truth.FALSE).undecided()).isTrue();
    // a decoded side, however likely, decides nothing for sure
    assertThat(COIN.and(LIKELY).undecided()).isTrue();
    assertThat(LIKELY.or(COIN).undecided()).isTrue();
    assertThat(LIKELY.and(LIKELY).undecided()).isFalse();
    // probabilities as if independent
    final Truth and = COIN.and(LIKELY);
    assertThat(and.value()).isFalse();
    assertThat(and.p()).isCloseTo(0.45, within(1e-12));
    final Truth or = COIN.or(LIKELY);
    assertThat(or.value()).isTrue();
    assertThat(or.p()).isCloseTo(0.95, within(1e-12));
    assertThat(or.exact()).isFalse();
  }

  private static final Path RIDER = new Path(java.util.List.of("person", "bicycle"), 0);

  /** One branch at z = 2 errors of a mass of 2 errors: log L = 2 * 2 - 2^2 / 2 = 2 at scale 1. */
  private static final PathEvidence LOG_L_2 = new PathEvidence(new double[] {2}, new double[] {2}, new double[] {1});
  private static final PriorFit.Fit EVEN = new PriorFit.Fit(0.0, 1.0);

  /** A decoded path: decided true, the older model's p 0.9, and its evidence (P = 0.881 at even odds). */
  private static Truth decoded(final PathEvidence evidence) {
    return new Truth(true, 0.9, false, false, new Truth.Calibration(RIDER, evidence, 0.0, 1.0));
  }

  @Test
  void aCalibrationIsTheProbabilityOfTheLikelihoodRatioAndThePrior() {
    final Truth.Calibration c = decoded(LOG_L_2).calibration();
    assertThat(c.probability(EVEN)).isCloseTo(1 / (1 + Math.exp(-2.0)), within(1e-12));
    assertThat(c.probability(new PriorFit.Fit(-2.0, 1.0))).isCloseTo(0.5, within(1e-12));
    // at scale 1/2: m = 1, log L = 2 - 1/2
    assertThat(c.probability(new PriorFit.Fit(0.0, 0.5))).isCloseTo(1 / (1 + Math.exp(-1.5)), within(1e-12));
    final PathEvidence none = new PathEvidence(new double[0], new double[] {2}, new double[] {1});
    assertThat(new Truth.Calibration(RIDER, none, 0.0, 1.0).probability(new PriorFit.Fit(3.0, 1.0))).isZero();
  }

  @Test
  void exactSidesKeepTheCalibrationAsAnAffineFunctionOfThePathsProbability() {
    final double pp = decoded(LOG_L_2).calibration().probability(EVEN);
    // not: 1 - P
    assertThat(decoded(LOG_L_2).not().calibration().probability(EVEN)).isCloseTo(1 - pp, within(1e-12));
    // and with an exact true: P, either way round; or with an exact false: P
    assertThat(decoded(LOG_L_2).and(Truth.TRUE).calibration().probability(EVEN)).isCloseTo(pp, within(1e-12));
    assertThat(Truth.TRUE.and(decoded(LOG_L_2)).calibration().probability(EVEN)).isCloseTo(pp, within(1e-12));
    assertThat(Truth.FALSE.or(decoded(LOG_L_2)).calibration().probability(EVEN)).isCloseTo(pp, within(1e-12));
    // !(path) | exact false, then & exact true: 1 - P
    assertThat(decoded(LOG_L_2).not().or(Truth.FALSE).and(Truth.TRUE).calibration().probability(EVEN))
        .isCloseTo(1 - pp, within(1e-12));
    // an exact side that decides makes the probability constant: and false 0, or true 1
    assertThat(decoded(LOG_L_2).and(Truth.FALSE).calibration().probability(EVEN)).isZero();
    assertThat(decoded(LOG_L_2).or(Truth.TRUE).calibration().probability(EVEN)).isEqualTo(1.0);
    assertThat(decoded(LOG_L_2).calibration().term()).isEqualTo(RIDER);
  }

  @Test
  void twoDecodedSidesDropTheCalibration() {
    assertThat(decoded(LOG_L_2).and(decoded(LOG_L_2)).calibration()).isNull();
    assertThat(decoded(LOG_L_2).or(LIKELY).calibration()).isNull();
    assertThat(LIKELY.and(decoded(LOG_L_2)).calibration()).isNull();
    assertThat(LIKELY.calibration()).isNull();
    assertThat(Truth.TRUE.not().calibration()).isNull();
  }

  @Test
  void theAffineCoefficientsCombineAsTheProbabilitiesDo() {
    final Truth t = new Truth(true, 0.9, false, false, new Truth.Calibration(RIDER, LOG_L_2, 0.2, 0.5));
    final Truth.Calibration not = t.not().calibration();
    assertThat(not.a()).isCloseTo(0.8, within(1e-12));
    assertThat(not.b()).isCloseTo(-0.5, within(1e-12));
    // an exact side with p 0.25 does not occur, but the algebra is the probabilities': and p e, or e + (1 - e) p
    final Truth quarter = new Truth(true, 0.25, true);
    final Truth.Calibration and = t.and(quarter).calibration();
    assertThat(and.a()).isCloseTo(0.05, within(1e-12));
    assertThat(and.b()).isCloseTo(0.125, within(1e-12));
    final Truth.Calibration or = t.or(quarter).calibration();
    assertThat(or.a()).isCloseTo(0.25 + 0.75 * 0.2, within(1e-12));
    assertThat(or.b()).isCloseTo(0.75 * 0.5, within(1e-12));
    assertThat(quarter.or(t).calibration()).isEqualTo(or);
    assertThat(or.evidence()).isSameAs(LOG_L_2);
  }
}
