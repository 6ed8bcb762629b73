package dev.rsk.stats;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A version of the stats stores of one instance that moves whenever what the aggregate stores answer may change:
 * while the pending aggregates or the learned network are written at a commit ({@link #beginWrite}/{@link
 * #endWrite}), when a task
 * discards its uncommitted state, when a task's processor starts (after its stores were restored) or closes,
 * and at every state change of the streams instance (rebalances move partitions). Answer caches key their
 * entries by {@link #stable()}: an answer read while the version stayed the same, outside any write, equals a
 * fresh read for as long as the version does not move. Over-signalling only costs cache misses. {@link #epoch()}
 * moves only on {@link #changed()}, not at commits: for what a commit cannot make wrong without changing it in a
 * way the reader sees (the repository items of a fine row, keyed by the row's counts).
 *
 * <p><b>Month stamps.</b> The commit hook also says, per window store, which rows (by window start) of which
 * partition it is about to write ({@link #beginMonthWrite}): each (store, partition, month) written gets a new write
 * sequence, and the (store, partition)'s <em>horizon</em> moves when a window newer than every one written there since
 * the last {@link #changed()} is written (the only way the store's stream time moves, and with it the retention that
 * hides old windows from its reads). {@link #monthStamp} gives, for a store, a partition and a range of months, the
 * epoch, the horizon and each month's sequence: equal stamps mean no row of those months was written, expired or
 * replaced by a restore in between. {@link #dayStamp} does the same per UTC day, for what a question's range holds
 * before its newest day, which keeps changing while sketches arrive (the range prefixes of the queries). A store
 * partition keeps the sequences of at most {@value #MAX_DAYS} days: past that they are all forgotten and its horizon
 * moves (every stamp of it changes: a miss, never a false hit).
 *
 * <p><b>Reads consistent per partition.</b> A read made of several store reads must not mix two commits of one
 * partition: {@link PartitionReads#beginRead} opens a {@link ReadLog} on the calling thread, every read of a
 * partition's stores notes the partition before and after ({@link PartitionReads#noteRead}; the store reads of the
 * queries and the stamps of their kept pieces do), and {@link PartitionReads#endRead} says whether a write of a
 * partition it noted began, ended or was in progress between its first and last note of that partition (then the
 * caller reads again). Partitions are written by their own tasks, each at its own commits, so a read consistent per
 * partition is as exact as one made at a single instant; a commit of another partition during the read does not
 * void it. A read made of parts ({@link PartitionReads#part}: the counts, the attribute statistics, the sums of one
 * answer) holds each part to that rule on its own, so two parts of an answer may come from consecutive commits of
 * a partition, each exact as of its commit; a part that is not consistent makes the read around it inconsistent. Notes
 * go to the innermost read or part open on the thread only. Before this rule a read was repeated whenever any commit
 * overlapped it: with 20 sketches a second (about 14 commits a second) a slow read was repeated up to five times, which
 * made it slower still (docs/api.md, Reads consistent per partition).
 *
 * <p>It is signalling, not configuration: one instance per topology ({@link StatsConfig#changes()}), shared
 * by the topology's tasks (any stream thread) and the query threads. Thread-safe.
 */
public final class StoreChanges {

  /** Days whose write sequences a store partition keeps before it forgets them all (about 11 years of days). */
  static final int MAX_DAYS = 4096;

  /** {@link #stable()} while a write is in progress: do not cache. */
  public static final long WRITING = -1;

  private final AtomicLong version = new AtomicLong();
  private final AtomicInteger writers = new AtomicInteger();
  private final AtomicLong epoch = new AtomicLong();
  /** Writes and reads per partition: what keeps a read from mixing two commits of a partition. */
  private final PartitionReads reads = new PartitionReads(epoch::get);
  /** Notified when the last write in progress ends. */
  private final Object idle = new Object();

  /** Per store and partition, guarded by {@code this}. */
  private final Map<StorePartition, Months> months = new HashMap<>();
  /** What a stamp reads of a store partition never written: horizon 0, no sequence (never written to). */
  private final Months unwritten = new Months();

  private record StorePartition(String store, int partition) {}

  /** A store partition's writes: one writer at a time (its task). */
  private static final class Months {
    final Map<Long, Long> sequence = new HashMap<>();
    /** By day start, ascending: a stamp sums a range of it. */
    final NavigableMap<Long, Long> daySequence = new TreeMap<>();
    long horizon;
    long newest = Long.MIN_VALUE;
    int writing;
  }

  /** The task of {@code partition} starts writing its aggregates (the commit hook). */
  public void beginWrite(final int partition) {
    reads.beginWrite(partition);
    writers.incrementAndGet();
    version.incrementAndGet();
  }

  /** The write of {@code partition} begun by {@link #beginWrite} ended (normally or not). */
  public void endWrite(final int partition) {
    reads.endWrite(partition); // first: a request that sees no write in progress finds its partitions' ended too
    version.incrementAndGet();
    if (writers.decrementAndGet() == 0) {
      synchronized (idle) {
        idle.notifyAll(); // requests waiting for a version to keep answers at (awaitStable)
      }
    }
  }

  /** The reads of this instance's stores, consistent per partition (see the class comment). */
  public PartitionReads reads() {
    return reads;
  }

  /** The stores changed at once (restored, discarded, revoked, assigned). */
  public synchronized void changed() {
    epoch.incrementAndGet();
    version.incrementAndGet();
    // a restored store's stream time is unknown: the next month written moves each horizon
    months.values().forEach(m -> m.newest = Long.MIN_VALUE);
  }

  /**
   * The task of {@code partition} is about to write the rows of window store {@code store} starting at {@code
   * windowStarts} (inside a {@link #beginWrite}/{@link #endWrite}); {@link #endMonthWrite} must follow, normally or
   * not. Each month of those windows gets a new sequence.
   */
  public synchronized void beginMonthWrite(final String store, final int partition,
      final Collection<Long> windowStarts) {
    final Months m = months.computeIfAbsent(new StorePartition(store, partition), p -> new Months());
    m.writing++;
    long newest = Long.MIN_VALUE;
    final java.util.Set<Long> monthStarts = new java.util.HashSet<>();
    final java.util.Set<Long> dayStarts = new java.util.HashSet<>();
    for (final long start : windowStarts) {
      newest = Math.max(newest, start);
      monthStarts.add(Rollups.monthStart(start));
      dayStarts.add(Rollups.dayStart(start));
    }
    monthStarts.forEach(month -> m.sequence.merge(month, 1L, Long::sum));
    dayStarts.forEach(day -> m.daySequence.merge(day, 1L, Long::sum));
    if (m.daySequence.size() > MAX_DAYS) {
      m.daySequence.clear(); // a forgotten day reads 0 again: the horizon move keeps old stamps from matching
      m.horizon++;
    }
    if (newest > m.newest) {
      m.newest = newest;
      m.horizon++;
    }
  }

  /** The write begun by {@link #beginMonthWrite} for {@code store} and {@code partition} ended. */
  public synchronized void endMonthWrite(final String store, final int partition) {
    final Months m = months.get(new StorePartition(store, partition));
    if (m != null && m.writing > 0) {
      m.writing--;
    }
  }

  /**
   * A stamp of the rows of window store {@code store} in {@code partition} starting in the months [fromMonth,
   * toMonth) (month starts): the epoch, the store partition's horizon and each month's write sequence; null while
   * the store partition is being written (a read then may see half a write: keep nothing). A map lookup per month.
   */
  public synchronized long[] monthStamp(final String store, final int partition, final long fromMonth,
      final long toMonth) {
    final List<Long> starts = new ArrayList<>();
    for (long t = fromMonth; t < toMonth; t = Rollups.nextMonth(t)) {
      starts.add(t);
    }
    return stamp(store, partition, starts);
  }

  /**
   * {@link #monthStamp} per UTC day, in three numbers: the epoch, the horizon and the sum of the write sequences of
   * the UTC days overlapping [fromMs, toMs) of the rows of {@code store} in {@code partition} (a row counts in the day
   * its window starts in); null while the store partition is being written. Exact as a stamp: a write adds one to each
   * day it writes and a sequence never falls except when the days are forgotten, which moves the horizon, so equal
   * stamps mean no day of the range was written. Visits the days of the range ever written, not every day of it
   * (a year's range cost a boxed lookup per day of it, under this lock: a fifth of the stats route's request CPU
   * while sketches arrived, docs/api.md).
   */
  public synchronized long[] dayStamp(final String store, final int partition, final long fromMs,
      final long toMs) {
    final Months m = stamped(store, partition);
    if (m == null) {
      return null;
    }
    long sum = 0;
    if (toMs > fromMs) {
      for (final long sequence : m.daySequence.subMap(Rollups.dayStart(fromMs), true, toMs, false).values()) {
        sum += sequence;
      }
    }
    return new long[] {epoch.get(), m.horizon, sum};
  }

  /** The epoch, the horizon and the month sequence of each of {@code starts}; null while written. */
  private long[] stamp(final String store, final int partition, final List<Long> starts) {
    final Months m = stamped(store, partition);
    if (m == null) {
      return null;
    }
    final long[] out = new long[2 + starts.size()];
    out[0] = epoch.get();
    out[1] = m.horizon;
    for (int i = 0; i < starts.size(); i++) {
      out[2 + i] = m.sequence.getOrDefault(starts.get(i), 0L);
    }
    return out;
  }

  /**
   * The write sequences a stamp of {@code store} in {@code partition} reads ({@link #unwritten} if the store
   * partition was never written), or null while it is being written; notes the read.
   */
  private Months stamped(final String store, final int partition) {
    reads.noteRead(partition); // a kept piece stamped now is read now
    final Months m = months.get(new StorePartition(store, partition));
    if (m == null) {
      return unwritten;
    }
    return m.writing > 0 ? null : m;
  }

  /** A version that moves at every {@link #changed()} (restores, discarded state, rebalances), not at commits. */
  public long epoch() {
    return epoch.get();
  }

  /** The current version (>= 0), or {@link #WRITING} while some task is writing its aggregates. */
  public long stable() {
    final long v = version.get();
    return writers.get() > 0 ? WRITING : v;
  }

  /**
   * {@link #stable()}, waiting at most {@code maxWait} for the writes in progress to end: a request that came
   * during a commit's write can then share a read with the others and keep its answer, instead of reading alone
   * (with about 14 commits a second, the requests that came during writes each read alone, which slowed the writes
   * and let more requests come during them). {@link #WRITING} if writes still run after the wait, or when
   * interrupted (the interrupt kept).
   */
  public long awaitStable(final Duration maxWait) {
    final long v = stable();
    if (v != WRITING) {
      return v;
    }
    return PartitionReads.awaitNoWriters(idle, writers, System.nanoTime() + maxWait.toNanos()) ? stable() : WRITING;
  }
}
