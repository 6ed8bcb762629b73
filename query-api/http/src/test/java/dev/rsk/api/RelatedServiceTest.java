package dev.rsk.api;

import static dev.rsk.api.FixedCluster.A;
import static dev.rsk.api.FixedCluster.B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rsk.api.cluster.ScatterGather;
import dev.rsk.api.internal.GraphDtos;
import dev.rsk.api.internal.InternalApi;
import dev.rsk.api.internal.InternalDtos;
import dev.rsk.api.model.InferenceResponse;
import dev.rsk.api.model.RelatedResponse;
import dev.rsk.api.model.StoredSketch;
import dev.rsk.avro.InferenceSketch;
import dev.rsk.contract.SketchMapper;
import dev.rsk.sketch.DecoderCache;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.query.SimilarMatch;
import dev.rsk.stats.testing.Scenes;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An inference's edges in the knowledge graph, over two instances without Kafka or HTTP: the stored scene (a cat
 * with two eyes, and a person) is fetched from the instance owning its key, searched whole ({@code similar}) and by
 * each sub-component its structure holds ({@code shares-part}, by tag path), itself excluded from every search.
 */
class RelatedServiceTest {

  static final SketchSpec SPEC = SketchSpec.of(1024, 11L, 0.5, 0.5);

  private final List<GraphDtos.IndexedQuery> asked = new CopyOnWriteArrayList<>();
  private ScatterGather<InternalApi> cluster;
  private RelatedService related;
  private InferenceService inferences;
  private StoredSketch stored;

  @BeforeEach
  void start() {
    final InferenceSketch s = new Scenes(SPEC, 3).scene("inf-1", 1_000L, 1, 0, 1);
    stored = new StoredSketch("inf-1", "cam", 1_000L, Json.params(SPEC), SketchMapper.vector(s), s.getObjectCount(),
        true, 0,
        s.getModuleCounts(), s.getAttributeLengths(), 1_000L);
    cluster = FixedCluster.gather(2, Map.of(A, Set.of(0), B, Set.of(1)), new KeyQueryMetadata(B, Set.of(), 1),
        h -> new FixedCluster.Silent() {
          @Override
          public StoredSketch sketch(final String inferenceId, final int partition, final boolean stale) {
            return h.equals(B) && partition == 1 && inferenceId.equals("inf-1") ? stored : null;
          }

          @Override
          public GraphDtos.IndexedAnswer similarIndexed(final GraphDtos.IndexedQuery query) {
            asked.add(query);
            // B answers the whole sketch's search from its index, the parts' exactly
            return h.equals(A)
                ? new GraphDtos.IndexedAnswer(List.of(new SimilarMatch("a-" + asked.size(), 0.8, 0L, "cam")), 5, false)
                : new GraphDtos.IndexedAnswer(List.of(new SimilarMatch("b-near", 0.6, 0L, "cam")), 7,
                    Arrays.equals(query.vector(), stored.vector()));
          }

          @Override
          public InternalDtos.Catalogue catalogue(final Collection<Integer> partitions, final boolean stale) {
            return new InternalDtos.Catalogue(List.of());
          }

          @Override
          public InternalDtos.Network network(final Collection<Integer> partitions, final boolean stale) {
            return new InternalDtos.Network(List.of());
          }
        });
    final DecoderCache decoders = new DecoderCache();
    final CatalogueService catalogue = new CatalogueService(cluster);
    inferences = new InferenceService(cluster, new SketchReader(catalogue, new NetworkService(cluster), decoders));
    related = new RelatedService(new SimilarityService(cluster, inferences, catalogue, ApiLimits.defaults()),
        inferences, decoders);
  }

  @AfterEach
  void close() {
    cluster.close();
  }

  @Test
  void theWholeSketchAndEachOfItsPartsAreSearchedWithoutTheInferenceItself() {
    final RelatedResponse r = related.related("inf-1", 1);
    // the scene's inputs and the cat's, by tag path, each with the modules found there: under the cat's tag also
    // its eyes, whose identity copies its sketch carries (the class's javadoc)
    assertThat(r.parts()).containsExactly(new RelatedResponse.Part("scene[0]", List.of("cat", "eye")),
        new RelatedResponse.Part("scene[0]/cat[0]", List.of("eye")),
        new RelatedResponse.Part("scene[0]/cat[1]", List.of("eye")),
        new RelatedResponse.Part("scene[1]", List.of("person")));
    // one search of the whole sketch and one per part, two instances each, never returning the inference itself
    assertThat(asked).hasSize(2 * 5).allSatisfy(q -> {
      assertThat(q.excludeId()).isEqualTo("inf-1");
      assertThat(q.k()).isEqualTo(1);
      assertThat(q.vector()).hasSize(1024);
      assertThat(q.exact()).isFalse();
    });
    assertThat(asked.get(0).vector()).containsExactly(stored.vector());
    assertThat(r.edges()).hasSize(5);
    assertThat(r.edges().get(0).reason()).isEqualTo("similar");
    assertThat(r.edges().get(0).path()).isNull();
    assertThat(r.edges().subList(1, 5)).extracting(RelatedResponse.Edge::reason).containsOnly("shares-part");
    assertThat(r.edges().subList(1, 5)).extracting(RelatedResponse.Edge::path)
        .containsExactly("scene[0]", "scene[0]/cat[0]", "scene[0]/cat[1]", "scene[1]");
    assertThat(r.edges()).allSatisfy(e -> assertThat(e.score()).isEqualTo(0.8));
    assertThat(r.approximate()).as("B answered the whole sketch from its index").isTrue();
    assertThat(r.stale()).isFalse();
    assertThat(r.inferenceId()).isEqualTo("inf-1");
    assertThat(r.k()).isEqualTo(1);
  }

  @Test
  void anInferenceIsFetchedFromTheInstanceOwningItsKeyWithWhatWasRecorded() {
    final InferenceResponse r = inferences.inference("inf-1");
    assertThat(r.instance()).isEqualTo("b:2");
    assertThat(r.stale()).isFalse();
    assertThat(r.source()).isEqualTo("cam");
    assertThat(r.eventTime()).isEqualTo("1970-01-01T00:00:01Z");
    assertThat(r.recorded()).isEqualTo(new InferenceResponse.Recorded(5, Map.of("scene", 1, "cat", 1, "eye", 2,
        "person", 1), 0));
    assertThat(r.structureFrom()).as("nothing learned").isNull();
  }

  @Test
  void anUnknownInferenceIs404AndABadKIs400BeforeAnyLookup() {
    assertThatThrownBy(() -> related.related("nope", 3)).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.status()).isEqualTo(404);
      assertThat(e.getMessage()).isEqualTo("no stored inference with id 'nope'");
    });
    assertThatThrownBy(() -> related.related("inf-1", 0)).isInstanceOfSatisfying(ApiException.class,
        e -> assertThat(e.status()).isEqualTo(400));
    assertThat(asked).isEmpty();
  }
}
