package dev.rsk.bench.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.bench.eval.JointChecks.Accuracy;
import dev.rsk.bench.eval.JointChecks.Calibration;
import dev.rsk.bench.eval.JointChecks.SumCount;
import dev.rsk.bench.eval.SyntheticNetworks.Network;
import dev.rsk.sketch.DecodedInference.Method;
import dev.rsk.sketch.SketchSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 11's targets for the joint decoder at d = 1024, on other seeds than {@code sketch-eval}'s:
 * accuracy on random 30-module networks and the street camera, a month of summed street sketches, and
 * honest error bars (90% to 99% of decoded counts and attributes within two standard errors) where
 * noise dominates.
 */
class JointChecksTest {
  private static final SketchSpec SPEC = SketchSpec.defaults();
  private static final long DATA = 77L;
  private static final List<Network> NETS = JointChecks.networks(31);

  @Test
  void randomNetworksDecodeWithinTheTargets() {
    final Accuracy acc = JointChecks.accuracy(SPEC, NETS, DATA, 30, false, s -> s);
    assertThat(acc.countRmse()).isLessThanOrEqualTo(0.3);
    assertThat(acc.precision()).isGreaterThanOrEqualTo(0.98);
    assertThat(acc.heavyPositions()).isGreaterThan(50);
    assertThat(acc.recall()).isGreaterThanOrEqualTo(0.98);
    assertThat(acc.depth1Cosine()).isGreaterThanOrEqualTo(0.98);
    assertThat(acc.methods()).containsKey(Method.JOINT);
  }

  @Test
  void weightedInputsCountTheirWeightProducts() {
    final Accuracy acc = JointChecks.accuracy(SPEC, NETS.subList(0, 2), DATA + 1, 30, true, s -> s);
    assertThat(acc.countRmse()).isLessThanOrEqualTo(0.3);
    assertThat(acc.precision()).isGreaterThanOrEqualTo(0.98);
  }

  @Test
  void aMonthOfSummedStreetSketchesCountsEveryModuleWithin3Percent() {
    final SumCount month = JointChecks.streetMonth(SPEC, DATA, 30, 50, true);
    assertThat(month.method()).isEqualTo(Method.JOINT);
    assertThat(month.worstRelativeError()).as(month.toString()).isLessThanOrEqualTo(0.03);
    assertThat(Math.abs(month.wheels() - month.trueWheels())).isLessThanOrEqualTo(4 * month.wheelsStdError());
  }

  @Test
  void errorBarsAreHonestWhereNoiseDominates() {
    final List<Network> street = List.of(SyntheticNetworks.street());
    final Calibration int8 = JointChecks.calibration(SPEC, street, DATA, 60, JointChecks.storage(1, true));
    final Calibration prefix = JointChecks.calibration(SPEC, street, DATA + 1, 60, JointChecks.storage(0.25, false));
    final Calibration smallD =
        JointChecks.calibration(SPEC.withD(256), NETS, DATA + 2, 15, JointChecks.storage(1, false));
    final Calibration wide = JointChecks.calibration(SPEC.withD(512), List.of(NETS.get(2)), DATA + 3, 200,
        JointChecks.storage(0.5, true));
    assertThat(int8.methods()).containsOnlyKeys(Method.JOINT);
    assertThat(prefix.methods()).containsOnlyKeys(Method.SPARSE);
    assertThat(wide.methods()).containsOnlyKeys(Method.SPARSE);
    for (final Calibration c : List.of(int8, prefix, smallD, wide)) {
      // counts and attributes each on their own, over enough values that 90% vs 95% is not chance
      assertThat(c.counts()).isGreaterThan(300);
      assertThat(c.attributes()).as(c.toString()).isGreaterThan(100);
      assertThat(c.countsWithin()).as(c.toString()).isBetween(0.90, 0.99);
      assertThat(c.attributesWithin()).as(c.toString()).isBetween(0.90, 0.99);
    }
  }

  @Test
  void sketchEvalFailsTheCountsOrTheAttributesRowOnItsOwn() {
    // counts honest, attributes under-covered: only the attribute row fails (so sketch-eval exits 1)
    final List<SketchEval.Row> rows = new java.util.ArrayList<>();
    JointEval.calibration(rows, "test", new Calibration(1100, 0.94, 1000, 0.95, 100, 0.85, java.util.Map.of()));
    JointEval.calibration(rows, "test", new Calibration(1100, 0.99, 1000, 0.995, 100, 0.95, java.util.Map.of()));
    assertThat(rows).extracting(SketchEval.Row::pass).containsExactly(true, false, false, true);
  }

  @Test
  void theCalibrationCheckFailsWhenErrorBarsLie() {
    // the same regime with every standard error halved or doubled must leave the [0.90, 0.99] band
    final List<Network> street = List.of(SyntheticNetworks.street());
    final Calibration halved = JointChecks.calibration(SPEC, street, DATA, 60, JointChecks.storage(1, true), 0.5);
    final Calibration doubled = JointChecks.calibration(SPEC, street, DATA, 60, JointChecks.storage(1, true), 2.0);
    assertThat(halved.within2Se()).isLessThan(0.90);
    assertThat(doubled.within2Se()).isGreaterThan(0.99);
  }
}
