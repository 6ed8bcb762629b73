package dev.rsk.processor;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

/**
 * {@link ProcessorRunner}'s answer to a stream thread that died: replace it, unless more than
 * {@code max} threads failed within the last {@code window} (both ends included), then shut the client
 * down. A failure older than the window no longer counts. Thread-safe.
 */
final class ThreadReplacements {
  private final int max;
  private final long windowMs;
  /** Times (epoch ms) of the failures still inside the window, oldest first. */
  private final Deque<Long> failures = new ArrayDeque<>();

  ThreadReplacements(final int max, final Duration window) {
    this.max = max;
    this.windowMs = window.toMillis();
  }

  /** Records a failure at {@code nowMs} and says what to do with the failed thread. */
  synchronized StreamThreadExceptionResponse onFailure(final long nowMs) {
    failures.addLast(nowMs);
    while (failures.peekFirst() < nowMs - windowMs) {
      failures.removeFirst();
    }
    return failures.size() > max ? StreamThreadExceptionResponse.SHUTDOWN_CLIENT
        : StreamThreadExceptionResponse.REPLACE_THREAD;
  }

  /** Failures counted now (those inside the window at the last failure). */
  synchronized int counted() {
    return failures.size();
  }
}
