package dev.rsk.api;

import dev.rsk.api.cluster.Cluster;
import dev.rsk.api.internal.InternalDtos;
import dev.rsk.api.internal.LocalAnswers;
import dev.rsk.api.model.FrequencyResponse;
import dev.rsk.api.model.HoursResponse;
import dev.rsk.api.model.InferenceResponse;
import dev.rsk.api.model.ModuleInfo;
import dev.rsk.api.model.ModulesResponse;
import dev.rsk.api.model.SimilarRequest;
import dev.rsk.api.model.SimilarResponse;
import dev.rsk.api.model.StatsResponse;
import dev.rsk.api.model.StoredSketch;
import dev.rsk.sketch.RecoveredNode;
import dev.rsk.sketch.DecoderCache;
import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchDecoder;
import dev.rsk.sketch.SketchException;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.model.AttributeStats;
import dev.rsk.stats.model.CatalogueEntry;
import dev.rsk.stats.model.SketchSum;
import dev.rsk.stats.query.LocalStatsQueries;
import dev.rsk.stats.query.SimilarMatch;
import dev.rsk.stats.query.StoreUnavailableException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.datasketches.kll.KllFloatsSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The public answers: gathers partial answers from every instance (or the owner of a key) through
 * {@link Cluster} and merges and decodes them. Thread-safe.
 */
public final class QueryService {

  private static final double[] QUANTILES = {0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99};
  private static final String[] QUANTILE_NAMES = {"p01", "p05", "p25", "p50", "p75", "p95", "p99"};

  private final Cluster cluster;
  private final LocalAnswers local;
  private final ApiLimits limits;
  private final long statsBucketMs;
  private final DecoderCache decoders = new DecoderCache();

  public QueryService(final Cluster cluster, final LocalAnswers local, final ApiLimits limits,
      final Duration statsBucket) {
    this.cluster = cluster;
    this.local = local;
    this.limits = limits;
    this.statsBucketMs = statsBucket.toMillis();
  }

  public ApiLimits limits() {
    return limits;
  }

  public long statsBucketMs() {
    return statsBucketMs;
  }

  // ---------------------------------------------------------------- catalogue

  public ModulesResponse modules() {
    final Cluster.Gathered<InternalDtos.Catalogue> g = gatherCatalogue();
    final List<ModuleInfo> out = new ArrayList<>();
    for (final CatalogueEntry e : mergeCatalogue(g).values()) {
      out.add(new ModuleInfo(e.module(), Json.instant(e.firstSeen()), Json.instant(e.lastSeen()), e.inferences(),
          e.objects(), e.attributeLength()));
    }
    return new ModulesResponse(out, g.instances(), g.stale());
  }

  private Cluster.Gathered<InternalDtos.Catalogue> gatherCatalogue() {
    return cluster.gather(new Cluster.PartitionQuery<>() {
      @Override
      public InternalDtos.Catalogue local(final Set<Integer> partitions, final boolean stale) {
        return local.catalogue(partitions, stale);
      }

      @Override
      public InternalDtos.Catalogue remote(final HostInfo host, final Set<Integer> partitions, final boolean stale) {
        return cluster.get(host, "/internal/v1/catalogue?" + scope(partitions, stale), InternalDtos.Catalogue.class);
      }
    });
  }

  private static Map<String, CatalogueEntry> mergeCatalogue(final Cluster.Gathered<InternalDtos.Catalogue> g) {
    final Map<String, CatalogueEntry> merged = new TreeMap<>();
    g.parts().forEach(c -> c.entries().forEach(e -> merged.merge(e.module(), e, CatalogueEntry::merge)));
    return merged;
  }

  // ---------------------------------------------------------------- frequency and hours

  public FrequencyResponse frequency(final String module, final Range range, final Duration bucket) {
    final Cluster.Gathered<InternalDtos.Hourly> g = gatherHourly(module, range);
    final long bucketMs = bucket.toMillis();
    final int n = (int) ((range.toMs() - range.fromMs() + bucketMs - 1) / bucketMs);
    final long[][] buckets = new long[n][3];
    final long[] total = new long[3];
    forEachRow(g.parts().stream().map(InternalDtos.Hourly::rows).toList(), row -> {
      final int i = (int) ((row[0] - range.fromMs()) / bucketMs);
      for (int j = 0; j < 3; j++) {
        buckets[i][j] += row[j + 1];
        total[j] += row[j + 1];
      }
    });
    final List<FrequencyResponse.Bucket> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      rows.add(new FrequencyResponse.Bucket(Json.instant(range.fromMs() + i * bucketMs), buckets[i][0],
          buckets[i][1], buckets[i][2]));
    }
    return new FrequencyResponse(module, Json.instant(range.fromMs()), Json.instant(range.toMs()),
        iso(bucket), total[0], total[1], total[2], ratio(total[1], total[0]), rows, true, g.instances(),
        g.stale());
  }

  public HoursResponse hours(final String module, final Range range, final ZoneId zone) {
    final Cluster.Gathered<InternalDtos.Hourly> g = gatherHourly(module, range);
    final long[][] hours = new long[24][2];
    final long[] total = new long[2];
    forEachRow(g.parts().stream().map(InternalDtos.Hourly::rows).toList(), row -> {
      // The local hour containing the bucket's start (exact for zones with whole-hour offsets).
      final int h = Instant.ofEpochMilli(row[0]).atZone(zone).getHour();
      hours[h][0] += row[1];
      hours[h][1] += row[2];
      total[0] += row[1];
      total[1] += row[2];
    });
    final List<HoursResponse.Hour> rows = new ArrayList<>(24);
    int peak = -1;
    for (int h = 0; h < 24; h++) {
      rows.add(new HoursResponse.Hour(h, hours[h][0], hours[h][1], ratio(hours[h][1], hours[h][0])));
      if (hours[h][1] > 0 && (peak < 0 || hours[h][1] > hours[peak][1])) {
        peak = h;
      }
    }
    return new HoursResponse(module, Json.instant(range.fromMs()), Json.instant(range.toMs()), zone.getId(),
        total[0], total[1], rows, peak, true, g.instances(), g.stale());
  }

  private Cluster.Gathered<InternalDtos.Hourly> gatherHourly(final String module, final Range range) {
    final Cluster.Gathered<InternalDtos.Hourly> g = cluster.gather(new Cluster.PartitionQuery<>() {
      @Override
      public InternalDtos.Hourly local(final Set<Integer> partitions, final boolean stale) {
        return local.hourly(module, range.fromMs(), range.toMs(), partitions, stale);
      }

      @Override
      public InternalDtos.Hourly remote(final HostInfo host, final Set<Integer> partitions, final boolean stale) {
        return cluster.get(host, "/internal/v1/modules/" + encode(module) + "/hourly?from=" + range.fromMs()
            + "&to=" + range.toMs() + "&" + scope(partitions, stale), InternalDtos.Hourly.class);
      }
    });
    if (g.parts().stream().allMatch(h -> h.attributeLength() < 0)) {
      throw unknownModule(module);
    }
    return g;
  }

  // ---------------------------------------------------------------- stats

  public StatsResponse stats(final String module, final Range range) {
    final Range statsRange = range.widenTo(statsBucketMs);
    final Cluster.Gathered<InternalDtos.ModuleStats> g = cluster.gather(new Cluster.PartitionQuery<>() {
      @Override
      public InternalDtos.ModuleStats local(final Set<Integer> partitions, final boolean stale) {
        return local.stats(module, range.fromMs(), range.toMs(), statsRange.fromMs(), statsRange.toMs(), partitions,
            stale);
      }

      @Override
      public InternalDtos.ModuleStats remote(final HostInfo host, final Set<Integer> partitions,
          final boolean stale) {
        return cluster.get(host, "/internal/v1/modules/" + encode(module) + "/stats?from=" + range.fromMs()
            + "&to=" + range.toMs() + "&statsFrom=" + statsRange.fromMs() + "&statsTo=" + statsRange.toMs()
            + "&" + scope(partitions, stale), InternalDtos.ModuleStats.class);
      }
    });
    int k = -1;
    final long[] total = new long[3];
    AttributeStats attrs = null;
    final Map<String, SketchSum> sums = new HashMap<>();
    for (final InternalDtos.ModuleStats part : g.parts()) {
      k = Math.max(k, part.attributeLength());
      for (final long[] row : part.rows()) {
        for (int j = 0; j < 3; j++) {
          total[j] += row[j + 1];
        }
      }
      if (part.attributeStats() != null) {
        final AttributeStats a = AttributeStats.fromBytes(Base64.getDecoder().decode(part.attributeStats()));
        if (attrs == null) {
          attrs = a;
        } else if (a.attributeLength() == attrs.attributeLength()) {
          attrs.merge(a);
        }
      }
      for (final InternalDtos.Sum s : part.sums()) {
        final SketchSum sum = new SketchSum(Json.spec(s.params()), s.count(), s.sum());
        sums.merge(SketchSum.key(sum.spec(), s.sum().length), sum, SketchSum::merge);
      }
    }
    if (k < 0) {
      throw unknownModule(module);
    }
    final List<StatsResponse.Dimension> dims = new ArrayList<>();
    if (attrs != null && attrs.observations() > 0) {
      for (int i = 0; i < attrs.attributeLength(); i++) {
        final KllFloatsSketch q = attrs.quantiles(i);
        final Map<String, Double> quantiles = new LinkedHashMap<>();
        for (int j = 0; j < QUANTILES.length; j++) {
          quantiles.put(QUANTILE_NAMES[j], (double) q.getQuantile(QUANTILES[j], QuantileSearchCriteria.INCLUSIVE));
        }
        dims.add(new StatsResponse.Dimension(i, attrs.mean(i), attrs.variance(i), Math.sqrt(attrs.variance(i)),
            q.getMinItem(), q.getMaxItem(), quantiles));
      }
    }
    return new StatsResponse(module, Json.instant(range.fromMs()), Json.instant(range.toMs()), total[0], total[1],
        total[2], k, attrs == null ? 0 : attrs.observations(), attrs == null ? 0 : attrs.estimated(),
        attrs == null ? 0 : attrs.objects(), dims, sumEstimate(module, k, sums),
        Json.instant(statsRange.fromMs()), Json.instant(statsRange.toMs()), g.instances(), g.stale());
  }

  /** Ratio-of-sums estimate from the largest sum (sums of different parameters cannot be combined). */
  private StatsResponse.SumEstimate sumEstimate(final String module, final int k, final Map<String, SketchSum> sums) {
    final SketchSum best = sums.values().stream().filter(s -> s.count() > 0)
        .max(Comparator.comparingLong(SketchSum::count)).orElse(null);
    if (best == null) {
      return null;
    }
    final Sketch sum = best.asSketch();
    final double[] r = decoder(best.spec()).readout(sum, module, k);
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
    return new StatsResponse.SumEstimate(best.count(), Math.sqrt(2) * r[0], sum.readoutStdError(), mean,
        meanErr);
  }

  // ---------------------------------------------------------------- inferences

  /** The stored sketch of {@code inferenceId} from its owner (or a standby, marked stale); 404 if unknown. */
  public Fetched fetchSketch(final String inferenceId) {
    final KeyQueryMetadata m = cluster.owner(inferenceId);
    final List<HostInfo> hosts = new ArrayList<>();
    hosts.add(m.activeHost());
    hosts.addAll(m.standbyHosts());
    RuntimeException last = null;
    for (int i = 0; i < hosts.size(); i++) {
      final HostInfo host = hosts.get(i);
      final boolean stale = i > 0;
      try {
        final StoredSketch s = host.equals(cluster.self())
            ? local.sketch(inferenceId, m.partition(), stale)
            : cluster.get(host, "/internal/v1/inferences/" + encode(inferenceId) + "?partition=" + m.partition()
                + "&stale=" + stale, StoredSketch.class);
        if (s == null) {
          throw ApiException.notFound("no stored inference with id '" + inferenceId + "'");
        }
        return new Fetched(s, Cluster.name(host), stale);
      } catch (StoreUnavailableException | dev.rsk.api.cluster.RemoteException e) {
        last = e;
      }
    }
    throw ApiException.unavailable("the partition holding '" + inferenceId + "' is migrating: "
        + (last == null ? "" : last.getMessage()), limits.retryAfterSeconds(), null);
  }

  /** A sketch and where it came from. */
  public record Fetched(StoredSketch sketch, String instance, boolean stale) {}

  public InferenceResponse inference(final String inferenceId) {
    final Fetched f = fetchSketch(inferenceId);
    final StoredSketch s = f.sketch();
    final SketchSpec spec = Json.spec(s.params());
    final Sketch sketch = new Sketch(spec, s.vector());
    final SketchDecoder decoder = decoder(spec);
    final Map<String, Integer> catalogue = new TreeMap<>();
    mergeCatalogue(gatherCatalogue()).forEach((m, e) -> catalogue.put(m, e.attributeLength()));

    final double threshold = sketch.significanceThreshold();
    final RecoveredNode root = catalogue.isEmpty() ? null : decoder.recoverStructure(sketch, catalogue);
    final Map<String, Integer> depths = root == null ? Map.of() : root.moduleDepths();
    final List<InferenceResponse.DecodedModule> modules = new ArrayList<>();
    for (final Map.Entry<String, Integer> e : catalogue.entrySet()) {
      final double presence = decoder.presence(sketch, e.getKey(), e.getValue());
      if (presence < threshold) {
        continue;
      }
      final Integer depth = depths.get(e.getKey());
      final double count = depth == null ? presence : decoder.count(sketch, e.getKey(), depth);
      modules.add(new InferenceResponse.DecodedModule(e.getKey(), presence, depth, count,
          decoder.meanAttributes(sketch, e.getKey(), e.getValue())));
    }
    modules.sort(Comparator.comparingDouble(InferenceResponse.DecodedModule::presence).reversed());
    return new InferenceResponse(s.inferenceId(), s.source(), Json.instant(s.eventTime()), s.complete(), s.params(),
        s.vector(), modules, threshold, sketch.readoutStdError(), node(root),
        new InferenceResponse.Recorded(s.objectCount(), s.moduleCounts(), s.missingInputs()), f.instance(),
        f.stale());
  }

  private static InferenceResponse.Node node(final RecoveredNode n) {
    if (n == null) {
      return null;
    }
    final Map<String, List<InferenceResponse.Node>> children = new TreeMap<>();
    n.childrenBySlot().forEach((slot, list) ->
        children.put(slot, list.stream().map(QueryService::node).collect(Collectors.toList())));
    return new InferenceResponse.Node(n.module(), n.tagPath(), n.presence(), n.meanAttributes(), children);
  }

  // ---------------------------------------------------------------- similarity

  public SimilarResponse similar(final SimilarRequest request) {
    final int k = request.k() == null ? limits.defaultK() : request.k();
    if (k < 1 || k > limits.maxK()) {
      throw ApiException.badRequest("k must be in [1, " + limits.maxK() + "]: " + k);
    }
    final float[] vector;
    final SketchSpec spec;
    final String exclude;
    if (request.inferenceId() != null) {
      if (request.vector() != null) {
        throw ApiException.badRequest("give either inferenceId or vector with params, not both");
      }
      final StoredSketch s = fetchSketch(request.inferenceId()).sketch();
      vector = s.vector();
      spec = Json.spec(s.params());
      exclude = request.inferenceId();
    } else {
      if (request.vector() == null || request.params() == null) {
        throw ApiException.badRequest("body needs inferenceId, or vector and params");
      }
      try {
        spec = Json.spec(request.params());
      } catch (SketchException | IllegalArgumentException e) {
        throw ApiException.badRequest("invalid params: " + e.getMessage());
      }
      vector = request.vector();
      if (vector.length < 1 || vector.length > spec.d()) {
        throw ApiException.badRequest("vector length " + vector.length + " not in [1, d=" + spec.d() + "]");
      }
      for (final float f : vector) {
        if (!Float.isFinite(f)) {
          throw ApiException.badRequest("vector has a non-finite value");
        }
      }
      exclude = null;
    }
    final InternalDtos.SimilarQuery base =
        new InternalDtos.SimilarQuery(vector, Json.params(spec), k, exclude, List.of(), false);
    final Cluster.Gathered<InternalDtos.SimilarAnswer> g = cluster.gather(new Cluster.PartitionQuery<>() {
      @Override
      public InternalDtos.SimilarAnswer local(final Set<Integer> partitions, final boolean stale) {
        return local.similar(withScope(base, partitions, stale));
      }

      @Override
      public InternalDtos.SimilarAnswer remote(final HostInfo host, final Set<Integer> partitions,
          final boolean stale) {
        return cluster.post(host, "/internal/v1/similar", withScope(base, partitions, stale),
            InternalDtos.SimilarAnswer.class);
      }
    });
    final List<SimilarMatch> all = new ArrayList<>();
    long scanned = 0;
    for (final InternalDtos.SimilarAnswer a : g.parts()) {
      all.addAll(a.matches());
      scanned += a.scanned();
    }
    final List<SimilarResponse.Match> results = LocalStatsQueries.topK(all, k).stream()
        .map(m -> new SimilarResponse.Match(m.inferenceId(), m.cosine(), Json.instant(m.eventTime()), m.source()))
        .toList();
    return new SimilarResponse(exclude, k, results, scanned, g.instances(), g.stale());
  }

  private static InternalDtos.SimilarQuery withScope(final InternalDtos.SimilarQuery q, final Set<Integer> partitions,
      final boolean stale) {
    return new InternalDtos.SimilarQuery(q.vector(), q.params(), q.k(), q.excludeId(), List.copyOf(partitions),
        stale);
  }

  // ---------------------------------------------------------------- helpers

  private SketchDecoder decoder(final SketchSpec spec) {
    return decoders.forSpec(spec);
  }

  private static ApiException unknownModule(final String module) {
    return ApiException.notFound("module '" + module + "' has never been seen");
  }

  private static void forEachRow(final List<List<long[]>> parts, final java.util.function.Consumer<long[]> f) {
    parts.forEach(rows -> rows.forEach(f));
  }

  /** ISO-8601 text of a bucket, in days when it is whole days (P1D, not PT24H). */
  static String iso(final Duration d) {
    return d.toHours() % 24 == 0 ? "P" + d.toDays() + "D" : d.toString();
  }

  private static double ratio(final long a, final long b) {
    return b == 0 ? 0.0 : (double) a / b;
  }

  static String scope(final Set<Integer> partitions, final boolean stale) {
    return "partitions=" + partitions.stream().map(String::valueOf).collect(Collectors.joining(",")) + "&stale="
        + stale;
  }

  static String encode(final String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
