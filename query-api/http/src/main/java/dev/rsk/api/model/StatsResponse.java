package dev.rsk.api.model;

import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/modules/{module}/stats}: counts (exact) and attribute statistics (exact when every record
 * carried its attribute sums, see {@code estimatedObservations}).
 *
 * @param inferences inferences in the range (exact)
 * @param withModule inferences with the module in the range (exact)
 * @param objects objects of the module in the range (exact)
 * @param attributeLength the module's attribute length k
 * @param observations inferences whose attributes entered {@code attributes} (over statsFrom..statsTo)
 * @param estimatedObservations of {@code observations}, those from records without exact attribute sums (an
 *     older producer), whose mean was decoded from the sketch; 0 means {@code attributes} mean and variance are
 *     exact
 * @param otherLengthObservations inferences of the stats range whose attributes had another length than
 *     {@code attributeLength} (the module's attribute vector changed length in the range): statistics of different
 *     lengths cannot merge, so these are left out of {@code attributes}; 0 when the length did not change
 * @param attributeObjects objects the mean and variance of {@code attributes} are over
 * @param exactDimensions {@code attributes} lists dimensions 0 to exactDimensions - 1: all of them unless the
 *     module is wider than {@code rsk.attributes.exact.dims}, 0 without observations; {@code fromSums} estimates every
 *     dimension's mean
 * @param attributes per dimension, statistics over objects (mean, variance) and over per-inference means
 *     (min, max, quantiles)
 * @param fromSums what the sketches alone say: the ratio-of-sums estimate read from the hourly sums of sketches
 * @param statsFrom start of the attribute-statistics buckets covered (they are coarser than hours)
 * @param statsTo end of the attribute-statistics buckets covered
 */
public record StatsResponse(String module, String from, String to, long inferences, long withModule,
    long objects, int attributeLength, long observations, long estimatedObservations, long otherLengthObservations,
    long attributeObjects, int exactDimensions, List<Dimension> attributes, SumEstimate fromSums, String statsFrom,
    String statsTo, List<InstanceStatus> instances, boolean stale) implements GatheredAnswer {

  /**
   * Statistics of one attribute dimension. {@code mean}, {@code variance} and {@code stddev} are over objects,
   * exact (double rounding) from the carried sums. {@code min}, {@code max} and {@code quantiles} are of
   * per-inference means (one value per observation).
   *
   * @param quantiles KLL quantiles of per-inference means keyed p01, p05, p25, p50, p75, p95, p99 (rank error
   *     about 1.33%)
   */
  public record Dimension(int dimension, double mean, double variance, double stddev, double min, double max,
      Map<String, Double> quantiles) {}

  /**
   * Estimates read from the sum of all sketches of the range (one per sketch parameter set; the largest
   * set is reported).
   *
   * @param sketches number of sketches summed
   * @param mass effective-weight mass of the module over those sketches (estimated)
   * @param massStdError standard error of {@code mass} by the noise law, sqrt(2) * ||sum|| / sqrt(d)
   * @param meanAttributes effective-weight mean attributes of the module (ratio of sums, estimated)
   * @param meanAttributesStdError standard error of each mean attribute, ||sum|| / (sqrt(d) * r0)
   * @param count the module's object count decoded from the summed sketches alone by the joint fit over
   *     the learned network ({@code GET /v1/network}), to compare with the exact {@code objects}; null
   *     before a complete inference was learned
   * @param countStdError its standard error (from the fit's residual; at storage precision when exact)
   * @param countMethod {@code JOINT}, {@code SPARSE} or {@code GREEDY_FALLBACK} (see docs/api.md), or null
   */
  public record SumEstimate(long sketches, double mass, double massStdError, double[] meanAttributes,
      double meanAttributesStdError, Double count, Double countStdError, String countMethod) {}
}
