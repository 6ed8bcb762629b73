package dev.rsk.bench.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.sketch.SketchSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SketchEvalTest {

  private static String run(final int d, final long seed, final int expectedRc) {
    final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    final int rc = SketchEval.run(new PrintStream(buf, true, StandardCharsets.UTF_8), d, seed);
    final String out = buf.toString(StandardCharsets.UTF_8);
    assertThat(rc).as(out).isEqualTo(expectedRc);
    return out;
  }

  @Test
  void passesForTheDefaultSpec() {
    final String out = run(SketchSpec.DEFAULT_D, SketchSpec.DEFAULT_SEED, 0);
    assertThat(out).contains("d=1024", "1 noise law", "2 unrolled", "3 cats", "4 erasure", "5 similarity",
        "6 structure", "7 determinism", "8 joint decode: count RMSE", "8 street month", "9 calibration, int8",
        "counts within 2 SE", "attributes within 2 SE", "count RMSE at depth 3",
        "9 calibration, d = 256", "d too small", "PASS (0 checks failed)").doesNotContain("FAIL\n");
  }

  @Test
  void passesForD4096() {
    assertThat(run(4096, SketchSpec.DEFAULT_SEED, 0)).contains("d=4096", "PASS (0 checks failed)");
  }

  @Test
  void rejectsAnInvalidDimensionWithAMessage() {
    assertThat(run(8, 1, 2)).contains("d must be in [16, 65536]");
  }

  @Test
  void failsWhenTheDimensionIsTooSmallForTheChecks() {
    // at d = 64 the noise floor swamps counting and structure recovery: the table must say so
    assertThat(run(64, SketchSpec.DEFAULT_SEED, 1)).contains("FAIL");
  }
}
