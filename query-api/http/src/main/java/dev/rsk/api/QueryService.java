package dev.rsk.api;

import dev.rsk.api.cluster.ScatterGather;
import dev.rsk.api.internal.InternalApi;
import dev.rsk.api.model.FrequencyResponse;
import dev.rsk.api.model.HoursResponse;
import dev.rsk.api.model.InferenceResponse;
import dev.rsk.api.model.ModulesResponse;
import dev.rsk.api.model.QueryRequest;
import dev.rsk.api.model.QueryResponse;
import dev.rsk.api.model.NetworkResponse;
import dev.rsk.api.model.SimilarRequest;
import dev.rsk.api.model.SimilarResponse;
import dev.rsk.api.model.StatsResponse;
import dev.rsk.sketch.DecoderCache;
import java.time.Duration;
import java.time.ZoneId;

/**
 * The public answers, one class per question (catalogue, network, frequency and hours, stats,
 * inferences, similarity), each gathering its parts through {@link ScatterGather} and merging them. Thread-safe.
 * Unknown modules and inferences are 404 {@link ApiException}s, bad requests 400; the cluster layer's
 * failures are {@code ClusterException}s.
 */
public final class QueryService {

  private final CatalogueService catalogue;
  private final FrequencyService frequency;
  private final StatsService stats;
  private final NetworkService network;
  private final InferenceService inferences;
  private final SimilarityService similarity;
  private final RelatedService related;
  private final MemoryQueryService memory;
  private final SketchReader reader;

  /** @param statsBucket the bucket of the attribute statistics (a stats range is widened to it) */
  public QueryService(final ScatterGather<InternalApi> cluster, final ApiLimits limits, final Duration statsBucket) {
    final DecoderCache decoders = new DecoderCache();
    this.catalogue = new CatalogueService(cluster);
    this.frequency = new FrequencyService(cluster);
    this.network = new NetworkService(cluster);
    this.stats = new StatsService(cluster, statsBucket, decoders, network);
    this.reader = new SketchReader(catalogue, network, decoders);
    this.inferences = new InferenceService(cluster, reader);
    this.similarity = new SimilarityService(cluster, inferences, catalogue, limits);
    this.related = new RelatedService(similarity, inferences, decoders);
    this.memory = new MemoryQueryService(cluster, catalogue, decoders, limits.remoteTimeout());
  }

  /** {@code POST /v1/query}: the range, bucket and zone already validated. */
  public QueryResponse query(final QueryRequest request, final Range range, final Duration bucket,
      final ZoneId zone) {
    return memory.query(request, range, bucket, zone);
  }

  public ModulesResponse modules() {
    return catalogue.modules();
  }

  public FrequencyResponse frequency(final String module, final Range range, final Duration bucket) {
    return frequency.frequency(module, range, bucket);
  }

  public HoursResponse hours(final String module, final Range range, final ZoneId zone) {
    return frequency.hours(module, range, zone);
  }

  public StatsResponse stats(final String module, final Range range) {
    return stats.stats(module, range);
  }

  public NetworkResponse network() {
    return network.network();
  }

  public InferenceResponse inference(final String inferenceId) {
    return inferences.inference(inferenceId);
  }

  public dev.rsk.api.model.RelatedResponse related(final String inferenceId, final Integer k) {
    return related.related(inferenceId, k);
  }

  public SimilarResponse similar(final SimilarRequest request) {
    return similarity.similar(request);
  }

  /** The decoder of {@code GET /v1/inferences/{id}}, for other answers that decode a sketch. */
  SketchReader reader() {
    return reader;
  }
}
