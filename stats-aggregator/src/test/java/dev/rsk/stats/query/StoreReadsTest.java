package dev.rsk.stats.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rsk.stats.StatsStores;
import dev.rsk.stats.ReadLog;
import dev.rsk.stats.StoreChanges;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.junit.jupiter.api.Test;

/** The queries' store reads tell the read open on their thread which partitions they read, and when. */
class StoreReadsTest {

  private final StoreChanges changes = new StoreChanges();
  private final AtomicInteger opened = new AtomicInteger();
  private final StoreProvider provider = new StoreProvider() {
    @Override
    public <T> T store(final org.apache.kafka.streams.StoreQueryParameters<T> params) {
      opened.incrementAndGet();
      return null;
    }
  };
  private final StoreReads reads = new StoreReads(provider, Duration.ofMillis(200), changes);

  private String readPartition(final int partition, final Runnable during) {
    return reads.read(StatsStores.CATALOGUE, QueryableStoreTypes.keyValueStore(), partition, false, store -> {
      during.run();
      return "read";
    });
  }

  @Test
  void aWriteOfThePartitionDuringOneStoreReadTearsTheOpenRead() {
    final ReadLog log = changes.reads().beginRead();
    assertThat(readPartition(1, () -> {
      changes.beginWrite(1);
      changes.endWrite(1);
    })).isEqualTo("read");
    assertThat(changes.reads().endRead(log)).isFalse();
  }

  @Test
  void aWriteOfThePartitionBetweenTwoStoreReadsTearsTheOpenReadAndOneOfAnotherDoesNot() {
    assertThat(twoReadsOfPartition1AroundAWriteOf(0)).isTrue();
    assertThat(twoReadsOfPartition1AroundAWriteOf(1)).isFalse();
  }

  /** Whether a read of partition 1, twice, with a commit's write of {@code written} between, was consistent. */
  private boolean twoReadsOfPartition1AroundAWriteOf(final int written) {
    final ReadLog log = changes.reads().beginRead();
    readPartition(1, () -> { });
    changes.beginWrite(written);
    changes.endWrite(written);
    readPartition(1, () -> { });
    return changes.reads().endRead(log);
  }

  @Test
  void aReadOfAPartitionBeingWrittenWaitsForTheWritesEndAndIsNotTorn() throws Exception {
    changes.beginWrite(2);
    final ReadLog log = changes.reads().beginRead();
    final java.util.concurrent.CompletableFuture<Void> end = java.util.concurrent.CompletableFuture.runAsync(() -> {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      changes.endWrite(2);
    });
    readPartition(2, () -> { });
    assertThat(changes.reads().endRead(log)).isTrue(); // it read after the write, not half of it
    end.get(10, java.util.concurrent.TimeUnit.SECONDS);
  }

  @Test
  void aKeptPiecesStampCountsAsARead() {
    final ReadLog log = changes.reads().beginRead();
    changes.dayStamp(StatsStores.PRESENCE_DAILY, 2, 0, 86_400_000L); // a kept piece of partition 2 looked up
    changes.beginWrite(2);
    changes.endWrite(2);
    readPartition(2, () -> { }); // then the newest day of partition 2 read after a commit
    assertThat(changes.reads().endRead(log)).isFalse();
  }

  @Test
  void aStoreThatStaysUnavailableFailsAfterTheWait() {
    final StoreReads unavailable = new StoreReads(new StoreProvider() {
      @Override
      public <T> T store(final org.apache.kafka.streams.StoreQueryParameters<T> params) {
        opened.incrementAndGet();
        throw new InvalidStateStoreException("migrating");
      }
    }, Duration.ofMillis(120), changes);
    assertThatThrownBy(() -> unavailable.read(StatsStores.CATALOGUE, QueryableStoreTypes.keyValueStore(), 0, false,
        store -> "never")).isInstanceOf(StoreUnavailableException.class);
    assertThat(opened.get()).isBetween(2, 4); // retried every 50 ms for 120 ms
  }

  /** What the store is asked for: the named store of that one partition, standby copies only when stale. */
  @Test
  void aReadAsksForItsStoreAndPartitionAndForStandbyCopiesOnlyWhenStale() {
    final java.util.List<org.apache.kafka.streams.StoreQueryParameters<?>> asked = new java.util.ArrayList<>();
    final StoreReads recording = new StoreReads(new StoreProvider() {
      @Override
      public <T> T store(final org.apache.kafka.streams.StoreQueryParameters<T> params) {
        asked.add(params);
        return null;
      }
    }, Duration.ofMillis(200), changes);
    recording.read(StatsStores.CATALOGUE, QueryableStoreTypes.keyValueStore(), 3, true, store -> "stale");
    recording.read(StatsStores.PRESENCE_DAILY, QueryableStoreTypes.windowStore(), 1, false, store -> "active");
    assertThat(asked).hasSize(2);
    assertThat(asked.get(0).storeName()).isEqualTo(StatsStores.CATALOGUE);
    assertThat(asked.get(0).partition()).isEqualTo(3);
    assertThat(asked.get(0).staleStoresEnabled()).isTrue();
    assertThat(asked.get(1).storeName()).isEqualTo(StatsStores.PRESENCE_DAILY);
    assertThat(asked.get(1).partition()).isEqualTo(1);
    assertThat(asked.get(1).staleStoresEnabled()).isFalse();
  }

  /** A store that comes back within the wait answers; an interrupted wait fails at once and keeps the interrupt. */
  @Test
  void aStoreBackWithinTheWaitAnswersAndAnInterruptedWaitFailsAtOnce() {
    final StoreReads flaky = new StoreReads(new StoreProvider() {
      @Override
      public <T> T store(final org.apache.kafka.streams.StoreQueryParameters<T> params) {
        if (opened.incrementAndGet() == 1) {
          throw new InvalidStateStoreException("restoring");
        }
        return null;
      }
    }, Duration.ofSeconds(5), changes);
    final String back = flaky.read(StatsStores.CATALOGUE, QueryableStoreTypes.keyValueStore(), 0, false,
        store -> "back");
    assertThat(back).isEqualTo("back");
    assertThat(opened.get()).isEqualTo(2);

    opened.set(0);
    Thread.currentThread().interrupt();
    try {
      final long t0 = System.nanoTime();
      assertThatThrownBy(() -> flaky.read(StatsStores.CATALOGUE, QueryableStoreTypes.keyValueStore(), 0, false,
          store -> "never")).isInstanceOf(StoreUnavailableException.class);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
      assertThat(opened.get()).isOne();
      assertThat(System.nanoTime() - t0).isLessThan(Duration.ofSeconds(2).toNanos());
    } finally {
      Thread.interrupted();
    }
  }
}
