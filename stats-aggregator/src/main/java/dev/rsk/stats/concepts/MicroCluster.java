package dev.rsk.stats.concepts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One micro-cluster of a parameter key: the mean of its members' sketches (the centroid, itself the sketch of
 * the mean DAG since sketching is linear), its size, first and last member times, while it is forming the event
 * times of its members (the density test of emergence), members per UTC day and per UTC hour of day, and a few
 * exemplars. Mutable, owned by one {@link ConceptClusters}; {@link #encode()} is the store form.
 *
 * <p>The density test sees every member whose event time is within {@link MemberTimes#HORIZON_WINDOWS} emergence
 * windows of the newest member's, in whatever order they arrive ({@link MemberTimes}).
 */
public final class MicroCluster {

  private static final long DAY_MS = 86_400_000L;
  /** Daily counts kept: a bit over a year; older days are summed into {@link #earlier}. */
  static final int MAX_DAYS = 400;

  /** A member kept to show what the concept is. */
  public record Exemplar(String inferenceId, long eventTime, double cosine) {}

  private final String id;
  private final String specKey;
  private final String firstMember;
  private long firstSeen;
  private long lastSeen;
  private long size;
  private ConceptState state;
  private long emergedAt;
  private final float[] centroid;
  private double centroidNorm;
  /** The density test's witnesses: a forming cluster's, and a concept's before its emergence ({@link #backdate}). */
  private final MemberTimes times;
  private final TreeMap<Long, Long> daily;
  private long earlier;
  private final long[] hours;
  private final List<Exemplar> exemplars;

  MicroCluster(final String id, final String specKey, final String firstMember, final long firstSeen,
      final long lastSeen, final long size, final ConceptState state, final long emergedAt, final float[] centroid,
      final long[] recent, final int recentCount, final int recentLimit, final TreeMap<Long, Long> daily,
      final long earlier, final long[] hours, final List<Exemplar> exemplars) {
    this.id = id;
    this.specKey = specKey;
    this.firstMember = firstMember;
    this.firstSeen = firstSeen;
    this.lastSeen = lastSeen;
    this.size = size;
    this.state = state;
    this.emergedAt = emergedAt;
    this.centroid = centroid;
    this.centroidNorm = norm(centroid);
    this.times = new MemberTimes(recent, recentCount, recentLimit);
    this.daily = daily;
    this.earlier = earlier;
    this.hours = hours;
    this.exemplars = exemplars;
  }

  /** A new cluster holding one member. */
  static MicroCluster start(final String specKey, final String member, final long time, final float[] vector,
      final int emergeMembers) {
    return new MicroCluster(id(specKey, member), specKey, member, time, time, 0,
        ConceptState.FORMING, 0L, new float[vector.length], new long[0], 0,
        MemberTimes.limit(emergeMembers), new TreeMap<>(), 0L, new long[24], new ArrayList<>());
  }

  /**
   * The stable id of a cluster: a hash of its parameter key and its first member's inference id, so replaying
   * the same stream (a restart, a rebalance, a rebuilt store) names it the same.
   */
  public static String id(final String specKey, final String firstMember) {
    try {
      final MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(specKey.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(firstMember.getBytes(StandardCharsets.UTF_8));
      return "c" + HexFormat.of().formatHex(sha.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /**
   * Adds a member: running mean, counts, member times (within {@code horizonMs} of the newest, {@link
   * MemberTimes}), exemplars.
   */
  void add(final String member, final long time, final float[] vector, final double cosine, final int maxExemplars,
      final long horizonMs) {
    size++;
    final double w = 1.0 / size;
    for (int i = 0; i < centroid.length && i < vector.length; i++) {
      centroid[i] += (float) ((vector[i] - centroid[i]) * w);
    }
    centroidNorm = norm(centroid);
    lastSeen = Math.max(lastSeen, time);
    if (state == ConceptState.FORMING || state.concept() && time < emergedAt) {
      times.keep(time, horizonMs); // a concept keeps the times that could make it dense earlier (backdate)
    } else if (!state.concept()) {
      times.clear(); // a baseline cluster is never tested for density again
    }
    daily.merge(Math.floorDiv(time, DAY_MS), 1L, Long::sum);
    foldOldDays();
    hours[(int) Math.floorMod(Math.floorDiv(time, 3_600_000L), 24L)]++;
    if (maxExemplars > 0) {
      exemplars.add(new Exemplar(member, time, cosine));
      trim(maxExemplars);
    }
  }

  /**
   * Takes in every member of {@code other} (DP-means' merge step, both forming): the size-weighted mean centroid,
   * summed counts, the union of the member times (within {@code horizonMs} of the newest), the earliest first and
   * latest last time, the exemplars nearest their own centroids (approximate ranking). {@code other} is unchanged.
   */
  void absorb(final MicroCluster other, final int maxExemplars, final long horizonMs) {
    final double w = (double) other.size / (size + other.size);
    for (int i = 0; i < centroid.length && i < other.centroid.length; i++) {
      centroid[i] += (float) ((other.centroid[i] - centroid[i]) * w);
    }
    centroidNorm = norm(centroid);
    size += other.size;
    firstSeen = Math.min(firstSeen, other.firstSeen);
    lastSeen = Math.max(lastSeen, other.lastSeen);
    for (final long t : other.times.times()) {
      times.keep(t, horizonMs);
    }
    other.daily.forEach((day, n) -> daily.merge(day, n, Long::sum));
    earlier += other.earlier;
    foldOldDays();
    Arrays.setAll(hours, h -> hours[h] + other.hours[h]);
    exemplars.addAll(other.exemplars);
    trim(maxExemplars);
  }

  /** Sums the days beyond {@link #MAX_DAYS} into {@link #earlier}. */
  private void foldOldDays() {
    while (daily.size() > MAX_DAYS) {
      earlier += daily.pollFirstEntry().getValue();
    }
  }

  private void trim(final int maxExemplars) {
    exemplars.sort(Comparator.comparingDouble(Exemplar::cosine).reversed());
    exemplars.subList(Math.min(maxExemplars, exemplars.size()), exemplars.size()).clear();
  }

  /**
   * The event time at which {@code members} of the kept member times first fall within {@code windowMs} (the
   * latest of them), or -1: density by event time, whatever order the members arrived in.
   */
  long denseAt(final int members, final long windowMs) {
    return times.denseAt(members, windowMs);
  }

  /** Cosine of {@code v} (with norm {@code vNorm}) to the centroid, over the common prefix. */
  public double cosine(final float[] v, final double vNorm) {
    if (centroidNorm == 0 || vNorm == 0) {
      return 0;
    }
    double dot = 0;
    final int n = Math.min(v.length, centroid.length);
    for (int i = 0; i < n; i++) {
      dot += (double) v[i] * centroid[i];
    }
    return dot / (vNorm * centroidNorm);
  }

  public static double norm(final float[] v) {
    double s = 0;
    for (final float x : v) {
      s += (double) x * x;
    }
    return Math.sqrt(s);
  }

  /**
   * Moves to {@code next} at event time {@code at}. The first move to {@link ConceptState#EMERGED} records
   * {@code at} as {@link #emergedAt()}; a revival (from {@link ConceptState#FADED}) keeps it. Whether it emerged
   * before is the state itself ({@link ConceptState#concept()}: a concept never goes back to forming or baseline),
   * not {@code emergedAt == 0}, which a cluster that emerged at event time 0 (the epoch) also has.
   */
  void state(final ConceptState next, final long at) {
    if (next == ConceptState.EMERGED && !state.concept()) {
      emergedAt = at;
      times.dropFrom(at);
    } else if (next == ConceptState.BASELINE) {
      times.clear();
    }
    state = next;
  }

  /**
   * Late members of a concept (from an upstream partition that ran behind) may complete a dense window earlier in
   * event time: then {@link #emergedAt()} moves back to its latest member, never forward. A concept keeps only its
   * member times before {@link #emergedAt()}: no later one completes an earlier window, and among them none is dense
   * (within {@link MemberTimes#limit}). Returns whether it moved.
   */
  boolean backdate(final int members, final long windowMs) {
    if (!state.concept()) {
      return false;
    }
    final long at = times.denseAt(members, windowMs);
    if (at < 0 || at >= emergedAt) {
      return false;
    }
    emergedAt = at;
    times.dropFrom(at);
    return true;
  }

  public String id() {
    return id;
  }

  public String specKey() {
    return specKey;
  }

  public String firstMember() {
    return firstMember;
  }

  public long firstSeen() {
    return firstSeen;
  }

  public long lastSeen() {
    return lastSeen;
  }

  public long size() {
    return size;
  }

  public ConceptState state() {
    return state;
  }

  /**
   * Event time of the member that made it a concept (moved back by {@link #backdate}); 0 if it never emerged ({@link
   * ConceptState#concept()} false), which only its state tells apart from a concept that emerged at the epoch.
   */
  public long emergedAt() {
    return emergedAt;
  }

  /** The mean member sketch (a copy). */
  public float[] centroid() {
    return centroid.clone();
  }

  /** Members per UTC day (epoch day -> count), the last {@value #MAX_DAYS} days with members. */
  public Map<Long, Long> daily() {
    return new TreeMap<>(daily);
  }

  /** Members on days older than those of {@link #daily()}. */
  public long earlier() {
    return earlier;
  }

  /** Members per UTC hour of day (a copy). */
  public long[] hours() {
    return hours.clone();
  }

  public List<Exemplar> exemplars() {
    return List.copyOf(exemplars);
  }

  /** The member times the emergence test keeps (ascending) and how many it may keep. */
  long[] recentTimes() {
    return times.times();
  }

  int recentCapacity() {
    return times.limit();
  }

  /** The store form ({@link MicroClusterCodec}). */
  public byte[] encode() {
    return MicroClusterCodec.encode(this);
  }

  /** Reads {@link #encode()}'s form; IllegalArgumentException on anything else. */
  public static MicroCluster decode(final byte[] data) {
    return MicroClusterCodec.decode(data);
  }
}
