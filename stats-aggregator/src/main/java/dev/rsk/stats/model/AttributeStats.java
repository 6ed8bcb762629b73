package dev.rsk.stats.model;

import org.apache.datasketches.kll.KllFloatsSketch;

/**
 * Running statistics of a module's attribute vectors, the one place where sums become statistics.
 *
 * <p>Mean and variance per dimension are over <em>objects</em> and exact (up to double rounding) when every
 * observation came with the exact sums the processor carries beside the sketch ({@code attributeSums},
 * {@code attributeSquares}): they are kept as the object count, the sum and the sum of squares per
 * dimension. An observation from a record without those sums (an older producer) is the inference's mean
 * decoded from its sketch, entered as if each of its objects had that mean; {@link #estimated()} counts
 * such observations, and while it is non-zero the mean and variance are estimates.
 *
 * <p>Quantiles, min and max per dimension are of <em>per-inference means</em> (one value per observation),
 * in a KLL sketch per dimension (Apache DataSketches; normalized rank error about 1.33% for the default
 * k = 200, 99% confidence).
 *
 * <p>Only the first {@link #trackedDimensions()} dimensions are kept (all of them unless the module is wider
 * than the configured {@code rsk.attributes.exact.dims}): a 128-float embedding would otherwise cost a sum, a
 * square and a KLL sketch per dimension and bucket, as much as the raw data it summarises. The other
 * dimensions are answered from the sums of sketches alone ({@code fromSums}, with its error).
 *
 * <p>A fine-store row with {@link #repositoryItems()} keeps only the <em>pinned</em> items (those the repository
 * cannot give back); a query adds the bucket's repository items ({@link #addRepositoryObservation}), then {@link
 * #completeItems()}; partial and complete statistics do not merge. Counts, sums and squares are always whole.
 *
 * <p>Mutable, not thread-safe: one instance per update in the processor, or per merge in a query.
 */
public final class AttributeStats {

  /** Default KLL accuracy parameter. */
  public static final int DEFAULT_KLL_K = 200;

  private final int k;
  private final int tracked;
  private final int kllK;
  private long observations;
  private long estimated;
  private long objects;
  private boolean repositoryItems;
  private final double[] sums;
  private final double[] squares;
  private final KllFloatsSketch[] quantiles;

  /** Statistics of every dimension of a module of {@code attributeLength} attributes. */
  public AttributeStats(final int attributeLength, final int kllK) {
    this(attributeLength, attributeLength, kllK);
  }

  /**
   * Statistics of the first {@code min(attributeLength, maxDimensions)} dimensions of a module of {@code
   * attributeLength} attributes.
   *
   * @throws IllegalArgumentException if a length is negative
   */
  public AttributeStats(final int attributeLength, final int maxDimensions, final int kllK) {
    if (attributeLength < 0 || maxDimensions < 0) {
      throw new IllegalArgumentException("negative length: " + attributeLength + ", " + maxDimensions);
    }
    this.k = attributeLength;
    this.tracked = Math.min(attributeLength, maxDimensions);
    this.kllK = kllK;
    this.sums = new double[tracked];
    this.squares = new double[tracked];
    this.quantiles = new KllFloatsSketch[tracked];
    for (int i = 0; i < tracked; i++) {
      quantiles[i] = KllFloatsSketch.newHeapInstance(kllK);
    }
  }

  public int attributeLength() {
    return k;
  }

  /** The n dimensions {@code 0..n-1} with statistics; {@link #mean}, {@link #variance}, {@link #quantiles} take one. */
  public int trackedDimensions() {
    return tracked;
  }

  /** The KLL accuracy parameter. */
  public int kllK() {
    return kllK;
  }

  /** Whether the KLL sketches hold only the pinned items, the others being the repository's (class comment). */
  public boolean repositoryItems() {
    return repositoryItems;
  }

  /** Says that the KLL sketches hold only the pinned observations (a fine-store row as the processor writes it). */
  public void itemsInRepository() {
    repositoryItems = true;
  }

  /** Says that the KLL sketches now hold every observation's items (a query added the repository's). */
  public void completeItems() {
    repositoryItems = false;
  }

  /**
   * Adds one observation's items {@code (float) (sums[i] / count)} to the KLL sketches only (as {@link #addExact}
   * does); counts, sums and squares stay. IllegalArgumentException if too few sums or count is not positive.
   */
  public void addRepositoryObservation(final int count, final double[] sums) {
    if (sums.length < tracked || count <= 0) {
      throw new IllegalArgumentException("an observation of " + count + " objects and " + sums.length
          + " sums cannot enter statistics of " + tracked + " dimensions");
    }
    for (int i = 0; i < tracked; i++) {
      quantiles[i].update((float) (sums[i] / count));
    }
  }

  /** A copy with the counts, sums and squares and no KLL items, whose items are in the repository. */
  public AttributeStats countsOnly() {
    final AttributeStats out = countsOf(tracked);
    out.repositoryItems = true;
    return out;
  }

  /** A copy of the counters, sums and squares of the first {@code dims} dimensions, with empty KLL sketches. */
  private AttributeStats countsOf(final int dims) {
    final AttributeStats out = new AttributeStats(k, dims, kllK);
    out.counters(observations, estimated, objects);
    System.arraycopy(sums, 0, out.sums, 0, out.tracked);
    System.arraycopy(squares, 0, out.squares, 0, out.tracked);
    return out;
  }

  /** Inferences whose attributes entered (exact or estimated). */
  public long observations() {
    return observations;
  }

  /** Of {@link #observations()}, those decoded from the sketch because the record carried no sums. */
  public long estimated() {
    return estimated;
  }

  /** Objects the mean and variance are over. */
  public long objects() {
    return objects;
  }

  /** Mean of dimension {@code dim} over objects; NaN when there are none. */
  public double mean(final int dim) {
    return objects > 0 ? sums[dim] / objects : Double.NaN;
  }

  /**
   * Sample variance (n - 1 denominator) of dimension {@code dim} over objects; 0 for fewer than 2. From
   * the sum of squares, so relative rounding grows with (mean / stddev)^2; clamped at 0.
   */
  public double variance(final int dim) {
    if (objects < 2) {
      return 0.0;
    }
    return Math.max(0.0, (squares[dim] - sums[dim] * sums[dim] / objects) / (objects - 1));
  }

  /** KLL sketch of the per-inference means of dimension {@code dim}. */
  public KllFloatsSketch quantiles(final int dim) {
    return quantiles[dim];
  }

  /**
   * Adds one inference's exact sums over its {@code count} objects of the module.
   *
   * @throws IllegalArgumentException if a length differs from the attribute length or count is not positive
   */
  public void addExact(final int count, final double[] sum, final double[] square) {
    check(count, sum);
    check(count, square);
    for (int i = 0; i < tracked; i++) {
      sums[i] += sum[i];
      squares[i] += square[i];
      quantiles[i].update((float) (sum[i] / count));
    }
    objects += count;
    observations++;
  }

  /** Adds one inference's mean decoded from its sketch, as {@code count} objects with that mean. */
  public void addEstimated(final int count, final double[] mean) {
    check(count, mean);
    for (int i = 0; i < tracked; i++) {
      sums[i] += count * mean[i];
      squares[i] += count * mean[i] * mean[i];
      quantiles[i].update((float) mean[i]);
    }
    objects += count;
    observations++;
    estimated++;
  }

  private void check(final int count, final double[] x) {
    if (x.length != k) {
      throw new IllegalArgumentException("observation length " + x.length + " != " + k);
    }
    if (count <= 0) {
      throw new IllegalArgumentException("object count " + count + " must be positive");
    }
  }

  /**
   * Merges {@code other} into this (sums add; KLL merge).
   *
   * @throws IllegalArgumentException if the attribute lengths differ, or {@code other} tracks fewer dimensions
   *     (see {@link #narrowedTo})
   * @throws IllegalStateException if only one of the two keeps its items in the repository (counted twice or never)
   */
  public void merge(final AttributeStats other) {
    if (other.k != k) {
      throw new IllegalArgumentException("attribute length " + other.k + " != " + k);
    }
    if (other.repositoryItems != repositoryItems) {
      throw new IllegalStateException("statistics with and without their items in the repository do not merge");
    }
    if (other.tracked < tracked) {
      throw new IllegalArgumentException("tracked dimensions " + other.tracked + " < " + tracked);
    }
    for (int i = 0; i < tracked; i++) {
      sums[i] += other.sums[i];
      squares[i] += other.squares[i];
      quantiles[i].merge(other.quantiles[i]);
    }
    objects += other.objects;
    observations += other.observations;
    estimated += other.estimated;
  }

  /**
   * {@code other} merged into these statistics, narrowed first to the dimensions both track: this instance
   * (mutated) or a narrower copy. Statistics written under different {@code rsk.attributes.exact.dims} limits
   * thus merge into what both know.
   *
   * @throws IllegalArgumentException if the attribute lengths differ
   */
  public AttributeStats mergedWith(final AttributeStats other) {
    final AttributeStats out = narrowedTo(other.tracked);
    out.merge(other);
    return out;
  }

  /**
   * These statistics restricted to the first {@code maxDimensions} dimensions (this instance when it tracks no
   * more), so that statistics kept under different limits merge: the merge keeps the narrower.
   */
  public AttributeStats narrowedTo(final int maxDimensions) {
    if (maxDimensions >= tracked) {
      return this;
    }
    final AttributeStats out = countsOf(maxDimensions);
    out.repositoryItems = repositoryItems;
    System.arraycopy(quantiles, 0, out.quantiles, 0, out.tracked);
    return out;
  }

  /** Binary form, {@link AttributeStatsCodec}'s format 5 (format 4 with a flags byte: {@link #repositoryItems()}). */
  public byte[] toBytes() {
    return AttributeStatsCodec.encode(this);
  }

  /**
   * Reads {@link #toBytes()}, or the images of earlier versions (formats 1 to 4, {@link AttributeStatsCodec});
   * throws IllegalArgumentException on a foreign or corrupt image.
   */
  public static AttributeStats fromBytes(final byte[] bytes) {
    return AttributeStatsCodec.decode(bytes);
  }

  /** The per-dimension sums of the tracked dimensions, for the codec (not a copy). */
  double[] sums() {
    return sums;
  }

  /** The per-dimension sums of squares of the tracked dimensions, for the codec (not a copy). */
  double[] squares() {
    return squares;
  }

  /** Sets the counters, for the codec. */
  void counters(final long observations, final long estimated, final long objects) {
    this.observations = observations;
    this.estimated = estimated;
    this.objects = objects;
  }

  /** Replaces dimension {@code dim}'s KLL sketch, for the codec. */
  void quantiles(final int dim, final KllFloatsSketch sketch) {
    quantiles[dim] = sketch;
  }

  @Override
  public String toString() {
    return "AttributeStats{k=" + k + ", tracked=" + tracked + ", observations=" + observations + ", estimated="
        + estimated + ", objects=" + objects + ", repositoryItems=" + repositoryItems + "}";
  }
}
