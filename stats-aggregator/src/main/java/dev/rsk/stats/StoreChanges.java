package dev.rsk.stats;

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
 * <p>It is signalling, not configuration: one instance per topology ({@link StatsConfig#changes()}), shared
 * by the topology's tasks (any stream thread) and the query threads. Thread-safe.
 */
public final class StoreChanges {

  /** {@link #stable()} while a write is in progress: do not cache. */
  public static final long WRITING = -1;

  private final AtomicLong version = new AtomicLong();
  private final AtomicInteger writers = new AtomicInteger();
  private final AtomicLong epoch = new AtomicLong();

  /** A task starts writing its aggregates (the commit hook). */
  public void beginWrite() {
    writers.incrementAndGet();
    version.incrementAndGet();
  }

  /** The write begun by {@link #beginWrite} ended (normally or not). */
  public void endWrite() {
    version.incrementAndGet();
    writers.decrementAndGet();
  }

  /** The stores changed at once (restored, discarded, revoked, assigned). */
  public void changed() {
    epoch.incrementAndGet();
    version.incrementAndGet();
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
}
