package dev.rsk.api;

import static dev.rsk.api.FixedCluster.A;
import static dev.rsk.api.FixedCluster.B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rsk.api.cluster.ScatterGather;
import dev.rsk.api.internal.GraphDtos;
import dev.rsk.api.internal.InternalApi;
import dev.rsk.api.internal.InternalDtos;
import dev.rsk.api.model.SimilarRequest;
import dev.rsk.api.model.SimilarResponse;
import dev.rsk.api.model.SketchParamsJson;
import dev.rsk.stats.model.CatalogueEntry;
import dev.rsk.stats.query.SimilarMatch;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A similarity search gathered from two instances: each instance's matches merged into the global top k (ties by
 * id), the scans added, approximate if any part was; and every bad request a 400 that names what is wrong, before
 * any instance is asked.
 */
class SimilarityServiceTest {

  static final SketchParamsJson PARAMS = new SketchParamsJson(16, 11L, 0.5, 0.5, 1);
  static final long T0 = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();

  private final List<GraphDtos.IndexedQuery> asked = new CopyOnWriteArrayList<>();
  private final AtomicInteger catalogueAsked = new AtomicInteger();
  private ScatterGather<InternalApi> cluster;
  private SimilarityService service;

  @BeforeEach
  void start() {
    final Map<HostInfo, GraphDtos.IndexedAnswer> answers = Map.of(
        A, new GraphDtos.IndexedAnswer(List.of(match("a1", 0.9), match("a2", 0.5), match("a3", 0.2)), 30, false),
        B, new GraphDtos.IndexedAnswer(List.of(match("b1", 0.7), match("b0", 0.5)), 12, true));
    cluster = FixedCluster.gather(2, Map.of(A, Set.of(0), B, Set.of(1)), h -> new FixedCluster.Silent() {
      @Override
      public GraphDtos.IndexedAnswer similarIndexed(final GraphDtos.IndexedQuery query) {
        asked.add(query);
        return answers.get(h);
      }

      @Override
      public InternalDtos.Catalogue catalogue(final Collection<Integer> partitions, final boolean stale) {
        catalogueAsked.incrementAndGet();
        // cat seen on A only, dog on B only: a filter may name a module any instance has seen
        return new InternalDtos.Catalogue(List.of(h.equals(A) ? new CatalogueEntry("cat", T0, T0, 1, 1, 4)
            : new CatalogueEntry("dog", T0, T0, 1, 1, 2)));
      }
    });
    service = new SimilarityService(cluster, null, new CatalogueService(cluster), ApiLimits.defaults());
  }

  @AfterEach
  void close() {
    cluster.close();
  }

  private static SimilarMatch match(final String id, final double cosine) {
    return new SimilarMatch(id, cosine, T0, "cam");
  }

  private static SimilarRequest byVector(final float[] vector, final SketchParamsJson params, final Integer k) {
    return new SimilarRequest(null, vector, params, k, null, null, null, null, null);
  }

  @Test
  void theTopKOfEveryInstanceIsMergedTiesByIdAndTheScansAdded() {
    final SimilarResponse r = service.similar(new SimilarRequest(null, new float[] {1, 0, 0, 0}, PARAMS, 3, true,
        "2026-03-01T00:00:00Z", "2026-03-02T00:00:00Z", "cam", List.of("cat")));
    assertThat(r.results()).extracting(SimilarResponse.Match::inferenceId).containsExactly("a1", "b1", "a2");
    assertThat(r.results().get(0)).isEqualTo(new SimilarResponse.Match("a1", 0.9, "2026-03-01T00:00:00Z", "cam"));
    assertThat(r.scanned()).isEqualTo(42);
    assertThat(r.approximate()).as("B answered from its index").isTrue();
    assertThat(r.k()).isEqualTo(3);
    assertThat(r.queryInferenceId()).isNull();
    // each instance was asked for k over its own partitions, with the filters
    assertThat(asked).hasSize(2).allSatisfy(q -> {
      assertThat(q.k()).isEqualTo(3);
      assertThat(q.exact()).isTrue();
      assertThat(q.fromMs()).isEqualTo(T0);
      assertThat(q.toMs()).isEqualTo(T0 + 86_400_000L);
      assertThat(q.source()).isEqualTo("cam");
      assertThat(q.modules()).containsExactly("cat");
      assertThat(q.params()).isEqualTo(PARAMS);
    });
    assertThat(asked).extracting(GraphDtos.IndexedQuery::partitions)
        .containsExactlyInAnyOrder(List.of(0), List.of(1));
  }

  @Test
  void equalCosinesAreOrderedByIdAndKDefaultsToTen() {
    final SimilarResponse r = service.similar(byVector(new float[] {1}, PARAMS, 4));
    assertThat(r.results()).extracting(SimilarResponse.Match::inferenceId).containsExactly("a1", "b1", "a2", "b0");
    final SimilarResponse all = service.similar(byVector(new float[] {1}, PARAMS, null));
    assertThat(all.k()).isEqualTo(10);
    assertThat(all.results()).hasSize(5);
    assertThat(asked.get(asked.size() - 1).exact()).as("approximate unless asked").isFalse();
    assertThat(service.similar(byVector(new float[] {1}, PARAMS, 1_000)).k()).isEqualTo(1_000);
    assertThat(service.similar(byVector(new float[] {1}, PARAMS, 1)).results()).extracting(
        SimilarResponse.Match::inferenceId).containsExactly("a1");
    // a prefix of the sketch, or all of its d coordinates, is searched as given
    final float[] whole = new float[16];
    whole[3] = 2.5f;
    service.similar(byVector(whole, PARAMS, 2));
    assertThat(asked.get(asked.size() - 1).vector()).containsExactly(whole);
  }

  @Test
  void badRequestsAre400sNamingTheProblemAndAskNoInstance() {
    assertBad(byVector(new float[] {1}, PARAMS, 0), "k must be in [1, 1000]: 0");
    assertBad(byVector(new float[] {1}, PARAMS, 1_001), "k must be in [1, 1000]: 1001");
    assertBad(byVector(new float[] {1}, null, 3), "body needs inferenceId, or vector and params");
    assertBad(byVector(null, PARAMS, 3), "body needs inferenceId, or vector and params");
    assertBad(byVector(new float[0], PARAMS, 3), "vector length 0 not in [1, d=16]");
    assertBad(byVector(new float[17], PARAMS, 3), "vector length 17 not in [1, d=16]");
    assertBad(byVector(new float[] {1, Float.NaN}, PARAMS, 3), "vector has a non-finite value");
    assertBad(byVector(new float[] {Float.POSITIVE_INFINITY}, PARAMS, 3), "vector has a non-finite value");
    assertBad(new SimilarRequest("inf-1", new float[] {1}, PARAMS, 3, null, null, null, null, null),
        "give either inferenceId or vector with params, not both");
    assertBad(new SimilarRequest(null, new float[] {1}, PARAMS, 3, null, "2026-03-02T00:00:00Z",
        "2026-03-02T00:00:00Z", null, null), "'from' must be before 'to'");
    assertBad(new SimilarRequest(null, new float[] {1}, PARAMS, 3, null, null, null, null, List.of("cat", " ")),
        "modules must be at most 16 non-blank names");
    assertBad(new SimilarRequest(null, new float[] {1}, PARAMS, 3, null, null, null, null,
        Collections.nCopies(17, "cat")), "modules must be at most 16 non-blank names");
    assertThat(service.similar(new SimilarRequest(null, new float[] {1}, PARAMS, 3, null, null, null, null,
        Collections.nCopies(16, "cat"))).results()).as("16 modules are allowed").hasSize(3);
    final SketchParamsJson badD = new SketchParamsJson(4, 11L, 0.5, 0.5, 1);
    assertThatThrownBy(() -> service.similar(byVector(new float[] {1}, badD, 3)))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.getMessage()).isEqualTo("invalid params: INVALID_SPEC: d must be in [16, 65536], got 4");
        });
    assertThat(asked).as("only the 16-module search asked").hasSize(2);
  }

  @Test
  void aModuleFilterNamingAModuleNoInstanceHasSeenIsA400BeforeAnySearch() {
    assertBad(new SimilarRequest(null, new float[] {1}, PARAMS, 3, null, null, null, null, List.of("cat", "unicorn")),
        "unknown module 'unicorn' in modules (never seen; GET /v1/modules lists them)");
    assertThat(asked).isEmpty();
    assertThat(service.similar(new SimilarRequest(null, new float[] {1}, PARAMS, 3, null, null, null, null,
        List.of("dog", "cat"))).results()).hasSize(3);
    assertThat(catalogueAsked).as("each search with a filter asked both instances once").hasValue(4);
    service.similar(byVector(new float[] {1}, PARAMS, 3));
    assertThat(catalogueAsked).as("no filter, no catalogue").hasValue(4);
  }

  private void assertBad(final SimilarRequest request, final String detail) {
    assertThatThrownBy(() -> service.similar(request)).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.status()).isEqualTo(400);
      assertThat(e.getMessage()).isEqualTo(detail);
    });
  }
}
