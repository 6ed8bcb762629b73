package dev.rsk.stats;

import java.util.HashMap;
import java.util.Map;

/**
 * One read in progress ({@link PartitionReads#beginRead}): the stamp of each partition at its first note, and whether
 * a later note of it differed or came during a write of it (then the read mixed two commits of that partition).
 * Used by one thread only.
 */
public final class ReadLog {

  private final Map<Integer, Long> first = new HashMap<>();
  private boolean torn;

  ReadLog() {}

  /** {@code partition} read with its stamp ({@link StoreChanges#WRITING} while written). */
  void note(final int partition, final long stamp) {
    if (stamp == StoreChanges.WRITING) {
      torn = true;
      return;
    }
    final Long seen = first.putIfAbsent(partition, stamp);
    if (seen != null && seen != stamp) {
      torn = true;
    }
  }

  /** A part of this read was not consistent. */
  void tear() {
    torn = true;
  }

  /** True if no partition was written between (or during) this read's notes of it. */
  boolean consistent() {
    return !torn;
  }
}
