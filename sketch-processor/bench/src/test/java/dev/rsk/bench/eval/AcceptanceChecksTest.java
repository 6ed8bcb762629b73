package dev.rsk.bench.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.sketch.ObjectDag;
import dev.rsk.sketch.RecursiveSketcher;
import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchDecoder;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.sketch.StructureCatalogue;
import dev.rsk.sketch.TagStep;
import dev.rsk.bench.eval.AccuracyChecks.Bias;
import dev.rsk.bench.eval.AccuracyChecks.Similarity;
import dev.rsk.bench.eval.AccuracyChecks.StreamCount;
import dev.rsk.bench.eval.AccuracyChecks.Structure;
import dev.rsk.bench.eval.SyntheticDags.Dag;
import dev.rsk.bench.eval.SyntheticDags.Placement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The seven acceptance checks of the design page (section 5), against the exact oracle on seeded
 * layered DAGs, at the default spec (d = 1024) unless the check itself spans dimensions. A different
 * data seed from {@code sketch-eval}'s, so the two are independent samples.
 */
class AcceptanceChecksTest {
  private static final SketchSpec SPEC = SketchSpec.defaults();
  private static final long DATA = 7L;

  @Test
  void check1NoiseLawHoldsAndScalesAsOneOverSqrtD() {
    assertThat(AccuracyChecks.noiseLawRatio(SPEC, DATA, 150)).isBetween(0.8, 1.2);
    assertThat(AccuracyChecks.noiseLawSlope(SPEC, DATA, 50)).isBetween(-0.55, -0.45);
  }

  @Test
  void check2UnrolledReadoutsFollowTheLawAtDepthsOneToThree() {
    final double[] ratios = AccuracyChecks.unrolledRatios(SPEC, DATA, 150);
    assertThat(ratios).hasSize(3);
    for (final double r : ratios) {
      assertThat(r).isBetween(0.7, 1.3);
    }
  }

  @Test
  void check2UnrollingAlongAWrongSlotRecoversNothing() {
    // guards the checks themselves: if R were not exactly undone, unrolled readouts would be noise
    final SketchSpec spec = SketchSpec.defaults().withD(4096);
    final RecursiveSketcher sketcher = new RecursiveSketcher(spec);
    final SketchDecoder dec = new SketchDecoder(spec);
    final SplittableRandom rnd = new SplittableRandom(DATA);
    int right = 0;
    int wrong = 0;
    int n = 0;
    for (int i = 0; i < 40; i++) {
      final Dag dag = SyntheticDags.layered(rnd, "", false);
      final Sketch s = sketcher.sketch(ObjectDag.of(dag.objects(), dag.rootId()));
      final ExactOracle oracle = ExactOracle.of(dag.objects(), dag.rootId(), spec.alpha(), spec.beta());
      final double tau = dec.threshold(s);
      for (final Placement p : dag.placements()) {
        if (p.depth() != 1 || oracle.presence(p.path(), p.module()) < 2 * tau) {
          continue;
        }
        n++;
        right += dec.presence(dec.unroll(s, p.path()), p.module()) >= tau ? 1 : 0;
        final TagStep step = p.path().get(0);
        final List<TagStep> bad = List.of(new TagStep(step.module(), step.slot() + "x"));
        wrong += dec.presence(dec.unroll(s, bad), p.module()) >= tau ? 1 : 0;
      }
    }
    assertThat(n).isGreaterThan(50);
    assertThat(right).isEqualTo(n);
    assertThat(wrong).isLessThanOrEqualTo(n / 50);
  }

  @Test
  void check3CountsAndMeansAreUnbiasedAndAStreamOfScenesCountsCats() {
    final Bias bias = AccuracyChecks.bias(SPEC, DATA, 12, 15);
    assertThat(Math.abs(bias.presenceT())).isLessThan(3);
    assertThat(Math.abs(bias.presenceRelative())).isLessThan(0.03);
    assertThat(Math.abs(bias.attributeT())).isLessThan(3);
    final StreamCount cats = AccuracyChecks.catStream(SPEC, DATA, 100);
    assertThat(cats.trueCats()).isGreaterThan(50);
    assertThat(cats.perSketchRelativeError()).isLessThanOrEqualTo(0.05);
    // the joint readout cancels interference: never worse than the plain one by more than noise
    assertThat(cats.jointRelativeError()).isLessThan(cats.relativeError() + 0.02);
  }

  @Test
  void check3PerSketchCountErrorMatchesTheReferenceSimulation() {
    // design page: about 0.33 objects at d = 1024 (unit weights, ~10 objects)
    final double countError = AccuracyChecks.presenceRmsError(SPEC, DATA, 150) / SPEC.alpha();
    assertThat(countError).isBetween(0.25, 0.40);
  }

  @Test
  void check4ErasureErrorsGrowAsOneOverSqrtQ() {
    final double[] curve = AccuracyChecks.erasureCurve(SPEC, DATA, 80);
    assertThat(curve[0]).isEqualTo(1.0);
    for (final double c : curve) {
      assertThat(c).isBetween(0.9, 1.1);
    }
    assertThat(AccuracyChecks.int8Cost(SPEC, DATA, 60)).isBetween(0.99, 1.05);
  }

  @Test
  void check5SimilarityTracksTheOracleAndIndependentInputsAreOrthogonal() {
    // cosine noise of a random embedding is about sqrt(1 + cos^2) / sqrt(d): 3/sqrt(d) is a
    // three-sigma bound, so a couple of pairs in a hundred may exceed it, never many
    final Similarity sim = AccuracyChecks.similarity(SPEC, DATA, 150);
    assertThat(sim.withinFraction()).isGreaterThanOrEqualTo(0.98);
    assertThat(sim.medianDeviation()).isLessThan(1.0);
    assertThat(sim.maxDeviation()).isLessThan(5.0);
    assertThat(sim.independentBelowFraction()).isGreaterThanOrEqualTo(0.98);
  }

  @Test
  void check6StructureRecoveryFindsHeavyObjectsWithFewFalsePositives() {
    final Structure st = AccuracyChecks.structure(SPEC, DATA, 80, true);
    assertThat(st.heavyObjects()).isGreaterThan(30);
    assertThat(st.recall()).isGreaterThanOrEqualTo(0.95);
    assertThat(st.falsePositivesPerSketch()).isLessThanOrEqualTo(1.0);
  }

  @Test
  void structureRecoveryWithoutAGrammarStillFindsMostObjects() {
    // only module -> k known: positional slots, modules present at the root path, inferred root
    final Structure st = AccuracyChecks.structure(SPEC, DATA, 80, false);
    assertThat(st.recall()).isGreaterThanOrEqualTo(0.8);
    assertThat(st.falsePositivesPerSketch()).isLessThanOrEqualTo(1.0);
  }

  @Test
  void attributeRecoveryDegradesWithDepthAsDesigned() {
    final double[] cos = AccuracyChecks.attributeRecovery(SketchSpec.defaults().withD(4096), DATA, 60);
    assertThat(cos[0]).isGreaterThan(0.9);
    assertThat(cos[1]).isGreaterThan(0.5).isLessThan(cos[0]);
    assertThat(cos[2]).isLessThan(cos[1]);
  }

  @Test
  void jointReadoutsBeatPlainReadoutsOnASingleSketch() {
    final RecursiveSketcher sketcher = new RecursiveSketcher(SPEC);
    final SketchDecoder dec = new SketchDecoder(SPEC);
    final StructureCatalogue.Builder b = new StructureCatalogue.Builder();
    final SplittableRandom rnd = new SplittableRandom(DATA);
    for (int i = 0; i < 100; i++) {
      final Dag dag = SyntheticDags.scene(rnd);
      b.add(ObjectDag.of(dag.objects(), dag.rootId()));
    }
    final StructureCatalogue catalogue = b.build();
    final List<Double> plain = new ArrayList<>();
    final List<Double> joint = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      final Dag dag = SyntheticDags.scene(rnd);
      final Sketch s = sketcher.sketch(ObjectDag.of(dag.objects(), dag.rootId()));
      final ExactOracle o = ExactOracle.of(dag.objects(), dag.rootId(), SPEC.alpha(), SPEC.beta());
      final Map<String, Double> jp = dec.jointPresence(s, catalogue);
      for (final String m : catalogue.attributeLengths().keySet()) {
        final double truth = o.presence(List.of(), m);
        plain.add(Math.abs(dec.presence(s, m) - truth));
        joint.add(Math.abs(jp.get(m) - truth));
      }
    }
    final double plainMean = plain.stream().mapToDouble(x -> x).average().orElseThrow();
    final double jointMean = joint.stream().mapToDouble(x -> x).average().orElseThrow();
    assertThat(jointMean).isLessThan(plainMean / 3);
  }
}
