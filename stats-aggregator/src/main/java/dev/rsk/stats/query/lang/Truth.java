package dev.rsk.stats.query.lang;

/**
 * The value of an expression on one inference.
 *
 * @param value the decision (a decoded term is true when its decoded value passes)
 * @param p the probability that the expression is truly true: 0 or 1 when exact; for a decoded term
 *     {@code Phi(z)} of its z-score; combined as if terms were independent
 * @param exact whether no decoded term decided it
 * @param undecided whether it rests on a term neither the record nor the sketch could read (a coin flip,
 *     decided false), and no exact term decided it anyway
 * @param calibration when one decoded path term and exact terms only decided it: its probability as an affine
 *     function of that path's calibrated probability, computed once the scan has fitted the path's prior
 *     ({@link Calibration}); null otherwise (then {@code p} stands)
 */
public record Truth(boolean value, double p, boolean exact, boolean undecided, Calibration calibration) {

  public static final Truth TRUE = new Truth(true, 1.0, true);
  public static final Truth FALSE = new Truth(false, 0.0, true);

  /**
   * The probability of an expression as {@code a + b P}, {@code P} the probability that the decoded path
   * {@code term} is in the inference, from what its sketch says ({@link PathEvidence}) and the prior and scale
   * the scan fits ({@link PriorFit}).
   */
  record Calibration(Path term, PathEvidence evidence, double a, double b) {

    double probability(final PriorFit.Fit fit) {
      return a + b * fit.probability(evidence);
    }
  }

  /** A decision that rests on no coin flip. */
  public Truth(final boolean value, final double p, final boolean exact) {
    this(value, p, exact, false, null);
  }

  /** A decision without a calibration (exact, or decoded by the older model). */
  public Truth(final boolean value, final double p, final boolean exact, final boolean undecided) {
    this(value, p, exact, undecided, null);
  }

  /** A term that could not be read: false, true with probability {@code p}. */
  static Truth unreadable(final double p) {
    return new Truth(false, p, false, true);
  }

  public static Truth exact(final boolean value) {
    return value ? TRUE : FALSE;
  }

  Truth not() {
    return new Truth(!value, 1.0 - p, exact, undecided,
        calibration == null ? null : new Calibration(calibration.term, calibration.evidence, 1.0 - calibration.a,
            -calibration.b));
  }

  /** Both; an exact false side decides, coin flip or not. */
  Truth and(final Truth o) {
    final boolean decided = exact && !value || o.exact && !o.value;
    final Calibration mine = and(calibration, o);
    return new Truth(value && o.value, p * o.p, exact && o.exact, (undecided || o.undecided) && !decided,
        mine != null ? mine : and(o.calibration, this));
  }

  /** Either; an exact true side decides, coin flip or not. */
  Truth or(final Truth o) {
    final boolean decided = exact && value || o.exact && o.value;
    final Calibration mine = or(calibration, o);
    return new Truth(value || o.value, 1.0 - (1.0 - p) * (1.0 - o.p), exact && o.exact,
        (undecided || o.undecided) && !decided, mine != null ? mine : or(o.calibration, this));
  }

  /** {@code c} and an exact {@code e}: {@code e.p (a + b P)}; null when {@code e} is decoded (two terms). */
  private static Calibration and(final Calibration c, final Truth e) {
    return c == null || !e.exact ? null : new Calibration(c.term, c.evidence, e.p * c.a, e.p * c.b);
  }

  /** {@code c} or an exact {@code e}: {@code e.p + (1 - e.p) (a + b P)}; null when {@code e} is decoded. */
  private static Calibration or(final Calibration c, final Truth e) {
    return c == null || !e.exact ? null
        : new Calibration(c.term, c.evidence, e.p + (1.0 - e.p) * c.a, (1.0 - e.p) * c.b);
  }

  /**
   * The expected squared error of this decision against the truth: the probability that it is wrong, {@code
   * 1 - p} when true, {@code p} when false. Summed over inferences it is the mean squared error of a count of
   * decisions, the spread ({@code p (1 - p)}) plus the expected drift of decisions that sit near the
   * threshold; the spread alone held the truth within two errors in 80 of 100 ErrorBarsTest queries.
   */
  double variance() {
    return value ? 1.0 - p : p;
  }
}
