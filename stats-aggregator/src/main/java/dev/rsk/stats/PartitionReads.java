package dev.rsk.stats;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The writes of each partition's aggregates and the reads of them, so that a read does not mix two commits of a
 * partition ({@link StoreChanges}, "Reads consistent per partition"): the commit hooks say when a partition's write
 * begins and ends (through {@link StoreChanges#beginWrite}/{@link StoreChanges#endWrite}), the queries' store reads
 * note the partitions they read ({@link #noteRead}) inside a read ({@link #beginRead}/{@link #endRead}), and wait for
 * a write in progress first ({@link #awaitWrite}). One per {@link StoreChanges}; thread-safe (each thread's reads are
 * its own).
 */
public final class PartitionReads {

  /** Per partition: its writes (the version moves at the start and at the end of each) and writes in progress. */
  private final Map<Integer, PartitionWrites> partitions = new ConcurrentHashMap<>();
  /**
   * The reads open on each thread, innermost last (a whole answer's read around its parts' reads); null on a thread
   * with none, so that store reads outside any read cost a lookup and leave nothing behind.
   */
  private final ThreadLocal<ArrayDeque<ReadLog>> reads = new ThreadLocal<>();
  /** Moves when every partition's stores changed at once (restores, rebalances). */
  private final LongSupplier epoch;

  private static final class PartitionWrites {
    final AtomicLong version = new AtomicLong();
    final AtomicInteger writers = new AtomicInteger();
  }

  PartitionReads(final LongSupplier epoch) {
    this.epoch = epoch;
  }

  void beginWrite(final int partition) {
    final PartitionWrites p = partitions.computeIfAbsent(partition, k -> new PartitionWrites());
    p.writers.incrementAndGet();
    p.version.incrementAndGet();
  }

  void endWrite(final int partition) {
    final PartitionWrites p = partitions.computeIfAbsent(partition, k -> new PartitionWrites());
    p.version.incrementAndGet();
    p.writers.decrementAndGet();
    synchronized (p) {
      p.notifyAll(); // readers waiting for this partition's write (awaitWrite)
    }
  }

  /**
   * Waits while {@code partition} is being written, at most {@code maxWait}: a read of a partition in the middle of
   * its commit's write would mix two commits and be read again, so it waits for the write's end instead (a write
   * lasts milliseconds; longer when the machine is busy). Returns at once when no write is in progress, and when
   * interrupted (the interrupt kept).
   */
  public void awaitWrite(final int partition, final Duration maxWait) {
    final PartitionWrites p = partitions.get(partition);
    if (p == null || p.writers.get() == 0) {
      return;
    }
    awaitNoWriters(p, p.writers, System.nanoTime() + maxWait.toNanos());
  }

  /**
   * Waits on {@code monitor} (notified when {@code writers} may have fallen) while {@code writers} is above 0, until
   * {@code deadline} ({@link System#nanoTime}): the wait of {@link #awaitWrite} and {@link StoreChanges#awaitStable}.
   * False if interrupted (the interrupt kept).
   */
  static boolean awaitNoWriters(final Object monitor, final AtomicInteger writers, final long deadline) {
    synchronized (monitor) {
      long left;
      while (writers.get() > 0 && (left = deadline - System.nanoTime()) > 0) {
        try {
          TimeUnit.NANOSECONDS.timedWait(monitor, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Opens a read on this thread: until {@link #endRead}, {@link #noteRead} records the partitions it reads (unless
   * a read or {@link #part} opened after it, inside it, is open: notes go to the innermost).
   */
  public ReadLog beginRead() {
    ArrayDeque<ReadLog> open = reads.get();
    if (open == null) {
      open = new ArrayDeque<>();
      reads.set(open);
    }
    final ReadLog log = new ReadLog();
    open.addLast(log);
    return log;
  }

  /**
   * A store of {@code partition} is about to be read, or was just read, by this thread: noted in the innermost read
   * open on it (a no-op outside {@link #beginRead}/{@link #endRead}).
   */
  public void noteRead(final int partition) {
    final ArrayDeque<ReadLog> open = reads.get();
    if (open != null) {
      open.getLast().note(partition, partitionStable(partition));
    }
  }

  /**
   * {@code read} as one part of the read open on this thread, held to the per-partition rule on its own: if a
   * partition it read was written meanwhile, the read around it is marked inconsistent (its notes do not reach the
   * read around it). Outside a read, just {@code read}.
   */
  public <T> T part(final Supplier<T> read) {
    if (reads.get() == null) {
      return read.get();
    }
    final ReadLog log = beginRead();
    final T value;
    final boolean whole;
    try {
      value = read.get();
    } finally {
      whole = endRead(log);
    }
    if (!whole) {
      reads.get().getLast().tear(); // the read around this part is still open
    }
    return value;
  }

  /**
   * Closes {@code log} (the innermost read open on this thread): true if no partition it noted was written between
   * its first and last note of it, nor during any of them.
   */
  public boolean endRead(final ReadLog log) {
    final ArrayDeque<ReadLog> open = reads.get();
    open.remove(log);
    if (open.isEmpty()) {
      reads.remove();
    }
    return log.consistent();
  }

  /**
   * {@link StoreChanges#WRITING} while {@code partition} is written, else a stamp that moves at every write of it and
   * every {@link StoreChanges#changed()}: both counters only grow, so their sum is equal twice only if neither moved.
   */
  private long partitionStable(final int partition) {
    final PartitionWrites p = partitions.get(partition);
    if (p == null) {
      return epoch.getAsLong();
    }
    final long v = p.version.get();
    return p.writers.get() > 0 ? StoreChanges.WRITING : v + epoch.getAsLong();
  }
}
