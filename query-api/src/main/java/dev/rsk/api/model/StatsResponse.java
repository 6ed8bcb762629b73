package dev.rsk.api.model;

import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/modules/{module}/stats}: counts (exact) and attribute statistics (estimated).
 *
 * @param inferences inferences in the range (exact)
 * @param withModule inferences with the module in the range (exact)
 * @param objects objects of the module in the range (exact)
 * @param attributeLength the module's attribute length k
 * @param observations inferences whose decoded attributes entered {@code attributes}
 * @param attributes per dimension, statistics of the per-inference decoded mean attributes
 * @param fromSums the ratio-of-sums estimate read from the hourly sums of sketches
 * @param statsFrom start of the attribute-statistics buckets covered (they are coarser than hours)
 * @param statsTo end of the attribute-statistics buckets covered
 */
public record StatsResponse(String module, String from, String to, long inferences, long withModule,
    long objects, int attributeLength, long observations, List<Dimension> attributes, SumEstimate fromSums,
    String statsFrom, String statsTo, List<InstanceStatus> instances, boolean stale) {

  /**
   * Statistics of one attribute dimension over the per-inference decoded means. Estimated: each value
   * carries sketch readout noise, so {@code stddev} is the spread of true means plus that noise.
   *
   * @param quantiles KLL quantiles keyed p01, p05, p25, p50, p75, p95, p99 (rank error about 1.33%)
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
   */
  public record SumEstimate(long sketches, double mass, double massStdError, double[] meanAttributes,
      double meanAttributesStdError) {}
}
