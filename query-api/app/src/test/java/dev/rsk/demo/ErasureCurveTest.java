package dev.rsk.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.sim.GroundTruth;
import dev.rsk.sim.InferenceContent;
import dev.rsk.sim.RoomSimulator;
import dev.rsk.sim.SimulatedInference;
import dev.rsk.sim.SimulationConfig;
import dev.rsk.sketch.DecodedInference;
import dev.rsk.sketch.ObjectDag;
import dev.rsk.sketch.RecursiveSketcher;
import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.sketch.Sketches;
import dev.rsk.sketch.StructureCatalogue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The demo's erasure curve on a simulated week sketched here (int8, as the repository stores them), with
 * the network learned from the same DAGs: it passes with the real decoder, and the check fails when
 * decoding is wrong or when the stated errors understate it.
 */
class ErasureCurveTest {

  private static List<ErasureCurve.Point> week() {
    final SimulationConfig config = SimulationConfig.defaults().withDays(7);
    final SketchSpec spec = SketchSpec.defaults();
    final RecursiveSketcher sketcher = new RecursiveSketcher(spec);
    final GroundTruth truth = new GroundTruth(config, true);
    final StructureCatalogue.Builder network = new StructureCatalogue.Builder();
    final Map<String, Sketch> stored = new HashMap<>();
    final RoomSimulator sim = new RoomSimulator(config);
    while (sim.hasNext()) {
      final SimulatedInference inf = sim.next();
      truth.add(inf);
      final ObjectDag dag = ExactSimilarity.dag(inf);
      network.add(dag);
      stored.put(inf.inferenceId(), Sketches.fromInt8(spec, Sketches.toInt8(sketcher.sketch(dag))));
    }
    final List<InferenceContent> all = truth.inferenceList();
    final List<ErasureCurve.Sample> samples = new ArrayList<>();
    for (int i = 0; i < all.size() && samples.size() < ErasureCurve.SAMPLE; i += all.size() / ErasureCurve.SAMPLE) {
      samples.add(new ErasureCurve.Sample(all.get(i), stored.get(all.get(i).inferenceId())));
    }
    return ErasureCurve.measure(network.build(), samples);
  }

  @Test
  void aSimulatedWeekDecodesWithinTheTargetsAtEveryFraction() {
    final List<ErasureCurve.Point> points = week();
    final Check c = ErasureCurve.check(points);
    c.details().forEach(System.out::println);
    assertThat(c.passed()).as(String.join("\n", c.details())).isTrue();
    assertThat(points).hasSize(4);
    assertThat(points.get(3).rmse()).isGreaterThan(points.get(0).rmse());
    assertThat(points.get(0).joint()).isTrue();
  }

  @Test
  void aSparseFractionMayMissTheJointTargetsButNotItsErrorBars() {
    assertThat(ErasureCurve.check(List.of(point(1, 0.01, 0.01, 0.95), point(0.5, 0.014, 0.014, 0.95),
        point(0.25, 0.02, 0.02, 0.95), sparse(0.125, 0.45, 0.45, 0.97))).passed()).isTrue();
    assertThat(ErasureCurve.check(List.of(point(1, 0.01, 0.01, 0.95), point(0.5, 0.014, 0.014, 0.95),
        point(0.25, 0.02, 0.02, 0.95), sparse(0.125, 0.45, 0.2, 0.70))).passed()).isFalse();
  }

  @Test
  void failsWhenACutCostsNothing() {
    assertThat(ErasureCurve.check(List.of(point(1, 0.01, 0.01, 0.95), point(0.5, 0.01, 0.01, 0.95),
        point(0.25, 0.002, 0.01, 0.95), point(0.125, 0.01, 0.01, 0.95))).passed()).isFalse();
  }

  private static ErasureCurve.Point point(final double q, final double rmse, final double se, final double within) {
    return new ErasureCurve.Point(q, (int) (1024 * q), 100, 1000, rmse, se, within,
        Map.of(DecodedInference.Method.JOINT, 40));
  }

  private static ErasureCurve.Point sparse(final double q, final double rmse, final double se, final double within) {
    return new ErasureCurve.Point(q, (int) (1024 * q), 100, 1000, rmse, se, within,
        Map.of(DecodedInference.Method.SPARSE, 40));
  }

  @Test
  void passesWhenErrorsGrowAsOneOverRootQAndStayWithinTheirErrorBars() {
    assertThat(ErasureCurve.check(List.of(point(1, 0.01, 0.01, 0.95), point(0.5, 0.014, 0.014, 0.95),
        point(0.25, 0.02, 0.02, 0.95), point(0.125, 0.028, 0.028, 0.95))).passed()).isTrue();
  }

  @Test
  void failsWhenAFractionMissesTheAccuracyTarget() {
    assertThat(ErasureCurve.check(List.of(point(1, 0.1, 0.1, 0.95), point(0.5, 0.14, 0.14, 0.95),
        point(0.25, 0.2, 0.2, 0.95), point(0.125, 0.35, 0.35, 0.95))).passed()).isFalse();
  }

  @Test
  void failsWhenErrorsGrowFasterThanOneOverRootQ() {
    assertThat(ErasureCurve.check(List.of(point(1, 0.01, 0.01, 0.95), point(0.5, 0.014, 0.014, 0.95),
        point(0.25, 0.02, 0.02, 0.95), point(0.125, 0.09, 0.09, 0.95))).passed()).isFalse();
  }

  @Test
  void failsWhenTheStatedErrorsUnderstateTheError() {
    assertThat(ErasureCurve.check(List.of(point(1, 0.01, 0.01, 0.95), point(0.5, 0.014, 0.005, 0.60),
        point(0.25, 0.02, 0.02, 0.95), point(0.125, 0.028, 0.028, 0.95))).passed()).isFalse();
  }
}
