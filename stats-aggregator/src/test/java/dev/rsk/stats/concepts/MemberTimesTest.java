package dev.rsk.stats.concepts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The density test's member times: the horizon's edges, the limit, the order. */
class MemberTimesTest {

  private static MemberTimes of(final int limit, final long... kept) {
    return new MemberTimes(kept.clone(), kept.length, limit);
  }

  @Test
  void theLimitIsTheHorizonsWindowsOfOneMemberTooFewPlusAWindowAndOneToSpare() {
    assertThat(MemberTimes.limit(12)).isEqualTo(11 * 321 + 1);
    assertThat(MemberTimes.limit(2)).isEqualTo(322);
  }

  @Test
  void aTimeExactlyAtTheHorizonIsKeptAndOneBeforeItIsNot() {
    final MemberTimes t = of(100, 1_000L);
    t.keep(499L, 500L);
    assertThat(t.times()).containsExactly(1_000L);
    t.keep(500L, 500L);
    assertThat(t.times()).containsExactly(500L, 1_000L);
  }

  @Test
  void aNewNewestDropsOnlyTheTimesItLeavesBeyondTheHorizon() {
    final MemberTimes t = of(100, 400L, 500L, 1_000L);
    t.keep(1_500L, 1_000L); // the horizon now starts at 500: 400 goes, 500 stays
    assertThat(t.times()).containsExactly(500L, 1_000L, 1_500L);
    t.keep(90_000L, 1_000L); // far ahead: every earlier time goes
    assertThat(t.times()).containsExactly(90_000L);
  }

  @Test
  void lateTimesAreSortedInAndTheArrayGrowsToTheLimit() {
    final MemberTimes t = of(40);
    for (int i = 39; i >= 0; i--) { // newest first
      t.keep(1_000L + i, 1_000L);
    }
    final long[] expected = new long[40];
    for (int i = 0; i < 40; i++) {
      expected[i] = 1_000L + i;
    }
    assertThat(t.times()).containsExactly(expected);
    assertThat(t.denseAt(40, 39L)).isEqualTo(1_039L);
    assertThat(t.denseAt(40, 38L)).isEqualTo(-1L);
    assertThat(t.denseAt(3, 2L)).as("the first window of 3").isEqualTo(1_002L);
  }

  @Test
  void atTheLimitTheOldestGivesWayAndAnOlderTimeIsNotKept() {
    final MemberTimes t = of(3, 200L, 300L, 400L);
    t.keep(350L, 1_000L);
    assertThat(t.times()).containsExactly(300L, 350L, 400L);
    t.keep(250L, 1_000L);
    assertThat(t.times()).containsExactly(300L, 350L, 400L);
    t.clear();
    assertThat(t.times()).isEmpty();
    assertThat(t.denseAt(1, 0L)).isEqualTo(-1L);
    assertThat(t.limit()).isEqualTo(3);
  }
}
