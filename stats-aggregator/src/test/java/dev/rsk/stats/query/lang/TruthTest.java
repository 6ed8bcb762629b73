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

  /** A decoded path: decided true, today's p 0.9, log likelihood ratio 2 (P = 0.881 at even odds). */
  private static Truth decoded(final double logRatio) {
    return new Truth(true, 0.9, false, false, new Truth.Calibration(RIDER, logRatio, 0.0, 1.0));
  }

  @Test
  void aCalibrationIsTheProbabilityOfTheLikelihoodRatioAndThePrior() {
    final Truth.Calibration c = decoded(2.0).calibration();
    assertThat(c.probability(0.0)).isCloseTo(1 / (1 + Math.exp(-2.0)), within(1e-12));
    assertThat(c.probability(-2.0)).isCloseTo(0.5, within(1e-12));
    assertThat(new Truth.Calibration(RIDER, Double.NEGATIVE_INFINITY, 0.0, 1.0).probability(3.0)).isZero();
  }

  @Test
  void exactSidesKeepTheCalibrationAsAnAffineFunctionOfThePathsProbability() {
    final double pp = decoded(2.0).calibration().probability(0.0);
    // not: 1 - P
    assertThat(decoded(2.0).not().calibration().probability(0.0)).isCloseTo(1 - pp, within(1e-12));
    // and with an exact true: P, either way round; or with an exact false: P
    assertThat(decoded(2.0).and(Truth.TRUE).calibration().probability(0.0)).isCloseTo(pp, within(1e-12));
    assertThat(Truth.TRUE.and(decoded(2.0)).calibration().probability(0.0)).isCloseTo(pp, within(1e-12));
    assertThat(Truth.FALSE.or(decoded(2.0)).calibration().probability(0.0)).isCloseTo(pp, within(1e-12));
    // !(path) | exact false, then & exact true: 1 - P
    assertThat(decoded(2.0).not().or(Truth.FALSE).and(Truth.TRUE).calibration().probability(0.0))
        .isCloseTo(1 - pp, within(1e-12));
    // an exact side that decides makes the probability constant: and false 0, or true 1
    assertThat(decoded(2.0).and(Truth.FALSE).calibration().probability(0.0)).isZero();
    assertThat(decoded(2.0).or(Truth.TRUE).calibration().probability(0.0)).isEqualTo(1.0);
    assertThat(decoded(2.0).calibration().term()).isEqualTo(RIDER);
  }

  @Test
  void twoDecodedSidesDropTheCalibration() {
    assertThat(decoded(2.0).and(decoded(1.0)).calibration()).isNull();
    assertThat(decoded(2.0).or(LIKELY).calibration()).isNull();
    assertThat(LIKELY.and(decoded(2.0)).calibration()).isNull();
    assertThat(LIKELY.calibration()).isNull();
    assertThat(Truth.TRUE.not().calibration()).isNull();
  }
}
