package dev.rsk.api.internal;

import dev.rsk.stats.ReadLog;
import dev.rsk.stats.StoreChanges;
import dev.rsk.stats.query.BudgetedLru;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * This instance's recent partial answers (non-stale reads of its own stores), each kept with the
 * {@link StoreChanges} version it was read at and served only while the version has not moved: an answer is
 * never older than the last commit that changed the stores, so it stays exact and current. A read during which a
 * partition it read was written is read again, so that an answer does not mix two commits of a partition (see
 * {@link #stableRead} and {@link dev.rsk.stats.PartitionReads#part}), and an answer is not kept unless the version
 * held. Concurrent requests for the same missing answer wait for one read (bounded, as that read is, by the store
 * wait). A request that comes while a commit writes the aggregates first waits for the write's end (at most
 * {@link #WRITE_WAIT}), then shares and keeps reads as any other; past the wait it reads alone and keeps nothing.
 * Entries are dropped least recently used first when their estimated bytes exceed the budget; a budget of 0
 * turns the cache off. Exceptions are never kept. Thread-safe.
 *
 * <p><b>Bounded staleness</b> ({@code rsk.api.answer.max.staleness}, default 0: off). While sketches keep arriving
 * every commit moves the version, so an answer kept only until then is rarely asked for twice, and a read that
 * overlaps a commit is read again. With a bound {@code S > 0} an answer is also served after the version moved, for
 * as long as its read began at most {@code S} ago (so it lacks at most the commits of the last {@code S}); once it is
 * a quarter of {@code S} old, the first request that finds it out of date asks one background thread to read it
 * again, and the fresh answer replaces it. No request waits for that read; a request waits only when no answer of
 * its question is within the bound (the first one, or after a quiet spell longer than {@code S}). Each answer is
 * then read at most about 4 / {@code S} times a second however often it is asked. A failed background read keeps
 * the old answer (until its bound) and is tried again by a later request; at most {@value #REFRESH_QUEUE} reads wait
 * for the thread, more are dropped and asked again later. A read (a whole answer made of this cache's parts) takes
 * only current parts, so the bound holds for every part of what it keeps.
 */
public final class AnswerCache implements AutoCloseable {

  /** Repeats of a read that overlapped a write of the aggregates ({@link #stableRead}). */
  static final int TORN_READ_RETRIES = 5;
  private static final long TORN_READ_PAUSE_MS = 2;
  /**
   * The longest a request waits for the commits' writes in progress to end before it reads alone (the
   * {@link StoreChanges#awaitStable} wait).
   */
  static final Duration WRITE_WAIT = Duration.ofMillis(50);
  /** Background reads that may wait for the refresh thread. */
  static final int REFRESH_QUEUE = 64;

  /** A kept answer: read at {@code version} (a read begun at {@code readStart}, nanoseconds). */
  private record Entry(long version, CompletableFuture<Object> answer, long readStart, AtomicBoolean refreshing) {
    Entry(final long version, final CompletableFuture<Object> answer, final long readStart) {
      this(version, answer, readStart, new AtomicBoolean());
    }
  }

  private final StoreChanges changes;
  /** Answers kept and reads in flight (0 bytes until read). Guarded by {@code this}. */
  private final BudgetedLru<Object, Entry> entries;
  private final long maxStaleNanos;
  private final Executor refresher;
  private final ExecutorService ownRefresher;
  private final LongSupplier clock;
  /**
   * Reads in progress on this thread: an answer read now (a whole answer made of parts) takes no out-of-date part,
   * so that the read start of what it keeps bounds the age of everything in it.
   */
  private final ThreadLocal<int[]> reading = ThreadLocal.withInitial(() -> new int[1]);

  /** A cache of at most about {@code budgetBytes} (0: off) keyed by the versions of {@code changes}. */
  public AnswerCache(final StoreChanges changes, final long budgetBytes) {
    this(changes, budgetBytes, Duration.ZERO);
  }

  /**
   * {@link #AnswerCache(StoreChanges, long)} whose answers may be served up to {@code maxStaleness} after their read
   * began (0: only until the version moves), refreshed by a thread of its own ({@link #close} stops it).
   */
  public AnswerCache(final StoreChanges changes, final long budgetBytes, final Duration maxStaleness) {
    this(changes, budgetBytes, maxStaleness, maxStaleness.isZero() ? null : refreshThread(), System::nanoTime);
  }

  /** For tests: the background reads run on {@code refresher}, time is {@code clock} (nanoseconds). */
  AnswerCache(final StoreChanges changes, final long budgetBytes, final Duration maxStaleness,
      final Executor refresher, final LongSupplier clock) {
    if (maxStaleness.isNegative() || !maxStaleness.isZero() && refresher == null) {
      throw new IllegalArgumentException("max staleness must be >= 0, with a refresher when > 0");
    }
    this.changes = changes;
    this.entries = new BudgetedLru<>(budgetBytes); // IllegalArgumentException if negative
    this.maxStaleNanos = maxStaleness.toNanos();
    this.refresher = refresher;
    this.ownRefresher = refresher instanceof ExecutorService e ? e : null;
    this.clock = clock;
  }

  private static ExecutorService refreshThread() {
    return new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(REFRESH_QUEUE), r -> {
      final Thread t = new Thread(r, "rsk-answer-refresh");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * The answer of {@code key}: kept, or read by {@code read} (whose estimated size {@code weigh} gives). Answers
   * are shared between callers: they must not be mutated.
   */
  public <V> V get(final Object key, final Supplier<V> read, final ToLongFunction<V> weigh) {
    return get(key, read, weigh, v -> true);
  }

  /**
   * {@link #get(Object, Supplier, ToLongFunction)}, keeping the answer read only if {@code keep} accepts it
   * (an answer that is not kept is still shared with the callers that waited for the same read).
   */
  @SuppressWarnings("unchecked")
  public <V> V get(final Object key, final Supplier<V> read, final ToLongFunction<V> weigh,
      final Predicate<V> keep) {
    if (entries.budget() == 0) {
      return stableRead(read);
    }
    final long version = changes.awaitStable(WRITE_WAIT);
    final long now = clock.getAsLong();
    final CompletableFuture<Object> mine = new CompletableFuture<>();
    final Entry found;
    final boolean current;
    final boolean servable;
    synchronized (this) {
      found = entries.get(key);
      current = found != null && version != StoreChanges.WRITING && found.version() == version;
      servable = !current && withinBound(found, now);
      if (version != StoreChanges.WRITING && !current && !servable) {
        entries.put(key, new Entry(version, mine, now), 0);
      }
    }
    if (current) {
      return (V) join(found.answer());
    }
    if (servable) {
      refreshLater(key, found, now, read, weigh, keep);
      return (V) found.answer().getNow(null);
    }
    if (version == StoreChanges.WRITING) {
      return stableRead(read);
    }
    final V value;
    try {
      value = stableRead(read);
    } catch (RuntimeException e) {
      forget(key, mine);
      mine.completeExceptionally(e);
      throw e;
    }
    mine.complete(value);
    final long size = weigh.applyAsLong(value);
    synchronized (this) {
      final Entry e = entries.get(key);
      if (e != null && e.answer() == mine) {
        // with a staleness bound an answer read across a commit is kept too: its read start bounds what it lacks
        if (maxStaleNanos == 0 && changes.stable() != version || size > entries.budget() || !keep.test(value)) {
          forget(key, mine);
        } else {
          entries.put(key, new Entry(version, mine, now), size);
        }
      }
    }
    return value;
  }

  /** A read answer (not an error) whose read began at most the staleness bound ago. */
  private boolean withinBound(final Entry e, final long now) {
    return maxStaleNanos > 0 && e != null && reading.get()[0] == 0 && now - e.readStart() <= maxStaleNanos
        && e.answer().isDone() && !e.answer().isCompletedExceptionally();
  }

  /** Asks the background thread to read {@code old}'s question again, once it is a quarter of the bound old. */
  private <V> void refreshLater(final Object key, final Entry old, final long now, final Supplier<V> read,
      final ToLongFunction<V> weigh, final Predicate<V> keep) {
    if (now - old.readStart() < maxStaleNanos / 4 || !old.refreshing().compareAndSet(false, true)) {
      return;
    }
    try {
      refresher.execute(() -> refresh(key, old, read, weigh, keep));
    } catch (RejectedExecutionException e) {
      old.refreshing().set(false); // queue full or closed: a later request asks again
    }
  }

  private <V> void refresh(final Object key, final Entry old, final Supplier<V> read,
      final ToLongFunction<V> weigh, final Predicate<V> keep) {
    try {
      final long start = clock.getAsLong();
      final long version = changes.stable();
      final V value = stableRead(read);
      final long size = weigh.applyAsLong(value);
      synchronized (this) {
        if (entries.get(key) == old && size <= entries.budget() && keep.test(value)) {
          entries.put(key, new Entry(version, CompletableFuture.completedFuture(value), start), size);
        }
      }
    } catch (RuntimeException e) {
      // the old answer serves until its bound; a later request asks again
    } finally {
      old.refreshing().set(false);
    }
  }

  /**
   * {@code read}'s answer consistent per partition ({@link dev.rsk.stats.PartitionReads#beginRead}): a read during
   * which a partition it read was written (a commit of that partition's task, or a write in progress when it read)
   * is repeated, at most {@value #TORN_READ_RETRIES} times (a write lasts milliseconds); the last attempt's answer
   * is returned as it is. A commit of a partition the read did not touch, or touched only before or after it was
   * written, does not repeat it.
   */
  private <V> V stableRead(final Supplier<V> read) {
    for (int attempt = 0; ; attempt++) {
      final ReadLog log = changes.reads().beginRead();
      final V value;
      final boolean consistent;
      try {
        value = readNested(read);
      } finally {
        consistent = changes.reads().endRead(log);
      }
      if (consistent || attempt == TORN_READ_RETRIES) {
        return value;
      }
      try {
        Thread.sleep(TORN_READ_PAUSE_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return value;
      }
    }
  }

  private <V> V readNested(final Supplier<V> read) {
    final int[] depth = reading.get();
    depth[0]++;
    try {
      return read.get();
    } finally {
      depth[0]--;
    }
  }

  /** Drops the entry of {@code key} if it is still the one holding {@code answer}. */
  private synchronized void forget(final Object key, final CompletableFuture<Object> answer) {
    final Entry e = entries.get(key);
    if (e != null && e.answer() == answer) {
      entries.remove(key);
    }
  }

  /** True unless the budget is 0 (off). */
  public boolean on() {
    return entries.budget() > 0;
  }

  /** Stops the background refresh thread, if this cache made one. */
  @Override
  public void close() {
    if (ownRefresher != null) {
      ownRefresher.shutdownNow();
    }
  }

  /** Estimated bytes kept. */
  public synchronized long bytes() {
    return entries.bytes();
  }

  /** Entries kept (in flight included). */
  public synchronized int size() {
    return entries.size();
  }

  private static Object join(final CompletableFuture<Object> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }
}
