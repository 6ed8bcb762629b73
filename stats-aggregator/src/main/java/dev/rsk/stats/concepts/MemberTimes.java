package dev.rsk.stats.concepts;

import java.util.Arrays;

/**
 * The event times of a forming micro-cluster's members (and of a concept's members before it emerged: {@link
 * MicroCluster#backdate}), the witnesses of its density test: every member time within
 * {@link #HORIZON_WINDOWS} emergence windows of the newest, ascending, whatever order the members arrived in. The
 * repartition in front of the clusterer interleaves upstream partitions (stream threads, instances) that can be days
 * apart in event time while they drain a backlog, so the members of one evening can arrive after those of later
 * evenings; a member whose partition ran further behind than the horizon still joins its cluster but is no witness.
 *
 * <p>Bounded: a cluster that is not yet dense holds fewer than {@code emergeMembers} times in any window, so at most
 * {@code (emergeMembers - 1) * 320} within the horizon; {@link #limit(int)} leaves a window to spare (3,532 times,
 * 28 KB, at the default 12 members), and the array grows on demand up to it: a cluster holds as many times as it
 * has members in the horizon. Mutable, owned by one {@link MicroCluster}.
 */
final class MemberTimes {

  /**
   * How many emergence windows back from the newest member times are kept (400 days at the default 30 h window, as
   * long as {@link MicroCluster}'s daily counts): how far apart in event time the upstream partitions may run before
   * a late member stops counting. A replayed backlog runs them far apart: the demo's year drains in about a minute,
   * so one second between two stream threads is days of event time, and 16 windows (20 days, session 15) still
   * dropped the first party evenings in some runs.
   */
  static final int HORIZON_WINDOWS = 320;
  private static final long[] NONE = {};

  /** Ascending in [0, count). */
  private long[] times;
  private int count;
  private final int limit;

  /** {@code times}' first {@code count} entries, ascending, kept up to {@code limit} (at least 1). */
  MemberTimes(final long[] times, final int count, final int limit) {
    this.times = times;
    this.count = count;
    this.limit = limit;
  }

  /** The most times a forming cluster of {@code emergeMembers} can need (see the class comment). */
  static int limit(final int emergeMembers) {
    return (emergeMembers - 1) * (HORIZON_WINDOWS + 1) + 1;
  }

  /**
   * Keeps {@code time} among the member times within {@code horizonMs} of the newest, dropping those the new newest
   * leaves behind; a time already outside the horizon is not kept. At the limit (only a cluster decoded from the
   * older store form, whose limit was 4 times per member, reaches it) the oldest time gives way, and a time older
   * than every kept one is not kept.
   */
  void keep(final long time, final long horizonMs) {
    final long from = (count == 0 ? time : Math.max(time, times[count - 1])) - horizonMs;
    if (time < from) {
      return;
    }
    int drop = 0;
    while (drop < count && times[drop] < from) {
      drop++;
    }
    if (drop == 0 && count == limit) {
      if (time <= times[0]) {
        return;
      }
      drop = 1;
    }
    if (drop > 0) {
      System.arraycopy(times, drop, times, 0, count - drop);
      count -= drop;
    }
    if (count == times.length) {
      times = Arrays.copyOf(times, Math.min(limit, Math.max(16, 2 * times.length)));
    }
    int i = count++;
    while (i > 0 && times[i - 1] > time) {
      times[i] = times[i - 1];
      i--;
    }
    times[i] = time;
  }

  /** Forgets the times at or after {@code time}. */
  void dropFrom(final long time) {
    while (count > 0 && times[count - 1] >= time) {
      count--;
    }
  }

  /** Forgets every time (the cluster will not be tested again). */
  void clear() {
    times = NONE;
    count = 0;
  }

  /**
   * The event time at which {@code members} of the kept times first fall within {@code windowMs} (the latest of
   * them), or -1.
   */
  long denseAt(final int members, final long windowMs) {
    for (int i = 0; i + members - 1 < count; i++) {
      if (times[i + members - 1] - times[i] <= windowMs) {
        return times[i + members - 1];
      }
    }
    return -1L;
  }

  /** The kept times, ascending (a copy). */
  long[] times() {
    return Arrays.copyOf(times, count);
  }

  int limit() {
    return limit;
  }
}
