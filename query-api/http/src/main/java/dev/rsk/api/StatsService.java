package dev.rsk.api;

import dev.rsk.api.cluster.ScatterGather;
import dev.rsk.api.internal.InternalApi;
import dev.rsk.api.internal.InternalDtos;
import dev.rsk.api.model.StatsResponse;
import dev.rsk.sketch.DecodedInference;
import dev.rsk.sketch.DecoderCache;
import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.sketch.StructureCatalogue;
import dev.rsk.stats.model.AttributeStats;
import dev.rsk.stats.model.SketchSum;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.datasketches.kll.KllFloatsSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/**
 * Statistics of a module's attributes: exact counts, mean and variance (exact where records carried
 * their attribute sums), KLL quantiles (approximate), and the estimate from the sums of sketches alone
 * with its standard error.
 */
final class StatsService {

  private static final double[] QUANTILES = {0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99};
  private static final String[] QUANTILE_NAMES = {"p01", "p05", "p25", "p50", "p75", "p95", "p99"};

  private final ScatterGather<InternalApi> cluster;
  private final long statsBucketMs;
  private final DecoderCache decoders;
  private final NetworkService network;

  StatsService(final ScatterGather<InternalApi> cluster, final Duration statsBucket, final DecoderCache decoders,
      final NetworkService network) {
    this.network = network;
    this.cluster = cluster;
    this.statsBucketMs = statsBucket.toMillis();
    this.decoders = decoders;
  }

  /** Distinct questions remembered per kind: a few routes' worth of modules and ranges. */
  private static final int MEMO_ENTRIES = 64;

  private final PureMemo<AttributeQuestion, Attributes> attributeMemo =
      new PureMemo<>(MEMO_ENTRIES, StatsService::attributes);
  private final PureMemo<SumQuestion, StatsResponse.SumEstimate> sumEstimates =
      new PureMemo<>(MEMO_ENTRIES, this::sumEstimate);

  StatsResponse stats(final String module, final Range range) {
    // Attribute statistics are kept per stats bucket: their range is widened to whole buckets.
    final Range statsRange = range.widenTo(statsBucketMs);
    final ScatterGather.Gathered<InternalDtos.ModuleStats> g = cluster.gather((instance, partitions, stale) ->
        instance.stats(module, range.fromMs(), range.toMs(), statsRange.fromMs(), statsRange.toMs(), partitions,
            stale));
    int k = -1;
    final long[] total = new long[3];
    final List<String> attributeParts = new ArrayList<>();
    final Map<String, SketchSum> sums = new HashMap<>();
    for (final InternalDtos.ModuleStats part : g.parts()) {
      k = Math.max(k, part.attributeLength());
      part.rows().forEach((hour, inferences, withModule, objects) -> {
        total[0] += inferences;
        total[1] += withModule;
        total[2] += objects;
      });
      attributeParts.addAll(part.attributeStats());
      for (final InternalDtos.Sum s : part.sums()) {
        final SketchSum sum = new SketchSum(Json.spec(s.params()), s.count(), s.sum());
        sums.merge(SketchSum.key(sum.spec(), s.sum().length), sum, SketchSum::merge);
      }
    }
    if (k < 0) {
      throw CatalogueService.unknownModule(module);
    }
    final Attributes attrs = attributeMemo.get(new AttributeQuestion(k, List.copyOf(attributeParts)));
    return new StatsResponse(module, Json.instant(range.fromMs()), Json.instant(range.toMs()), total[0], total[1],
        total[2], k, attrs.observations(), attrs.estimated(), attrs.otherLength(), attrs.objects(),
        attrs.dimensions().size(), attrs.dimensions(), sumEstimate(module, k, sums),
        Json.instant(statsRange.fromMs()), Json.instant(statsRange.toMs()), g.instances(), g.stale());
  }

  /** The parts' attribute-statistics images (any lengths) and the attribute length {@code k} the answer is for. */
  private record AttributeQuestion(int k, List<String> parts) {}

  /**
   * The attribute statistics of a stats answer: the parts' images of length {@code k} merged in order; the
   * observations of images of other lengths are counted in {@code otherLength}, never silently dropped.
   */
  private record Attributes(long observations, long estimated, long otherLength, long objects,
      List<StatsResponse.Dimension> dimensions) {
  }

  private static Attributes attributes(final AttributeQuestion q) {
    AttributeStats attrs = null;
    long otherLength = 0;
    for (final String part : q.parts()) {
      final AttributeStats a = AttributeStats.fromBytes(Base64.getDecoder().decode(part));
      if (a.attributeLength() != q.k()) {
        otherLength += a.observations();
      } else {
        attrs = attrs == null ? a : attrs.mergedWith(a);
      }
    }
    return attrs == null ? new Attributes(0, 0, otherLength, 0, List.of())
        : new Attributes(attrs.observations(), attrs.estimated(), otherLength, attrs.objects(), dimensions(attrs));
  }

  /** What the sum estimate depends on: the module, its k, the largest sum and the learned network. */
  private record SumQuestion(String module, int k, SketchSpec spec, long count, float[] sum,
      StructureCatalogue catalogue) {
    @Override
    public boolean equals(final Object o) {
      return o instanceof SumQuestion q && q.module.equals(module) && q.k == k && q.spec.equals(spec)
          && q.count == count && Arrays.equals(q.sum, sum) && Objects.equals(q.catalogue, catalogue);
    }

    @Override
    public int hashCode() {
      return Objects.hash(module, k, spec, count, Arrays.hashCode(sum));
    }
  }

  private static List<StatsResponse.Dimension> dimensions(final AttributeStats attrs) {
    final List<StatsResponse.Dimension> dims = new ArrayList<>();
    if (attrs == null || attrs.observations() <= 0) {
      return dims;
    }
    for (int i = 0; i < attrs.trackedDimensions(); i++) {
      final KllFloatsSketch q = attrs.quantiles(i);
      final Map<String, Double> quantiles = new LinkedHashMap<>();
      for (int j = 0; j < QUANTILES.length; j++) {
        quantiles.put(QUANTILE_NAMES[j], (double) q.getQuantile(QUANTILES[j], QuantileSearchCriteria.INCLUSIVE));
      }
      dims.add(new StatsResponse.Dimension(i, attrs.mean(i), attrs.variance(i), Math.sqrt(attrs.variance(i)),
          q.getMinItem(), q.getMaxItem(), quantiles));
    }
    return dims;
  }

  /** Ratio-of-sums estimate from the largest sum (sums of different parameters cannot be combined). */
  private StatsResponse.SumEstimate sumEstimate(final String module, final int k, final Map<String, SketchSum> sums) {
    final SketchSum best = sums.values().stream().filter(s -> s.count() > 0)
        .max(Comparator.comparingLong(SketchSum::count)).orElse(null);
    if (best == null) {
      return null;
    }
    // the readout and the joint fit are most of a stats answer's time: the same question is answered once
    return sumEstimates.get(new SumQuestion(module, k, best.spec(), best.count(), best.sum(),
        network.learned().catalogue()));
  }

  private StatsResponse.SumEstimate sumEstimate(final SumQuestion q) {
    final SketchSum best = new SketchSum(q.spec(), q.count(), q.sum());
    final String module = q.module();
    final int k = q.k();
    final Sketch sum = best.asSketch();
    final double[] r = decoders.forSpec(best.spec()).readout(sum, module, k);
    // the raw readout's standard error, before the presence scale sqrt(2)
    final double noise = sum.readoutStdError() / Math.sqrt(2.0);
    double[] mean = null;
    double meanErr = Double.NaN;
    // A ratio r[1:]/r[0] is only meaningful when r[0] stands clear of the noise.
    if (Math.abs(r[0]) > 3 * noise) {
      mean = new double[k];
      for (int i = 0; i < k; i++) {
        mean[i] = r[i + 1] / r[0];
      }
      meanErr = noise / Math.abs(r[0]);
    }
    // the count from the summed sketches alone: the joint fit over the learned network (a sum has the
    // same blocks as its parts), or nothing before a complete DAG was learned
    final DecodedInference joint = q.catalogue() == null ? null
        : decoders.forStructure(best.spec(), q.catalogue()).decode(sum);
    final DecodedInference.ModuleCount total = joint == null ? null : joint.total(module).orElse(null);
    return new StatsResponse.SumEstimate(best.count(), Math.sqrt(2) * r[0], sum.readoutStdError(), mean,
        meanErr, total == null ? null : total.count(), total == null ? null : total.countStdError(),
        joint == null ? null : joint.method().name());
  }
}
