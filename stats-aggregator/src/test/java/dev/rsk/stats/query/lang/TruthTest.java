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
}
