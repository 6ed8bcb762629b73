package dev.rsk.api.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rsk.stats.StoreChanges;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AnswerCacheTest {

  private final StoreChanges changes = new StoreChanges();
  private final AtomicInteger reads = new AtomicInteger();

  /** A read of a store of partition 0 (noted, as the queries' store reads are). */
  private String read(final AnswerCache cache, final String key) {
    return cache.get(key, () -> {
      changes.reads().noteRead(0);
      return key + "#" + reads.incrementAndGet();
    }, v -> 10);
  }

  /** Two reads of partition 0's stores with {@code between} in between. */
  private void twoReadsOfPartition0(final Runnable between) {
    changes.reads().noteRead(0);
    between.run();
    changes.reads().noteRead(0);
  }

  @Test
  void keepsAnAnswerUntilTheStoresChange() {
    final AnswerCache cache = new AnswerCache(changes, 1_000);
    assertThat(read(cache, "a")).isEqualTo("a#1");
    assertThat(read(cache, "a")).isEqualTo("a#1");
    assertThat(read(cache, "b")).isEqualTo("b#2");
    changes.beginWrite(0);
    changes.endWrite(0);
    assertThat(read(cache, "a")).isEqualTo("a#3");
    assertThat(read(cache, "a")).isEqualTo("a#3");
    changes.changed();
    assertThat(read(cache, "a")).isEqualTo("a#4");
  }

  @Test
  void whileAWriteIsInProgressEveryRequestReadsAgainAndNothingIsKept() {
    final AnswerCache cache = new AnswerCache(changes, 1_000);
    changes.beginWrite(0);
    // a write that never ends: each request reads once and then TORN_READ_RETRIES times more, in vain
    final int reads = 1 + AnswerCache.TORN_READ_RETRIES;
    assertThat(read(cache, "a")).isEqualTo("a#" + reads);
    assertThat(read(cache, "a")).isEqualTo("a#" + 2 * reads);
    assertThat(cache.size()).isZero();
    changes.endWrite(0);
    assertThat(read(cache, "a")).isEqualTo("a#" + (2 * reads + 1));
    assertThat(read(cache, "a")).isEqualTo("a#" + (2 * reads + 1));
  }

  @Test
  void aRequestDuringAWriteWaitsForItsEndAndKeepsItsAnswer() throws Exception {
    final AnswerCache cache = new AnswerCache(changes, 1_000);
    changes.beginWrite(0);
    final Thread requester = Thread.currentThread();
    final java.util.concurrent.CompletableFuture<Void> end = java.util.concurrent.CompletableFuture.runAsync(() -> {
      while (requester.getState() != Thread.State.TIMED_WAITING) { // the request waits for the write
        Thread.onSpinWait();
      }
      changes.endWrite(0);
    });
    assertThat(read(cache, "a")).isEqualTo("a#1"); // read once, after the write, at a version that holds
    end.get(10, TimeUnit.SECONDS);
    assertThat(read(cache, "a")).isEqualTo("a#1"); // kept
    assertThat(cache.size()).isEqualTo(1);
  }

  @Test
  void aRequestDuringAWriteThatDoesNotEndWaitsTheBoundThenReadsAlone() {
    final AnswerCache cache = new AnswerCache(changes, 1_000);
    changes.beginWrite(1); // another partition's write, never ending: the read of partition 0 is whole
    final long start = System.nanoTime();
    assertThat(read(cache, "a")).isEqualTo("a#1");
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(AnswerCache.WRITE_WAIT.toNanos());
    assertThat(cache.size()).isZero(); // read during a write: not kept
    changes.endWrite(1);
  }

  @Test
  void aReadOverlappedByAWriteIsReadAgainOnce() {
    final AnswerCache cache = new AnswerCache(changes, 0); // off: the read is still made stable
    final java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
    final String answer = cache.get("a", () -> {
      if (reads.incrementAndGet() == 1) { // a commit of partition 0 between two of the first read's reads of it
        twoReadsOfPartition0(this::commit);
      } else {
        twoReadsOfPartition0(() -> { });
      }
      return "a#" + reads.get();
    }, v -> 1);
    assertThat(answer).isEqualTo("a#2");
    assertThat(reads).hasValue(2);
  }

  @Test
  void aReadThatStartsWhileItsPartitionIsWrittenIsReadAgain() {
    final AnswerCache cache = new AnswerCache(changes, 0);
    final AtomicInteger calls = new AtomicInteger();
    changes.beginWrite(0);
    final String answer = cache.get("a", () -> {
      changes.reads().noteRead(0); // the first attempt finds partition 0 written
      if (calls.incrementAndGet() == 1) {
        changes.endWrite(0);
      }
      return "a#" + calls.get();
    }, v -> 1);
    assertThat(answer).isEqualTo("a#2");
  }

  @Test
  void aCommitOfAnotherPartitionOrOutsideThePartitionsReadsDoesNotRepeatTheRead() {
    final AnswerCache cache = new AnswerCache(changes, 1_000);
    final AtomicInteger calls = new AtomicInteger();
    final String answer = cache.get("a", () -> {
      calls.incrementAndGet();
      twoReadsOfPartition0(() -> {
        changes.beginWrite(1); // another partition's commit: its task writes its own stores
        changes.endWrite(1);
      });
      changes.beginWrite(0); // partition 0 written after its last read: the answer is partition 0 before it
      changes.endWrite(0);
      changes.reads().noteRead(1); // and partition 1 read after its commit, once
      return "a#" + calls.get();
    }, v -> 10);
    assertThat(answer).isEqualTo("a#1");
    assertThat(calls).hasValue(1);
    assertThat(cache.size()).isZero(); // the version moved: not kept
    changes.beginWrite(1); // a write of partition 1 in progress does not touch reads of partition 0
    assertThat(read(cache, "b")).isEqualTo("b#1");
    changes.endWrite(1);
  }

  @Test
  void aRebalanceOrRestoreDuringTheReadRepeatsIt() {
    final AnswerCache cache = new AnswerCache(changes, 0);
    final AtomicInteger calls = new AtomicInteger();
    final String answer = cache.get("a", () -> {
      twoReadsOfPartition0(calls.incrementAndGet() == 1 ? changes::changed : () -> { });
      return "a#" + calls.get();
    }, v -> 1);
    assertThat(answer).isEqualTo("a#2");
  }

  @Test
  void anInnerReadRepeatsItselfAndTheReadAroundItDoesNot() {
    final AnswerCache cache = new AnswerCache(changes, 0);
    final AtomicInteger outer = new AtomicInteger();
    final AtomicInteger inner = new AtomicInteger();
    final String whole = cache.get("whole", () -> {
      outer.incrementAndGet();
      changes.reads().noteRead(0); // the whole answer reads partition 0, then a part reads it across a commit
      final String part = cache.get("part", () -> {
        if (inner.incrementAndGet() == 1) {
          twoReadsOfPartition0(this::commit);
        }
        return "part#" + inner.get();
      }, v -> 1);
      return part + "/" + outer.get();
    }, v -> 1);
    assertThat(whole).isEqualTo("part#2/1"); // the part read twice, the whole once: no retries of retries
  }

  @Test
  void failuresAreNotKeptAndABudgetOfZeroReadsEveryTime() {
    final AnswerCache cache = new AnswerCache(changes, 1_000);
    assertThatThrownBy(() -> cache.get("a", () -> {
      throw new IllegalStateException("store migrating");
    }, v -> 10)).isInstanceOf(IllegalStateException.class).hasMessage("store migrating");
    assertThat(read(cache, "a")).isEqualTo("a#1");
    final AnswerCache off = new AnswerCache(changes, 0);
    assertThat(read(off, "a")).isEqualTo("a#2");
    assertThat(read(off, "a")).isEqualTo("a#3");
  }

  @Test
  void evictsTheLeastRecentlyUsedBeyondTheBudget() {
    final AnswerCache cache = new AnswerCache(changes, 25); // two answers of 10
    read(cache, "a");
    read(cache, "b");
    read(cache, "a"); // a is now the most recently used
    read(cache, "c"); // evicts b
    assertThat(cache.bytes()).isEqualTo(20);
    assertThat(read(cache, "a")).isEqualTo("a#1");
    assertThat(read(cache, "b")).isEqualTo("b#4");
    assertThat(cache.get("big", () -> "big", v -> 26)).isEqualTo("big");
    assertThat(cache.bytes()).isLessThanOrEqualTo(25);
  }

  @Test
  void anAnswerOfExactlyTheBudgetIsKeptAndABudgetOfZeroIsOff() {
    final AnswerCache cache = new AnswerCache(changes, 10); // read() weighs its answers 10
    assertThat(cache.on()).isTrue();
    assertThat(read(cache, "a")).isEqualTo("a#1");
    assertThat(read(cache, "a")).isEqualTo("a#1");
    assertThat(cache.bytes()).isEqualTo(10);
    assertThat(new AnswerCache(changes, 0).on()).isFalse();
    assertThat(new AnswerCache(changes, 1).on()).isTrue();
  }

  @Test
  void concurrentRequestsForAMissingAnswerShareOneRead() throws Exception {
    final AnswerCache cache = new AnswerCache(changes, 1_000);
    final CountDownLatch release = new CountDownLatch(1);
    final ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      final Future<String> first = pool.submit(() -> cache.get("a", () -> {
        reads.incrementAndGet();
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return "slow";
      }, v -> 10));
      while (reads.get() == 0) {
        Thread.sleep(1);
      }
      final Future<String> second = pool.submit(() -> read(cache, "a"));
      final Future<String> third = pool.submit(() -> read(cache, "a"));
      Thread.sleep(50);
      release.countDown();
      assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("slow");
      assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("slow");
      assertThat(third.get(10, TimeUnit.SECONDS)).isEqualTo("slow");
      assertThat(reads.get()).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Bounded staleness: a manual clock (ms) and a background thread whose reads run when the test says. */
  private final java.util.concurrent.atomic.AtomicLong nowMs = new java.util.concurrent.atomic.AtomicLong();
  private final java.util.List<Runnable> background = new java.util.ArrayList<>();

  private AnswerCache staleCache(final long maxStaleMs) {
    return new AnswerCache(changes, 1_000, java.time.Duration.ofMillis(maxStaleMs), background::add,
        () -> TimeUnit.MILLISECONDS.toNanos(nowMs.get()));
  }

  private void commit() {
    changes.beginWrite(0);
    changes.endWrite(0);
  }

  private void runBackground() {
    final java.util.List<Runnable> due = new java.util.ArrayList<>(background);
    background.clear();
    due.forEach(Runnable::run);
  }

  @Test
  void withABoundAnAnswerOutlivesCommitsUntilItsReadIsThatOldAndIsRefreshedInTheBackground() {
    final AnswerCache cache = staleCache(1_000);
    assertThat(read(cache, "a")).isEqualTo("a#1"); // read at t = 0
    commit();
    nowMs.set(200); // out of date, younger than a quarter of the bound: served, no background read yet
    assertThat(read(cache, "a")).isEqualTo("a#1");
    assertThat(background).isEmpty();
    nowMs.set(250); // a quarter of the bound: served, and one background read asked for
    assertThat(read(cache, "a")).isEqualTo("a#1");
    assertThat(read(cache, "a")).isEqualTo("a#1");
    assertThat(background).hasSize(1);
    assertThat(reads.get()).isEqualTo(1); // no request read
    nowMs.set(300);
    runBackground(); // read at t = 300, after the commit
    assertThat(reads.get()).isEqualTo(2);
    assertThat(read(cache, "a")).isEqualTo("a#2");
    assertThat(background).isEmpty(); // current again: nothing to refresh
    commit();
    nowMs.set(500); // 200 ms after the refreshed read began: out of date, too young to refresh
    assertThat(read(cache, "a")).isEqualTo("a#2");
    assertThat(background).isEmpty();
    nowMs.set(1_300); // exactly the bound after the refreshed read began: still served
    assertThat(read(cache, "a")).isEqualTo("a#2");
    background.clear(); // that background read never runs (a full queue, say)
    nowMs.set(1_301); // past the bound: the request reads itself
    assertThat(read(cache, "a")).isEqualTo("a#3");
    assertThat(read(cache, "a")).isEqualTo("a#3");
  }

  @Test
  void withoutABoundAnAnswerOutOfDateIsNeverServedEvenIfTheClockStandsStill() {
    final AnswerCache cache = new AnswerCache(changes, 1_000, java.time.Duration.ZERO, null, () -> 0L);
    assertThat(read(cache, "a")).isEqualTo("a#1");
    commit();
    assertThat(read(cache, "a")).isEqualTo("a#2");
  }

  @Test
  void withABoundARefreshedAnswerOfExactlyTheBudgetReplacesTheOldOne() {
    final AnswerCache cache = staleCache(1_000); // a budget of 1,000 bytes
    final java.util.function.Supplier<String> reader = () -> {
      changes.reads().noteRead(0);
      return "a#" + reads.incrementAndGet();
    };
    assertThat(cache.get("a", reader, v -> 1_000)).isEqualTo("a#1");
    commit();
    nowMs.set(250);
    assertThat(cache.get("a", reader, v -> 1_000)).isEqualTo("a#1");
    nowMs.set(300);
    runBackground();
    assertThat(cache.get("a", reader, v -> 1_000)).isEqualTo("a#2"); // the refresh was kept: no request read
    assertThat(reads.get()).isEqualTo(2);
  }

  @Test
  void withABoundAnAnswerReadAcrossACommitIsKeptAndAFailedRefreshKeepsTheOldAnswer() {
    final AnswerCache cache = staleCache(1_000);
    final AtomicInteger calls = new AtomicInteger();
    final String first = cache.get("a", () -> {
      if (calls.incrementAndGet() <= 1 + AnswerCache.TORN_READ_RETRIES) {
        twoReadsOfPartition0(this::commit); // every attempt overlaps a commit: the last attempt is returned as it is
      }
      return "a#" + calls.get();
    }, v -> 10);
    assertThat(first).isEqualTo("a#" + (1 + AnswerCache.TORN_READ_RETRIES));
    nowMs.set(500);
    final java.util.function.Supplier<String> failing = () -> {
      calls.incrementAndGet();
      throw new IllegalStateException("store migrating");
    };
    assertThat(cache.get("a", failing, v -> 10)).isEqualTo(first); // kept, served within the bound
    runBackground(); // the refresh fails
    assertThat(cache.get("a", failing, v -> 10)).isEqualTo(first);
    assertThat(background).hasSize(1); // asked again after the failure
    nowMs.set(1_001);
    assertThatThrownBy(() -> cache.get("a", failing, v -> 10)).hasMessage("store migrating");
  }

  @Test
  void withoutABoundAnAnswerReadAcrossACommitIsNotKept() {
    final AnswerCache cache = new AnswerCache(changes, 1_000);
    final AtomicInteger calls = new AtomicInteger();
    final java.util.function.Supplier<String> torn = () -> {
      if (calls.incrementAndGet() <= 1 + AnswerCache.TORN_READ_RETRIES) {
        twoReadsOfPartition0(this::commit);
      }
      return "a#" + calls.get();
    };
    assertThat(cache.get("a", torn, v -> 10)).isEqualTo("a#" + (1 + AnswerCache.TORN_READ_RETRIES));
    assertThat(cache.size()).isZero();
  }

  @Test
  void withABoundAWholeAnswerReadNowTakesOnlyCurrentParts() {
    final AnswerCache cache = staleCache(1_000);
    final java.util.function.Supplier<String> whole = () -> "whole(" + read(cache, "part") + ")";
    assertThat(cache.get("whole", whole, v -> 10)).isEqualTo("whole(part#1)"); // both read at t = 0
    commit();
    nowMs.set(300);
    assertThat(read(cache, "part")).isEqualTo("part#1"); // the part alone: out of date, refreshed in the background
    runBackground(); // part#2, read at t = 300
    commit();
    nowMs.set(1_100); // the whole answer is past its bound; its part is out of date but within its own
    assertThat(read(cache, "part")).isEqualTo("part#2");
    background.clear();
    // read again, the whole answer takes a current part, not the one read at t = 300
    assertThat(cache.get("whole", whole, v -> 10)).isEqualTo("whole(part#3)");
  }

  @Test
  void aNegativeBoundOrABoundWithoutARefresherIsRefused() {
    assertThatThrownBy(() -> new AnswerCache(changes, 1_000, java.time.Duration.ofMillis(-1), background::add,
        System::nanoTime)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AnswerCache(changes, 1_000, java.time.Duration.ofMillis(1), null, System::nanoTime))
        .isInstanceOf(IllegalArgumentException.class);
    new AnswerCache(changes, 1_000, java.time.Duration.ZERO, null, System::nanoTime).close(); // off: none needed
    try (AnswerCache own = new AnswerCache(changes, 1_000, java.time.Duration.ofMillis(500))) { // its own thread
      assertThat(read(own, "a")).isEqualTo("a#1");
    }
  }
}
