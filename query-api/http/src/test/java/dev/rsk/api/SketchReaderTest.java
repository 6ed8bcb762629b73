package dev.rsk.api;

import static dev.rsk.api.FixedCluster.A;
import static dev.rsk.api.FixedCluster.B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rsk.api.cluster.ScatterGather;
import dev.rsk.api.internal.InternalApi;
import dev.rsk.api.internal.InternalDtos;
import dev.rsk.api.model.InferenceResponse;
import dev.rsk.contract.SketchMapper;
import dev.rsk.sketch.DecoderCache;
import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.model.CatalogueEntry;
import dev.rsk.stats.model.NetworkEntry;
import dev.rsk.stats.testing.Scenes;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One real scene's sketch (a cat with two eyes and a person under a scene root, d = 1024) read against the
 * catalogue and the learned network of two instances: the modules present, their depths, their counts within their
 * stated standard errors of the truth, and what the structure came from.
 */
class SketchReaderTest {

  static final SketchSpec SPEC = SketchSpec.of(1024, 11L, 0.5, 0.5);
  static final Map<String, Integer> TRUTH = Map.of("scene", 1, "cat", 1, "eye", 2, "person", 1);

  private ScatterGather<InternalApi> cluster;

  @AfterEach
  void close() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** A reader over A's catalogue (with a dog never in the scene) and, if {@code learned}, the scenes' network. */
  private SketchReader reader(final boolean catalogued, final boolean learned) {
    final List<CatalogueEntry> catalogue = !catalogued ? List.of() : List.of(
        new CatalogueEntry("scene", 0, 1, 10, 10, 2), new CatalogueEntry("cat", 0, 1, 10, 10, 4),
        new CatalogueEntry("eye", 0, 1, 10, 20, 2), new CatalogueEntry("person", 0, 1, 10, 10, 3),
        new CatalogueEntry("dog", 0, 1, 3, 3, 4));
    final List<NetworkEntry> network = learned ? Scenes.catAndPersonNetwork(10) : List.of();
    close();
    cluster = FixedCluster.gather(2, Map.of(A, Set.of(0), B, Set.of(1)), h -> new FixedCluster.Silent() {
      @Override
      public InternalDtos.Catalogue catalogue(final Collection<Integer> partitions, final boolean stale) {
        return new InternalDtos.Catalogue(h.equals(A) ? catalogue : List.of());
      }

      @Override
      public InternalDtos.Network network(final Collection<Integer> partitions, final boolean stale) {
        return new InternalDtos.Network(h.equals(A) ? network : List.of());
      }
    });
    return new SketchReader(new CatalogueService(cluster), new NetworkService(cluster), new DecoderCache());
  }

  private static Sketch scene() {
    return SketchMapper.sketch(new Scenes(SPEC, 3).scene("s", 0, 1, 0, 1));
  }

  @Test
  void withTheLearnedNetworkEveryModuleIsCountedByTheJointFitAtItsDepth() {
    final SketchReader.Reading r = reader(true, true).read(scene());
    assertThat(r.structureFrom()).isEqualTo("network");
    assertThat(r.modules()).extracting(InferenceResponse.DecodedModule::module)
        .containsExactlyInAnyOrder("scene", "cat", "eye", "person");
    assertThat(r.modules()).extracting(InferenceResponse.DecodedModule::presence).isSortedAccordingTo(
        (x, y) -> Double.compare(y, x));
    final Map<String, Integer> depths = Map.of("scene", 0, "cat", 1, "eye", 2, "person", 1);
    for (final InferenceResponse.DecodedModule m : r.modules()) {
      assertThat(m.depth()).as(m.module()).isEqualTo(depths.get(m.module()));
      assertThat(m.count()).as("%s: %.3f +- %.3f", m.module(), m.count(), m.countStdError())
          .isCloseTo(TRUTH.get(m.module()), within(4 * m.countStdError()));
      assertThat(m.presence()).as(m.module()).isGreaterThanOrEqualTo(r.threshold());
    }
    assertThat(r.decoded().method()).isEqualTo("JOINT");
    assertThat(r.decoded().networkVersion()).matches("[0-9a-f]{16}");
    for (final InferenceResponse.DepthCount c : r.decoded().counts()) {
      assertThat(c.depth()).as(c.module()).isEqualTo(depths.get(c.module()));
      assertThat(c.count()).as(c.module()).isCloseTo(TRUTH.get(c.module()), within(4 * c.countStdError()));
    }
    assertThat(r.decoded().counts()).extracting(InferenceResponse.DepthCount::module)
        .containsExactlyInAnyOrder("scene", "cat", "eye", "person");
    final InferenceResponse.TreeNode root = r.decoded().tree().get(0);
    assertThat(root.module()).isEqualTo("scene");
    assertThat(root.children()).extracting(InferenceResponse.TreeNode::module)
        .containsExactlyInAnyOrder("cat", "person");
    // the recovered structure: the cat in slot 0 with an eye in each of its slots, the person in slot 1
    assertThat(r.structure().module()).isEqualTo("scene");
    assertThat(r.structure().children().get("0")).extracting(InferenceResponse.Node::module).containsExactly("cat");
    assertThat(r.structure().children().get("1")).extracting(InferenceResponse.Node::module)
        .containsExactly("person");
    assertThat(r.structure().children().get("0").get(0).children()).containsOnlyKeys("0", "1");
    assertThat(r.stale()).isFalse();
  }

  @Test
  void withTheCatalogueAloneTheStructureIsRecoveredAndCountsScaledByDepth() {
    final Sketch s = scene();
    final SketchReader.Reading r = reader(true, false).read(s);
    assertThat(r.structureFrom()).isEqualTo("catalogue");
    assertThat(r.decoded()).isNull();
    assertThat(r.structure().module()).isEqualTo("scene");
    assertThat(r.modules()).extracting(InferenceResponse.DecodedModule::module).doesNotContain("dog");
    final InferenceResponse.DecodedModule cat = r.modules().stream().filter(m -> m.module().equals("cat"))
        .findFirst().orElseThrow();
    assertThat(cat.depth()).isEqualTo(1);
    // a single readout at depth 1: the sketch's readout error over alpha
    assertThat(cat.countStdError()).isCloseTo(s.readoutStdError() / 0.5, within(1e-12));
    assertThat(cat.count()).isCloseTo(1.0, within(4 * cat.countStdError()));
    assertThat(r.presenceStdError()).isEqualTo(s.readoutStdError());
    // two eyes at depth 2: the readout error over alpha squared
    final InferenceResponse.DecodedModule eye = r.modules().stream().filter(m -> m.module().equals("eye"))
        .findFirst().orElseThrow();
    assertThat(eye.depth()).isEqualTo(2);
    assertThat(eye.countStdError()).isCloseTo(s.readoutStdError() / 0.25, within(1e-12));
    assertThat(eye.count()).as("%.3f +- %.3f", eye.count(), eye.countStdError())
        .isCloseTo(2.0, within(4 * eye.countStdError()));
    System.out.printf("SketchReaderTest catalogue only: cat %.3f +- %.3f (presence %.3f), eye %.3f +- %.3f"
        + " (presence %.3f)%n", cat.count(), cat.countStdError(), cat.presence(), eye.count(), eye.countStdError(),
        eye.presence());
  }

  @Test
  void withNothingLearnedNothingIsRead() {
    final SketchReader.Reading r = reader(false, false).read(scene());
    assertThat(r.structureFrom()).isNull();
    assertThat(r.structure()).isNull();
    assertThat(r.modules()).isEmpty();
    assertThat(r.decoded()).isNull();
  }
}
