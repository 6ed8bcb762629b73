package dev.rsk.sketch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.rsk.sketch.DecodedInference.Method;
import dev.rsk.sketch.SketchException.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The joint decoder on hand-built street scenes whose counts and attributes are known by
 * construction (the wider accuracy and calibration checks are in the bench module's JointChecksTest).
 */
class JointDecoderTest {
  private static final SketchSpec SPEC = SketchSpec.defaults();

  /** A street with the given kinds on slots 0, 1, ...: a car has 4 wheels, a person a face. */
  private static ObjectDag street(final float shift, final String... kinds) {
    final List<SketchObject> objects = new ArrayList<>();
    final List<SketchInput> inputs = new ArrayList<>();
    for (int i = 0; i < kinds.length; i++) {
      final String id = kinds[i] + i;
      final List<SketchInput> parts = new ArrayList<>();
      if (kinds[i].equals("car")) {
        for (int w = 0; w < 4; w++) {
          objects.add(SketchObject.leaf(id + "w" + w, "wheel", 0.5f + w + shift));
          parts.add(new SketchInput(id + "w" + w, "wheel" + w, 1f));
        }
        objects.add(new SketchObject(id, "car", new float[] {1f + i, -2f, shift}, parts));
      } else {
        objects.add(SketchObject.leaf(id + "f", "face", 0.2f, 0.4f + shift));
        parts.add(new SketchInput(id + "f", "0", 1f));
        objects.add(new SketchObject(id, "person", new float[] {3f, shift}, parts));
      }
      inputs.add(new SketchInput(id, String.valueOf(i), 1f));
    }
    objects.add(new SketchObject("s", "street", new float[] {0.3f, shift}, inputs));
    return ObjectDag.of(objects, "s");
  }

  private static StructureCatalogue catalogue() {
    return new StructureCatalogue.Builder()
        .add(street(0, "car", "car", "person"))
        .add(street(0, "person", "car"))
        .build();
  }

  private static Sketch sketch(final ObjectDag dag) {
    return new RecursiveSketcher(SPEC).sketch(dag);
  }

  private static double count(final DecodedInference r, final String module, final int depth) {
    return r.count(module, depth).orElseThrow().count();
  }

  @Test
  void anExactFitReadsCountsAttributesAndTheTreeAtStoragePrecision() {
    final JointDecoder dec = new DecoderCache().forStructure(SPEC, catalogue());
    // street[0] car or person, street[1] car, street[2] person; 4 wheels per car, a face per person
    assertThat(dec.positions()).isEqualTo(1 + 4 + 8 + 2);
    assertThat(dec.columns()).isEqualTo(3 + 2 * 4 + 2 * 3 + 8 * 2 + 2 * 3);
    final DecodedInference r = dec.decode(sketch(street(0.25f, "car", "car", "person")));
    assertThat(r.method()).isEqualTo(Method.JOINT);
    assertThat(count(r, "street", 0)).isCloseTo(1, within(1e-4));
    assertThat(count(r, "car", 1)).isCloseTo(2, within(1e-4));
    assertThat(count(r, "person", 1)).isCloseTo(1, within(1e-4));
    assertThat(count(r, "wheel", 2)).isCloseTo(8, within(1e-4));
    assertThat(count(r, "face", 2)).isCloseTo(1, within(1e-4));
    for (final DecodedInference.ModuleCount c : r.modules()) {
      // exact: the error bars state float32 precision, never 0
      assertThat(c.countStdError()).isGreaterThan(0).isLessThan(1e-4);
    }
    assertThat(r.roots()).hasSize(1);
    final DecodedNode root = r.roots().get(0);
    assertThat(root.module()).isEqualTo("street");
    assertThat(root.subtreeSize()).as("no phantom node").isEqualTo(1 + 3 + 8 + 1);
    assertThat(root.children()).extracting(DecodedNode::module).containsExactly("car", "car", "person");
    final DecodedNode car1 = root.children().get(1);
    assertThat(car1.tagPath()).containsExactly("street[1]");
    assertThat(car1.slot()).isEqualTo("1");
    assertThat(car1.meanAttributes()).containsExactly(new double[] {2, -2, 0.25}, within(1e-4));
    for (final double se : car1.meanAttributeStdErrors()) {
      assertThat(se).isGreaterThan(0).isLessThan(1e-4);
    }
    assertThat(car1.children()).extracting(DecodedNode::slot).containsExactly("wheel0", "wheel1", "wheel2", "wheel3");
    assertThat(car1.children().get(3).meanAttributes()[0]).isCloseTo(3.75, within(1e-4));
  }

  @Test
  void aSumOfSketchesReadsTotalsAndAPrefixIsFittedOnItsRows() {
    final JointDecoder dec = new JointDecoder(new SketchDecoder(SPEC), catalogue());
    Sketch sum = sketch(street(0, "car", "car", "person"));
    for (int i = 0; i < 49; i++) {
      sum = Sketches.sum(sum, sketch(street(0.01f * i, "person", "car")));
    }
    final DecodedInference r = dec.decode(sum);
    assertThat(count(r, "street", 0)).isCloseTo(50, within(1e-3));
    assertThat(count(r, "car", 1)).isCloseTo(51, within(1e-3));
    assertThat(count(r, "wheel", 2)).isCloseTo(204, within(1e-2));
    assertThat(count(r, "face", 2)).isCloseTo(50, within(1e-3));
    assertThat(r.total("wheel").orElseThrow().count()).isCloseTo(204, within(1e-2));
    assertThat(r.total("wheel").orElseThrow().depth()).isEqualTo(-1);
    // 128 rows still hold 39 columns three times over: the same exact answer
    final DecodedInference prefix = dec.decode(Sketches.truncate(sketch(street(0, "person", "car")), 0.125));
    assertThat(prefix.method()).isEqualTo(Method.JOINT);
    assertThat(prefix.rows()).isEqualTo(128);
    assertThat(count(prefix, "wheel", 2)).isCloseTo(4, within(1e-3));
  }

  @Test
  void anObjectOutsideTheStructureRaisesTheErrorBarsInsteadOfHidingIn() {
    // a person on slot 1 was never seen: its columns are not in the fit, its energy stays in the residual
    final JointDecoder dec = new JointDecoder(new SketchDecoder(SPEC), catalogue());
    final DecodedInference r = dec.decode(sketch(street(0, "car", "person")));
    final DecodedInference.ModuleCount wheels = r.count("wheel", 2).orElseThrow();
    assertThat(wheels.countStdError()).isGreaterThan(1e-3);
    assertThat(Math.abs(wheels.count() - 4)).isLessThan(3 * wheels.countStdError());
    assertThat(r.residualStdError()).isGreaterThan(1e-3);
  }

  @Test
  void int8StorageAddsNoiseThatTheErrorBarsCover() {
    final JointDecoder dec = new JointDecoder(new SketchDecoder(SPEC), catalogue());
    final Sketch s = sketch(street(0.5f, "car", "car", "person"));
    final DecodedInference r = dec.decode(Sketches.fromInt8(SPEC, Sketches.toInt8(s)));
    final Map<String, Double> truth = Map.of("street", 1.0, "car", 2.0, "person", 1.0, "wheel", 8.0, "face", 1.0);
    for (final DecodedInference.ModuleCount c : r.modules()) {
      final double t = c.depth() == (c.module().equals("street") ? 0 : c.module().matches("car|person") ? 1 : 2)
          ? truth.get(c.module()) : 0;
      assertThat(c.countStdError()).isGreaterThan(1e-4);
      assertThat(Math.abs(c.count() - t)).as(c.toString()).isLessThan(4 * c.countStdError());
    }
  }

  @Test
  void tooFewRowsUseTheSparseFitAndNoStructureFallsBackToGreedyAndSaysSo() {
    final JointDecoder dec = new JointDecoder(new SketchDecoder(SPEC), catalogue());
    final DecodedInference sparse = dec.decode(Sketches.truncate(sketch(street(0, "car")), 64.0 / 1024));
    assertThat(sparse.method()).isEqualTo(Method.SPARSE);
    assertThat(count(sparse, "car", 1))
        .isCloseTo(1, within(4 * sparse.count("car", 1).orElseThrow().countStdError() + 1e-3));
    final StructureCatalogue noGrammar = StructureCatalogue.of(catalogue().attributeLengths());
    final JointDecoder greedy = new JointDecoder(new SketchDecoder(SPEC), noGrammar);
    assertThat(greedy.positions()).isZero();
    final DecodedInference g = greedy.decode(sketch(street(0, "car", "person")));
    assertThat(g.method()).isEqualTo(Method.GREEDY_FALLBACK);
    assertThat(g.columns()).isZero();
    assertThat(g.modules()).allSatisfy(c -> assertThat(c.countStdError()).isGreaterThan(0));
  }

  @Test
  void everyPrefixLengthDecodesToFiniteNumbersWithTheMethodItCanAfford() {
    // roots (3 columns) and one aggregate per (module, depth) (5) need a budget of 8: 16 rows
    final JointDecoder dec = new JointDecoder(new SketchDecoder(SPEC), catalogue());
    final Sketch s = sketch(street(0, "car", "person"));
    for (final int m : new int[] {1, 8, 15, 16, 77, 78, 1024}) {
      final DecodedInference r = dec.decode(Sketches.truncate(s, m / 1024.0));
      assertThat(r.method()).as("m=" + m)
          .isEqualTo(m < 16 ? Method.GREEDY_FALLBACK : m < 78 ? Method.SPARSE : Method.JOINT);
      for (final DecodedInference.ModuleCount c : r.modules()) {
        assertThat(c.count()).as("m=" + m + " " + c).isFinite();
        assertThat(c.countStdError()).as("m=" + m + " " + c).isFinite().isGreaterThan(0);
      }
    }
    final DecodedInference zero = dec.decode(new Sketch(SPEC, new float[SPEC.d()]));
    assertThat(zero.roots()).isEmpty();
    assertThat(zero.modules()).allSatisfy(c -> assertThat(c.countStdError()).isGreaterThan(0));
  }

  @Test
  void rejectsASketchOfAnotherSpecAndSharesDecodersOfEqualStructures() {
    final DecoderCache cache = new DecoderCache();
    final JointDecoder dec = cache.forStructure(SPEC, catalogue());
    assertThat(cache.forStructure(SPEC, catalogue())).isSameAs(dec);
    final Sketch other = new RecursiveSketcher(SPEC.withSeed(1)).sketch(street(0, "car"));
    assertThatThrownBy(() -> dec.decode(other))
        .isInstanceOf(SketchException.class)
        .satisfies(e -> assertThat(((SketchException) e).reason()).isEqualTo(Reason.SPEC_MISMATCH));
    assertThatThrownBy(() -> dec.decode(null)).isInstanceOf(SketchException.class);
  }
}
