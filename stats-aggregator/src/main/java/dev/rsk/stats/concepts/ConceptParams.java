package dev.rsk.stats.concepts;

import java.time.Duration;

/**
 * The knobs of concept detection (docs/concepts.md), each a server key {@code rsk.concepts.*}.
 *
 * @param joinCosine a sketch joins the nearest micro-cluster when its cosine to the centroid is at least this
 *     (capped by the sketch's noise floor, {@link ConceptClusters#joinThreshold}); else it starts a new one
 * @param emergeMembers a micro-cluster born after the warm-up emerges as a concept when this many of its members
 *     fall within {@code emergeWindow} of event time
 * @param emergeWindow see {@code emergeMembers}
 * @param warmup micro-clusters born within this much event time of the first sketch of a parameter key are the
 *     baseline (what the stream always showed), never reported
 * @param fadeAfter an emerged concept with no member for this long (event time) fades
 * @param maxClusters most micro-clusters kept per parameter key; beyond it the forming cluster seen least
 *     recently is dropped
 * @param exemplars members kept per concept (those nearest its centroid when they joined)
 */
public record ConceptParams(double joinCosine, int emergeMembers, Duration emergeWindow, Duration warmup,
    Duration fadeAfter, int maxClusters, int exemplars) {

  public static final double DEFAULT_JOIN_COSINE = 0.85;
  public static final int DEFAULT_EMERGE_MEMBERS = 12;
  public static final Duration DEFAULT_EMERGE_WINDOW = Duration.ofHours(30);
  public static final Duration DEFAULT_WARMUP = Duration.ofDays(14);
  public static final Duration DEFAULT_FADE_AFTER = Duration.ofDays(14);
  public static final int DEFAULT_MAX_CLUSTERS = 2000;
  public static final int DEFAULT_EXEMPLARS = 5;
  public static final ConceptParams DEFAULTS = new ConceptParams(DEFAULT_JOIN_COSINE, DEFAULT_EMERGE_MEMBERS,
      DEFAULT_EMERGE_WINDOW, DEFAULT_WARMUP, DEFAULT_FADE_AFTER, DEFAULT_MAX_CLUSTERS, DEFAULT_EXEMPLARS);

  public ConceptParams {
    if (!(joinCosine > 0 && joinCosine < 1)) {
      throw new IllegalArgumentException("joinCosine must be in (0, 1): " + joinCosine);
    }
    if (emergeMembers < 2 || emergeMembers > 10_000) {
      throw new IllegalArgumentException("emergeMembers must be in [2, 10000]: " + emergeMembers);
    }
    if (maxClusters < 1 || exemplars < 0 || exemplars > 100) {
      throw new IllegalArgumentException("maxClusters >= 1 and exemplars in [0, 100]");
    }
    for (final Duration d : new Duration[] {emergeWindow, warmup, fadeAfter}) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("durations must be positive");
      }
    }
  }
}
