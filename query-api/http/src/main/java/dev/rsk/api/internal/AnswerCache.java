package dev.rsk.api.internal;

import dev.rsk.stats.StoreChanges;
import dev.rsk.stats.query.BudgetedLru;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * This instance's recent partial answers (non-stale reads of its own stores), each kept with the
 * {@link StoreChanges} version it was read at and served only while the version has not moved: an answer is
 * never older than the last commit that changed the stores, so it stays exact and current. A read that overlapped
 * a commit's write of the stores (or a change of the version) is read again, so that an answer does not mix two
 * commits (see {@link #stableRead}), and is not kept unless the version held. Concurrent
 * requests for the same missing answer wait for one read (bounded, as that read is, by the store wait).
 * Entries are dropped least recently used first when their estimated bytes exceed the budget; a budget of 0
 * turns the cache off. Exceptions are never kept. Thread-safe.
 */
public final class AnswerCache {

  /** Repeats of a read that overlapped a write of the aggregates ({@link #stableRead}). */
  static final int TORN_READ_RETRIES = 5;
  private static final long TORN_READ_PAUSE_MS = 2;

  private record Entry(long version, CompletableFuture<Object> answer) {}

  private final StoreChanges changes;
  /** Answers kept and reads in flight (0 bytes until read). Guarded by {@code this}. */
  private final BudgetedLru<Object, Entry> entries;

  /** A cache of at most about {@code budgetBytes} (0: off) keyed by the versions of {@code changes}. */
  public AnswerCache(final StoreChanges changes, final long budgetBytes) {
    this.changes = changes;
    this.entries = new BudgetedLru<>(budgetBytes); // IllegalArgumentException if negative
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
    final long version = changes.stable();
    if (entries.budget() == 0 || version == StoreChanges.WRITING) {
      return stableRead(read);
    }
    final CompletableFuture<Object> mine = new CompletableFuture<>();
    final Entry found;
    synchronized (this) {
      found = entries.get(key);
      if (found == null || found.version() != version) {
        entries.put(key, new Entry(version, mine), 0);
      }
    }
    if (found != null && found.version() == version) {
      return (V) join(found.answer());
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
        if (changes.stable() != version || size > entries.budget() || !keep.test(value)) {
          forget(key, mine);
        } else {
          entries.put(key, new Entry(version, mine), size);
        }
      }
    }
    return value;
  }

  /**
   * {@code read}'s answer from stores no commit wrote while it read: a read that began during a write of the
   * aggregates, or overlapped one (the version moved), is repeated, at most {@value #TORN_READ_RETRIES} times
   * (a write lasts milliseconds); the last attempt's answer is returned as it is.
   */
  private <V> V stableRead(final Supplier<V> read) {
    for (int attempt = 0; ; attempt++) {
      final long before = changes.stable();
      final V value = read.get();
      if (before != StoreChanges.WRITING && changes.stable() == before || attempt == TORN_READ_RETRIES) {
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
