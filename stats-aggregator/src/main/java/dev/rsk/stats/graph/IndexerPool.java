package dev.rsk.stats.graph;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * The one background thread that indexes every partition of a topology (one per Kafka Streams instance), in
 * turns: each registered {@link Indexer} does a bounded step (a batch of ids, or a chunk of a rebuild), then the
 * next. One thread rather than one per partition: on a small machine four indexers beside one stream thread took
 * most of the CPU the stream thread needed (docs/graph.md, "Measured").
 *
 * <p>Low priority while records arrive: when the stream threads enqueued an id within the last
 * {@link #BUSY_WINDOW}, the thread pauses {@link #BUSY_PAUSE_FACTOR} times as long as each step took, so it
 * uses at most a quarter of a core and the aggregation runs at nearly full speed; the backlog (which every
 * search re-ranks exactly, so nothing written is missed) is indexed when the input is quiet. At a steady rate
 * (the demo's few sketches per second) a quarter of a core indexes hundreds of sketches per second, so the
 * backlog stays small. (Java thread priorities do nothing on Linux by default, hence the pause.)
 *
 * <p>The thread starts with the first registered indexer and ends when the last one leaves (no thread outlives
 * the tasks). Not static: each topology builds its own ({@link SimilarityGraph#addTo}).
 */
final class IndexerPool {

  static final Duration BUSY_WINDOW = Duration.ofMillis(200);
  static final int BUSY_PAUSE_FACTOR = 3;
  private static final long IDLE_PARK_NANOS = Duration.ofMillis(100).toNanos();
  private static final Duration JOIN = Duration.ofSeconds(30);

  private final String name;
  /** False: no thread; the owner runs the turns itself ({@link #turn}). */
  private final boolean background;
  /** Guarded by this. */
  private final Set<Indexer> members = new LinkedHashSet<>();
  /** Written under the lock; null when no indexer is registered. Volatile: {@link #wake} reads it per record. */
  private volatile Thread thread;
  private volatile long lastEnqueueNanos = System.nanoTime() - BUSY_WINDOW.toNanos();
  /** No indexer registered (read without the lock while pausing). */
  private volatile boolean empty = true;
  /**
   * The thread is parked for lack of work: only then does an enqueue unpark it. While it works or pauses, an
   * unpark per record only cost a futex wake on the stream thread and a context switch of the indexer (which went
   * back to its pause), hundreds of times a second at bench-stats' rates.
   */
  private volatile boolean idle;

  IndexerPool(final String name) {
    this(name, true);
  }

  /**
   * {@code background} false: no thread is started and steps run only when the owner calls {@link #turn}, so
   * tests drive the indexers step by step instead of waiting on a thread.
   */
  IndexerPool(final String name, final boolean background) {
    this.name = name;
    this.background = background;
  }

  /** Registers {@code indexer} (starting the thread if needed). */
  synchronized void add(final Indexer indexer) {
    members.add(indexer);
    empty = false;
    if (!background) {
      return;
    }
    if (thread == null || !thread.isAlive()) { // none yet, or it died of an Error: a new one
      thread = new Thread(this::run, name);
      thread.setDaemon(true);
      thread.start();
    }
    LockSupport.unpark(thread);
  }

  /**
   * Unregisters {@code indexer}; the caller then waits for its running step ({@link Indexer#stop}). When it was
   * the last one, waits (bounded) for the thread to end.
   */
  void remove(final Indexer indexer) {
    final Thread t;
    synchronized (this) {
      members.remove(indexer);
      empty = members.isEmpty();
      t = thread;
    }
    if (t == null || t == Thread.currentThread()) {
      return;
    }
    LockSupport.unpark(t);
    final long deadline = System.nanoTime() + JOIN.toNanos();
    try {
      while (t.isAlive() && System.nanoTime() < deadline) {
        synchronized (this) {
          if (!members.isEmpty()) {
            return; // another partition keeps the thread
          }
        }
        t.join(50);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The stream thread wrote an id: there is work, and records are arriving. */
  void enqueued() {
    lastEnqueueNanos = System.nanoTime();
    if (idle) {
      wake();
    }
  }

  void wake() {
    final Thread t = thread;
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  /** Whether the thread is running (tests: no thread outlives its tasks). */
  synchronized boolean alive() {
    return thread != null && thread.isAlive();
  }

  /** Sleeps {@code nanos} (an enqueue's unpark does not cut it short; the last indexer leaving does). */
  private void pause(final long nanos) {
    final long until = System.nanoTime() + nanos;
    long left = nanos;
    while (left > 0 && !empty) {
      LockSupport.parkNanos(left);
      left = until - System.nanoTime();
    }
  }

  private void run() {
    while (true) {
      final List<Indexer> turn;
      synchronized (this) {
        if (members.isEmpty()) {
          thread = null;
          return;
        }
        turn = new ArrayList<>(members);
      }
      if (!turn(turn)) {
        // an enqueue between the last step and this flag waits for the park's end: at most IDLE_PARK_NANOS
        idle = true;
        LockSupport.parkNanos(IDLE_PARK_NANOS);
        idle = false;
      }
    }
  }

  /** One step of every registered indexer, on the caller's thread; true when one of them had work. */
  boolean turn() {
    final List<Indexer> turn;
    synchronized (this) {
      turn = new ArrayList<>(members);
    }
    return turn(turn);
  }

  private boolean turn(final List<Indexer> turn) {
    boolean worked = false;
    for (final Indexer i : turn) {
      final long t0 = System.nanoTime();
      if (i.step()) {
        worked = true;
        final long took = System.nanoTime() - t0;
        if (background && System.nanoTime() - lastEnqueueNanos < BUSY_WINDOW.toNanos()) {
          pause(BUSY_PAUSE_FACTOR * took);
        }
      }
    }
    return worked;
  }
}
