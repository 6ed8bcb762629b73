package dev.rsk.stats.concepts;

import dev.rsk.sketch.Sketch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streaming clustering of the sketches of one parameter key (DP-means on cosine distance with micro-clusters,
 * docs/concepts.md): each sketch joins the micro-cluster whose centroid is nearest by cosine if that cosine passes
 * {@link #joinThreshold}, else it starts a new micro-cluster (the novelty threshold). A micro-cluster born after the
 * warm-up emerges as a concept once {@link ConceptParams#emergeMembers} of its members fall within
 * {@link ConceptParams#emergeWindow}; one born during the warm-up is the baseline. Pure: no I/O; the caller
 * persists {@link #dirty()} and {@link #removed()}. Not thread-safe.
 */
public final class ConceptClusters {

  /** What a sketch did to the clusters. */
  public enum Change {
    /** It started a new micro-cluster. */
    CREATED,
    /** It joined a micro-cluster whose state did not change. */
    JOINED,
    /** It made its micro-cluster a concept. */
    EMERGED,
    /** It joined a faded concept, which is emerged again. */
    REVIVED,
    /** Nothing: the sketch is all zeros, or every slot holds a baseline or concept cluster. */
    NONE
  }

  /** Where a sketch went ({@code cluster} null for {@link Change#NONE}). */
  public record Assignment(MicroCluster cluster, Change change, double cosine) {}

  /** How many noise standard errors the join threshold stays below a cosine of 1. */
  static final double NOISE_SIGMAS = 3.0;

  /** Emergence at INFO; at DEBUG every other decision that can keep a cluster from emerging (docs/concepts.md). */
  private static final Logger LOG = LoggerFactory.getLogger(ConceptClusters.class);

  private final String specKey;
  private final ConceptParams params;
  private long origin;
  private final Map<String, MicroCluster> clusters = new LinkedHashMap<>();
  private final Set<String> dirty = new LinkedHashSet<>();
  private final Set<String> removed = new LinkedHashSet<>();

  /**
   * @param origin event time of the first sketch of the key (Long.MIN_VALUE: not seen yet); the warm-up runs
   *     from it
   * @param loaded the clusters restored from the store
   */
  public ConceptClusters(final String specKey, final ConceptParams params, final long origin,
      final Collection<MicroCluster> loaded) {
    this.specKey = specKey;
    this.params = params;
    this.origin = origin;
    loaded.forEach(c -> clusters.put(c.id(), c));
  }

  /**
   * The cosine a sketch needs to join a cluster: {@link ConceptParams#joinCosine}, lowered to
   * {@code 1 - 3 sigma} where {@code sigma = Sketch#readoutStdError / ||s||} is the sketch's relative noise
   * ({@code sqrt(2/d)} for a full sketch): two sketches of like content cannot be asked to agree closer than
   * the sketch resolves (at d = 1024 the cap is 0.867, above the default 0.85; at d = 256 it is 0.735).
   */
  public double joinThreshold(final Sketch sketch) {
    final double norm = sketch.norm();
    if (norm == 0) {
      return params.joinCosine();
    }
    return Math.min(params.joinCosine(), 1.0 - NOISE_SIGMAS * sketch.readoutStdError() / norm);
  }

  /** Adds one sketch (member {@code inferenceId} at event time {@code time}). */
  public Assignment add(final String inferenceId, final long time, final Sketch sketch) {
    if (origin == Long.MIN_VALUE || time < origin) {
      origin = origin == Long.MIN_VALUE ? time : Math.min(origin, time);
      dirty.add(""); // the key's origin changed
    }
    final float[] v = sketch.vector();
    final double norm = sketch.norm();
    if (norm == 0) {
      return new Assignment(null, Change.NONE, 0);
    }
    MicroCluster best = null;
    double bestCos = Double.NEGATIVE_INFINITY;
    for (final MicroCluster c : clusters.values()) {
      final double cos = c.cosine(v, norm);
      if (cos > bestCos) {
        bestCos = cos;
        best = c;
      }
    }
    if (best != null && bestCos >= joinThreshold(sketch)) {
      best.add(inferenceId, time, v, bestCos, params.exemplars(), densityHorizonMs());
      dirty.add(best.id());
      final MicroCluster joined = mergeForming(best, joinThreshold(sketch));
      return new Assignment(joined, transition(joined, time), bestCos);
    }
    if (clusters.size() >= params.maxClusters() && !evictOne()) {
      return new Assignment(null, Change.NONE, bestCos);
    }
    final MicroCluster created = MicroCluster.start(specKey, inferenceId, time, v, params.emergeMembers());
    created.add(inferenceId, time, v, 1.0, params.exemplars(), densityHorizonMs());
    clusters.put(created.id(), created);
    removed.remove(created.id());
    dirty.add(created.id());
    return new Assignment(created, Change.CREATED, 1.0);
  }

  /**
   * DP-means' merge step: while the forming cluster {@code c} has a centroid within {@code threshold} of another
   * forming cluster's, the two become one, kept under the id of the one seen first in event time (the other is
   * {@link #removed()}). The first members of a new kind, out of event-time order and noisy, can found several
   * clusters; their centroids meet as members arrive, and only together are they dense. Baseline clusters and
   * concepts never merge: a concept's published history does not change, and a satellite of the baseline is left
   * to the novelty test. Returns the cluster that holds {@code c}'s members.
   */
  private MicroCluster mergeForming(final MicroCluster c, final double threshold) {
    MicroCluster kept = c;
    while (kept.state() == ConceptState.FORMING) {
      final MicroCluster other = nearestFormingTo(kept, threshold);
      if (other == null) {
        return kept;
      }
      final boolean otherFirst = other.firstSeen() < kept.firstSeen();
      final MicroCluster into = otherFirst ? other : kept;
      final MicroCluster gone = otherFirst ? kept : other;
      into.absorb(gone, params.exemplars(), densityHorizonMs());
      LOG.debug("forming cluster {} ({} members) merged into {}", gone.id(), gone.size(), into.id());
      drop(gone);
      dirty.add(into.id());
      kept = into;
    }
    return kept;
  }

  private MicroCluster nearestFormingTo(final MicroCluster c, final double threshold) {
    final float[] v = c.centroid();
    final double norm = MicroCluster.norm(v);
    MicroCluster nearest = null;
    double nearestCos = threshold;
    for (final MicroCluster o : clusters.values()) {
      if (o != c && o.state() == ConceptState.FORMING) {
        final double cos = o.cosine(v, norm);
        if (cos >= nearestCos) {
          nearestCos = cos;
          nearest = o;
        }
      }
    }
    return nearest;
  }

  /** How far back from a cluster's newest member its density test looks ({@link MemberTimes}). */
  private long densityHorizonMs() {
    return params.emergeWindow().toMillis() * MemberTimes.HORIZON_WINDOWS;
  }

  private Change transition(final MicroCluster c, final long time) {
    switch (c.state()) {
      case FORMING -> {
        final long at = c.denseAt(params.emergeMembers(), params.emergeWindow().toMillis());
        if (at < 0) {
          return Change.JOINED;
        }
        final boolean warmup = c.firstSeen() < origin + params.warmup().toMillis();
        if (warmup || !novel(c)) {
          LOG.debug("cluster {} dense at {} with {} members is baseline ({})", c.id(), at, c.size(),
              warmup ? "born in the warm-up" : "near a known cluster");
          c.state(ConceptState.BASELINE, at);
          return Change.JOINED;
        }
        c.state(ConceptState.EMERGED, at);
        LOG.info("concept {} of {} emerged at event time {} ({} members, first seen {})", c.id(), specKey,
            Instant.ofEpochMilli(at), c.size(), Instant.ofEpochMilli(c.firstSeen()));
        return Change.EMERGED;
      }
      case FADED -> {
        c.backdate(params.emergeMembers(), params.emergeWindow().toMillis());
        c.state(ConceptState.EMERGED, time);
        return Change.REVIVED;
      }
      case EMERGED -> {
        c.backdate(params.emergeMembers(), params.emergeWindow().toMillis());
        return Change.JOINED;
      }
      default -> {
        return Change.JOINED;
      }
    }
  }

  /**
   * Whether a dense new cluster is a new region of sketch space: its centroid is below the join cosine to the
   * centroid of every baseline cluster and concept. A cluster near one of them is a satellite that split off as
   * that centroid drifted (an edge of known content), not a new kind of content; it joins the baseline.
   */
  private boolean novel(final MicroCluster c) {
    final float[] v = c.centroid();
    final double norm = MicroCluster.norm(v);
    for (final MicroCluster o : clusters.values()) {
      if (o != c && o.state() != ConceptState.FORMING && o.cosine(v, norm) >= params.joinCosine()) {
        return false;
      }
    }
    return true;
  }

  /** Drops the forming cluster seen least recently; false if every cluster is baseline or a concept. */
  private boolean evictOne() {
    MicroCluster oldest = null;
    for (final MicroCluster c : clusters.values()) {
      if (c.state() == ConceptState.FORMING && (oldest == null || c.lastSeen() < oldest.lastSeen())) {
        oldest = c;
      }
    }
    if (oldest == null) {
      return false;
    }
    LOG.debug("forming cluster {} ({} members, last seen {}) dropped: {} clusters", oldest.id(), oldest.size(),
        oldest.lastSeen(), params.maxClusters());
    drop(oldest);
    return true;
  }

  /** Forgets {@code c}: not written again, deleted from the store at the next write. */
  private void drop(final MicroCluster c) {
    clusters.remove(c.id());
    dirty.remove(c.id());
    removed.add(c.id());
  }

  /** Fades every emerged concept without a member since {@code now - fadeAfter}; returns them. */
  public List<MicroCluster> fade(final long now) {
    final List<MicroCluster> out = new ArrayList<>();
    for (final MicroCluster c : clusters.values()) {
      if (c.state() == ConceptState.EMERGED && c.lastSeen() < now - params.fadeAfter().toMillis()) {
        c.state(ConceptState.FADED, now);
        dirty.add(c.id());
        out.add(c);
      }
    }
    return out;
  }

  public String specKey() {
    return specKey;
  }

  /** Event time of the key's first sketch (Long.MIN_VALUE if none yet). */
  public long origin() {
    return origin;
  }

  public Collection<MicroCluster> clusters() {
    return clusters.values();
  }

  public MicroCluster cluster(final String id) {
    return clusters.get(id);
  }

  /** Ids of the clusters changed since {@link #clean()} ({@code ""}: the key's origin). */
  public Set<String> dirty() {
    return dirty;
  }

  /** Ids of the clusters dropped since {@link #clean()}. */
  public Set<String> removed() {
    return removed;
  }

  /** Forgets the dirty and removed sets (after the caller wrote them). */
  public void clean() {
    dirty.clear();
    removed.clear();
  }
}
