package dev.rsk.stats.concepts;

/** The life of a micro-cluster; only {@link #EMERGED} and {@link #FADED} ones are concepts. */
public enum ConceptState {
  /** Not (yet) dense enough, or born after the warm-up and still growing. */
  FORMING,
  /** Born during the warm-up: what the stream always showed; never reported. */
  BASELINE,
  /** A concept: born after the warm-up, then dense enough ({@link ConceptParams#emergeMembers}). */
  EMERGED,
  /** A concept without members for {@link ConceptParams#fadeAfter}; a new member revives it. */
  FADED;

  /** Whether clusters in this state are reported as concepts. */
  public boolean concept() {
    return this == EMERGED || this == FADED;
  }
}
