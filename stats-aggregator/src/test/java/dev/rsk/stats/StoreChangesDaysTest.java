package dev.rsk.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The day stamps of {@link StoreChanges}: what moves them, and the bound on the days a store partition keeps. */
class StoreChangesDaysTest {

  private static final long HOUR = 3_600_000L;
  private static final long DAY = 24 * HOUR;
  private static final long MAR = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
  private static final String FINE = StatsStores.ATTRIBUTE_STATS;

  private static void write(final StoreChanges changes, final int partition, final Long... starts) {
    changes.beginMonthWrite(FINE, partition, List.of(starts));
    changes.endMonthWrite(FINE, partition);
  }

  @Test
  void aDaysStampMovesWithItsDaysWritesTheHorizonAndTheEpochOnly() {
    final StoreChanges changes = new StoreChanges();
    assertThat(changes.dayStamp(FINE, 0, MAR, MAR + 3 * DAY)).containsExactly(0, 0, 0); // epoch, horizon, sum of days

    changes.beginMonthWrite(FINE, 0, List.of(MAR + 3 * DAY));                      // a newer day: the horizon moves
    assertThat(changes.dayStamp(FINE, 0, MAR, MAR + 3 * DAY)).isNull();            // being written
    changes.endMonthWrite(FINE, 0);
    assertThat(changes.dayStamp(FINE, 0, MAR, MAR + 3 * DAY)).containsExactly(0, 1, 0);

    write(changes, 0, MAR + DAY, MAR + DAY + 6 * HOUR);                            // two rows of one day: one move
    assertThat(changes.dayStamp(FINE, 0, MAR, MAR + 3 * DAY)).containsExactly(0, 1, 1);
    write(changes, 0, MAR + DAY);
    write(changes, 0, MAR + 2 * DAY);
    assertThat(changes.dayStamp(FINE, 0, MAR, MAR + 3 * DAY)).containsExactly(0, 1, 3);
    assertThat(changes.dayStamp(FINE, 0, MAR + DAY, MAR + 2 * DAY)).containsExactly(0, 1, 2);
    assertThat(changes.dayStamp(FINE, 0, MAR + 2 * DAY, MAR + 4 * DAY)).containsExactly(0, 1, 2); // newest day too
    assertThat(changes.dayStamp(FINE, 0, MAR, MAR)).containsExactly(0, 1, 0);     // no day
    assertThat(changes.dayStamp(FINE, 0, MAR + DAY + HOUR, MAR + DAY + HOUR)).containsExactly(0, 1, 0); // none
    assertThat(changes.dayStamp(FINE, 0, MAR + DAY + HOUR, MAR + DAY + 2 * HOUR)).containsExactly(0, 1, 2);

    write(changes, 1, MAR);                                                       // another partition
    changes.beginMonthWrite(StatsStores.PRESENCE_DAILY, 0, List.of(MAR));          // another store
    changes.endMonthWrite(StatsStores.PRESENCE_DAILY, 0);
    changes.beginWrite(0);                                                         // a commit of no fine row
    changes.endWrite(0);
    assertThat(changes.dayStamp(FINE, 0, MAR, MAR + 3 * DAY)).containsExactly(0, 1, 3);
    assertThat(changes.dayStamp(FINE, 1, MAR, MAR + DAY)).containsExactly(0, 1, 1);
    assertThat(changes.monthStamp(FINE, 0, MAR, MAR + 31 * DAY)).containsExactly(0, 1, 4); // months still counted

    changes.changed();                                                            // restore, discard, rebalance
    assertThat(changes.dayStamp(FINE, 0, MAR, MAR + 3 * DAY)).containsExactly(1, 1, 3);
  }

  /** An end without its begin is ignored: the next write still keeps its partition's stamps from being taken. */
  @Test
  void anUnmatchedEndDoesNotHideTheNextWrite() {
    final StoreChanges changes = new StoreChanges();
    write(changes, 0, MAR);
    changes.endMonthWrite(FINE, 0);
    changes.beginMonthWrite(FINE, 0, List.of(MAR));
    assertThat(changes.dayStamp(FINE, 0, MAR, MAR + DAY)).isNull();
    assertThat(changes.monthStamp(FINE, 0, MAR, MAR + 31 * DAY)).isNull();
    changes.endMonthWrite(FINE, 0);
    assertThat(changes.dayStamp(FINE, 0, MAR, MAR + DAY)).containsExactly(0, 1, 2);
    changes.endMonthWrite(FINE, 7); // a partition never written
    assertThat(changes.dayStamp(FINE, 7, MAR, MAR + DAY)).containsExactly(0, 0, 0);
  }

  /** A year's stamp moves with a write of any one of its days, and not with writes outside it. */
  @Test
  void aYearsStampMovesWithAWriteOfAnyOfItsDaysOnly() {
    final StoreChanges changes = new StoreChanges();
    final long from = MAR - 365 * DAY;
    write(changes, 0, MAR + DAY); // the newest, after the range: horizon 1
    long[] before = changes.dayStamp(FINE, 0, from, MAR);
    for (int day = 0; day < 365; day += 37) {
      write(changes, 0, from + day * DAY + 5 * HOUR);
      final long[] after = changes.dayStamp(FINE, 0, from, MAR);
      assertThat(after).as("day %d", day).isNotEqualTo(before);
      before = after;
    }
    write(changes, 0, from - DAY);                                                // before the range
    write(changes, 0, MAR);                                                      // after it
    assertThat(changes.dayStamp(FINE, 0, from, MAR)).isEqualTo(before);
  }

  /** Past {@link StoreChanges#MAX_DAYS} days the sequences are forgotten; the horizon moves so no old stamp matches. */
  @Test
  void aStorePartitionForgetsItsDaysPastTheBoundAndMovesItsHorizon() {
    final StoreChanges changes = new StoreChanges();
    final long[] unwritten = changes.dayStamp(FINE, 0, MAR - DAY, MAR);
    assertThat(unwritten).containsExactly(0, 0, 0);
    write(changes, 0, MAR - DAY);                                                 // the newest: horizon 1
    for (int i = 2; i <= StoreChanges.MAX_DAYS; i++) {
      write(changes, 0, MAR - i * DAY);                                           // older days: MAX_DAYS kept
    }
    assertThat(changes.dayStamp(FINE, 0, MAR - DAY, MAR)).containsExactly(0, 1, 1);
    write(changes, 0, MAR - (StoreChanges.MAX_DAYS + 1) * DAY);                   // one more: all forgotten
    final long[] forgotten = changes.dayStamp(FINE, 0, MAR - DAY, MAR);
    assertThat(forgotten).containsExactly(0, 2, 0);
    assertThat(forgotten).isNotEqualTo(unwritten);
    write(changes, 0, MAR - DAY);
    assertThat(changes.dayStamp(FINE, 0, MAR - DAY, MAR)).containsExactly(0, 2, 1);
  }
}
