package dev.rsk.sketch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.rsk.sketch.SketchException.Reason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The accuracy a sketch states about itself ({@link Sketch#readoutStdError()}, {@link
 * Sketch#significanceThreshold()}) checked against hand values and against the spread of readouts
 * over many random specs.
 */
class SketchAccuracyTest {
  private static final int D = 1024;
  private static final int SEEDS = 200;
  private static final List<String> ABSENT =
      IntStream.range(0, 10).mapToObj(i -> "absent" + i).toList();

  /** A scene with 12 cats (k = 3), each with one eye (k = 1): a fixed DAG, norm well above 1. */
  private static ObjectDag scene() {
    final List<SketchObject> objects = new ArrayList<>();
    final List<SketchInput> cats = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      objects.add(new SketchObject("cat" + i, "cat", new float[] {0.1f * i, 1f, -0.5f},
          List.of(new SketchInput("eye" + i, "0", 1f))));
      objects.add(SketchObject.leaf("eye" + i, "eye", 0.3f * i - 1f));
      cats.add(new SketchInput("cat" + i, String.valueOf(i % 3), 1f));
    }
    objects.add(new SketchObject("scene", "scene", new float[] {2f, -1f}, cats));
    return ObjectDag.of(objects, "scene");
  }

  /** Readouts of the modules absent from the scene, and the stated errors, over many random specs. */
  private record Spread(double[] readouts, double meanStdError, double[] thresholds, double[] catPresence) {
    double std() {
      double mean = 0;
      for (final double r : readouts) {
        mean += r;
      }
      mean /= readouts.length;
      double ss = 0;
      for (final double r : readouts) {
        ss += (r - mean) * (r - mean);
      }
      return Math.sqrt(ss / (readouts.length - 1));
    }

    double mean() {
      double sum = 0;
      for (final double r : readouts) {
        sum += r;
      }
      return sum / readouts.length;
    }

    int aboveThreshold() {
      int n = 0;
      for (int i = 0; i < readouts.length; i++) {
        n += readouts[i] >= thresholds[i] ? 1 : 0;
      }
      return n;
    }
  }

  /** {@code fraction = 1}: full sketches; {@code 0.25}: prefixes of {@code d / 4} coordinates. */
  private static Spread spread(final double fraction) {
    final ObjectDag dag = scene();
    final SplittableRandom rnd = new SplittableRandom(2024);
    final double[] readouts = new double[SEEDS * ABSENT.size()];
    final double[] thresholds = new double[readouts.length];
    final double[] cat = new double[SEEDS];
    double stdErrors = 0;
    int n = 0;
    for (int i = 0; i < SEEDS; i++) {
      final SketchSpec spec = SketchSpec.of(D, rnd.nextLong(), 0.5, 0.5);
      final Sketch full = new RecursiveSketcher(spec, 0).sketch(dag);
      final Sketch s = fraction == 1 ? full : Sketches.truncate(full, fraction);
      final SketchDecoder dec = new SketchDecoder(spec, 0);
      stdErrors += s.readoutStdError();
      cat[i] = dec.presence(s, "cat");
      for (final String m : ABSENT) {
        thresholds[n] = s.significanceThreshold();
        readouts[n++] = dec.presence(s, m);
      }
    }
    return new Spread(readouts, stdErrors / SEEDS, thresholds, cat);
  }

  @Test
  void theStatedStandardErrorIsTheSpreadOfAnAbsentModulesReadout() {
    for (final double fraction : new double[] {1, 0.25}) {
      final Spread spread = spread(fraction);
      assertThat(spread.std() / spread.meanStdError()).as("fraction %s", fraction).isBetween(0.85, 1.15);
      // unbiased: the mean of the 2000 readouts is within 4 standard errors of the mean of 0
      assertThat(Math.abs(spread.mean()))
          .isLessThan(4 * spread.meanStdError() / Math.sqrt(spread.readouts().length));
    }
  }

  @Test
  void theThresholdIsFourOverSqrtTwoStandardErrors() {
    final Sketch s = new RecursiveSketcher(SketchSpec.defaults()).sketch(scene());
    final Sketch prefix = Sketches.truncate(s, 0.25);
    for (final Sketch t : List.of(s, prefix)) {
      assertThat(t.significanceThreshold()).isCloseTo(2.82842712474619 * t.readoutStdError(), within(1e-12));
      assertThat(t.significanceThreshold(3)).isCloseTo(2.1213203435596424 * t.readoutStdError(), within(1e-12));
    }
    assertThat(new SketchDecoder(SketchSpec.defaults()).threshold(prefix)).isEqualTo(prefix.significanceThreshold());
  }

  @Test
  void absentModulesCrossTheThresholdRarelyAndAPresentOneAlways() {
    for (final double fraction : new double[] {1, 0.25}) {
      final Spread spread = spread(fraction);
      // normal approximation: about 0.23% of the 2000 tests, 5; 1% would be 20
      assertThat(spread.aboveThreshold()).as("fraction %s", fraction).isLessThan(spread.readouts().length / 100);
      // guards against a threshold so high that nothing passes: 12 cats at alpha = 1/2 weigh 6
      for (int i = 0; i < SEEDS; i++) {
        assertThat(spread.catPresence()[i]).isGreaterThan(spread.thresholds()[i * ABSENT.size()]);
      }
    }
  }

  @Test
  void statedErrorsOfHandBuiltVectors() {
    final SketchSpec spec = SketchSpec.of(16, 1, 0.5, 0.5);
    final float[] quarter = new float[16];
    Arrays.fill(quarter, 0.25f);
    final Sketch full = new Sketch(spec, quarter); // norm 1
    assertThat(full.norm()).isCloseTo(1, within(1e-12));
    assertThat(full.readoutStdError()).isCloseTo(0.3535533905932738, within(1e-12)); // sqrt(2) / 4
    assertThat(full.significanceThreshold()).isCloseTo(1, within(1e-12)); // 4 * 1 / sqrt(16)
    assertThat(full.significanceThreshold(3)).isCloseTo(0.75, within(1e-12));
    // a prefix of 4 coordinates of norm 1 stands for a full vector of norm 16 / 4 = 4
    final Sketch prefix = new Sketch(spec, new float[] {0.5f, 0.5f, -0.5f, 0.5f});
    assertThat(prefix.norm()).isCloseTo(1, within(1e-12));
    assertThat(prefix.readoutStdError()).isCloseTo(Math.sqrt(2), within(1e-12));
    assertThat(prefix.significanceThreshold()).isCloseTo(4, within(1e-12));
    assertThat(new Sketch(spec, new float[16]).readoutStdError()).isZero();
  }

  @Test
  void aThresholdFactorMustBePositiveAndFinite() {
    final Sketch s = new Sketch(SketchSpec.of(16, 1, 0.5, 0.5), new float[] {1f});
    for (final double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> s.significanceThreshold(bad))
          .isInstanceOfSatisfying(SketchException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_OBJECT));
    }
  }
}
