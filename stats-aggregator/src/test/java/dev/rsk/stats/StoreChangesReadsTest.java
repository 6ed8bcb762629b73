package dev.rsk.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Reads consistent per partition: what tears a read ({@link PartitionReads#beginRead}) and what does not. */
class StoreChangesReadsTest {

  private final StoreChanges changes = new StoreChanges();

  private boolean read(final Runnable body) {
    final ReadLog log = changes.reads().beginRead();
    body.run();
    return changes.reads().endRead(log);
  }

  @Test
  void aWriteOfAPartitionBetweenTwoReadsOfItTearsTheRead() {
    assertThat(read(() -> {
      changes.reads().noteRead(2);
      changes.beginWrite(2);
      changes.endWrite(2);
      changes.reads().noteRead(2);
    })).isFalse();
  }

  @Test
  void aStampIsAReadOfItsPartition() {
    // a kept piece is validated by its stamp instead of a store read: the stamp must count as the read
    assertThat(read(() -> {
      changes.dayStamp("store", 2, 0, Rollups.DAY_MS);
      changes.beginWrite(2);
      changes.endWrite(2);
      changes.reads().noteRead(2);
    })).isFalse();
    assertThat(read(() -> {
      changes.monthStamp("store", 2, 0, Rollups.nextMonth(0));
      changes.beginWrite(2);
      changes.endWrite(2);
      changes.reads().noteRead(2);
    })).isFalse();
    assertThat(read(() -> {
      changes.dayStamp("store", 1, 0, Rollups.DAY_MS); // another partition's stamp
      changes.beginWrite(2);
      changes.endWrite(2);
      changes.reads().noteRead(2);
    })).isTrue();
  }

  @Test
  void aReadDuringAWriteOfItsPartitionIsTornEvenIfNoteTakenOnce() {
    changes.beginWrite(2);
    assertThat(read(() -> changes.reads().noteRead(2))).isFalse();
    changes.endWrite(2);
    assertThat(read(() -> changes.reads().noteRead(2))).isTrue();
  }

  @Test
  void writesOfOtherPartitionsAndWritesBeforeOrAfterAPartitionsReadsLeaveItWhole() {
    assertThat(read(() -> {
      changes.beginWrite(1);
      changes.endWrite(1);
      changes.reads().noteRead(0);
      changes.beginWrite(1); // partition 1 written while partition 0 is read
      changes.reads().noteRead(0);
      changes.endWrite(1);
      changes.beginWrite(0); // partition 0 written after its last read
      changes.endWrite(0);
      changes.reads().noteRead(1); // partition 1 read once, after its write
    })).isTrue();
    assertThat(changes.stable()).isNotEqualTo(StoreChanges.WRITING); // every write ended
  }

  @Test
  void aRestoreOrRebalanceTearsEveryPartitionRead() {
    assertThat(read(() -> {
      changes.reads().noteRead(3); // never written: its stamp is the epoch's
      changes.changed();
      changes.reads().noteRead(3);
    })).isFalse();
    changes.beginWrite(3); // partition 3 written once before
    changes.endWrite(3);
    assertThat(read(() -> {
      changes.reads().noteRead(3);
      changes.beginWrite(3); // a write (its version moves by 2) and two rebalances (the epoch by 2)
      changes.endWrite(3);
      changes.changed();
      changes.changed();
      changes.reads().noteRead(3);
    })).isFalse();
  }

  @Test
  void notesGoToTheInnermostReadAndNotesOutsideAReadAreIgnored() {
    changes.reads().noteRead(0); // no read open: nothing to record
    final ReadLog outer = changes.reads().beginRead();
    changes.reads().noteRead(0);
    changes.beginWrite(0);
    changes.endWrite(0);
    final ReadLog inner = changes.reads().beginRead();
    changes.reads().noteRead(0);
    changes.beginWrite(0);
    changes.endWrite(0);
    changes.reads().noteRead(0);
    assertThat(changes.reads().endRead(inner)).isFalse(); // the inner read saw partition 0 before and after a write
    assertThat(changes.reads().endRead(outer)).isTrue(); // only its own note: an inner read retries itself
    assertThat(read(() -> changes.reads().noteRead(0))).isTrue(); // the closed logs record nothing more
  }

  @Test
  void aPartThatMixedTwoCommitsMakesTheReadAroundItInconsistentAndAWholePartDoesNot() {
    assertThat(read(() -> {
      changes.reads().noteRead(0); // the read itself reads partition 0, then two parts read it after a commit
      changes.beginWrite(0);
      changes.endWrite(0);
      assertThat(changes.reads().part(() -> {
        changes.reads().noteRead(0);
        changes.reads().noteRead(1);
        return "whole";
      })).isEqualTo("whole");
    })).isTrue(); // parts may come from a later commit than the read's own reads
    assertThat(read(() -> changes.reads().part(() -> {
      changes.reads().noteRead(1);
      changes.beginWrite(1);
      changes.endWrite(1);
      changes.reads().noteRead(1);
      return "torn";
    }))).isFalse();
    assertThat(changes.reads().part(() -> "no read open")).isEqualTo("no read open");
  }

  @Test
  void aReaderWaitsForItsPartitionsWriteToEndAndNoLongerThanTheBound() throws Exception {
    changes.beginWrite(0);
    // the reader returns only after the write ended (its return time, not its own duration: the task may start
    // late, so a duration measured inside it raced the sleep below)
    final CompletableFuture<Long> returnedAt = CompletableFuture.supplyAsync(() -> {
      changes.reads().awaitWrite(0, Duration.ofSeconds(30));
      return System.nanoTime();
    });
    Thread.sleep(100);
    assertThat(returnedAt).isNotDone();
    final long endedAt = System.nanoTime();
    changes.endWrite(0);
    assertThat(returnedAt.get(10, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(endedAt);

    changes.beginWrite(1); // another partition's write: no wait
    final long start = System.nanoTime();
    changes.reads().awaitWrite(0, Duration.ofSeconds(30));
    assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(5));
    final long bounded = System.nanoTime();
    changes.reads().awaitWrite(1, Duration.ofMillis(50)); // a write that does not end: waits out the bound
    assertThat(System.nanoTime() - bounded).isBetween(TimeUnit.MILLISECONDS.toNanos(50), TimeUnit.SECONDS.toNanos(5));
    changes.endWrite(1);
  }

  @Test
  void awaitStableReturnsTheVersionOnceEveryWriteEndedOrWritingAfterTheBound() throws Exception {
    final long before = changes.stable();
    changes.beginWrite(0);
    changes.beginWrite(1);
    final CompletableFuture<Long> waited = CompletableFuture.supplyAsync(() -> changes.awaitStable(
        Duration.ofSeconds(30)));
    changes.endWrite(0);
    Thread.sleep(50);
    assertThat(waited).isNotDone(); // partition 1 still writes
    changes.endWrite(1);
    assertThat(waited.get(10, TimeUnit.SECONDS)).isEqualTo(before + 4).isEqualTo(changes.stable());
    changes.beginWrite(2);
    assertThat(changes.awaitStable(Duration.ofMillis(20))).isEqualTo(StoreChanges.WRITING);
    changes.endWrite(2);
  }

  @Test
  void readsOnOtherThreadsAreTheirOwn() throws Exception {
    final ReadLog mine = changes.reads().beginRead();
    changes.reads().noteRead(0);
    final boolean theirs = CompletableFuture.supplyAsync(() -> read(() -> {
      changes.reads().noteRead(0);
      changes.beginWrite(0);
      changes.endWrite(0);
      changes.reads().noteRead(0);
    })).get(10, TimeUnit.SECONDS);
    assertThat(theirs).isFalse();
    assertThat(changes.reads().endRead(mine)).isTrue(); // the write came after this thread's only note
  }
}
