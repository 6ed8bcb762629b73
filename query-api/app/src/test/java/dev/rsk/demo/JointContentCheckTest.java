package dev.rsk.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.api.model.InferenceResponse;
import dev.rsk.sim.InferenceContent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JointContentCheckTest {

  private static final InferenceContent TRUTH = new InferenceContent("room-1", Instant.EPOCH, 4, Map.of(
      "scene", new InferenceContent.ModuleContent(1, 0, new double[] {0.1}),
      "cat", new InferenceContent.ModuleContent(1, 1, new double[] {0.4, 0.7}),
      "eye", new InferenceContent.ModuleContent(2, 2, new double[] {0.2})));

  private static InferenceResponse.Decoded decoded(final double catCount, final double catSe, final double catSize) {
    final InferenceResponse.TreeNode eye = new InferenceResponse.TreeNode("eye", List.of("scene[0]", "cat[0]"), 2, 2.0,
        0.05, new double[] {0.2}, new double[] {0.01}, List.of());
    final InferenceResponse.TreeNode cat = new InferenceResponse.TreeNode("cat", List.of("scene[0]"), 1, catCount,
        catSe, new double[] {catSize, 0.7}, new double[] {0.02, 0.02}, List.of(eye));
    return new InferenceResponse.Decoded("JOINT", 0.01, List.of(
        new InferenceResponse.DepthCount("scene", 0, 1.0, 0.05),
        new InferenceResponse.DepthCount("cat", 1, catCount, catSe),
        new InferenceResponse.DepthCount("eye", 2, 2.0, 0.05),
        new InferenceResponse.DepthCount("dog", 1, 0.04, 0.05)),
        List.of(new InferenceResponse.TreeNode("scene", List.of(), 0, 1.0, 0.05, new double[] {0.1},
            new double[] {0.01}, List.of(cat))));
  }

  @Test
  void passesWhenEveryCountAndTheFocusAttributesAreWithinThreeStandardErrors() {
    assertThat(JointContentCheck.check(TRUTH, decoded(1.1, 0.05, 0.43), "cat", List.of("size", "x")).passed())
        .isTrue();
  }

  @Test
  void failsOnACountOutsideItsErrorBars() {
    // 1.2 is 4 standard errors from 1
    assertThat(JointContentCheck.check(TRUTH, decoded(1.2, 0.05, 0.4), "cat", List.of("size", "x")).passed())
        .isFalse();
  }

  @Test
  void failsOnAnAttributeOutsideItsErrorBars() {
    // 0.5 is 5 standard errors from 0.4
    assertThat(JointContentCheck.check(TRUTH, decoded(1.0, 0.05, 0.5), "cat", List.of("size", "x")).passed())
        .isFalse();
  }

  @Test
  void failsOnACountOffByMoreThanAQuarterObjectWhateverItsStatedError() {
    // within 3 of its (wide) standard errors, but it would round to the wrong count
    assertThat(JointContentCheck.check(TRUTH, decoded(1.4, 0.5, 0.4), "cat", List.of("size", "x")).passed())
        .isFalse();
  }

  @Test
  void failsOnAnAttributeOffByMoreThanTheFixedToleranceWhateverItsStatedError() {
    final InferenceResponse.Decoded wide = decoded(1.0, 0.05, 0.47);
    // 0.47 is 3.5 standard errors of 0.02 from 0.4: fails on both counts
    assertThat(JointContentCheck.check(TRUTH, wide, "cat", List.of("size", "x")).passed()).isFalse();
    // an attribute 0.06 off with a standard error of 0.05 fails on the fixed tolerance alone
    final InferenceResponse.TreeNode cat = new InferenceResponse.TreeNode("cat", List.of("scene[0]"), 1, 1.0, 0.05,
        new double[] {0.46, 0.7}, new double[] {0.05, 0.05}, List.of());
    final InferenceResponse.Decoded loose = new InferenceResponse.Decoded("JOINT", 0.01, wide.counts(),
        List.of(new InferenceResponse.TreeNode("scene", List.of(), 0, 1.0, 0.05, new double[] {0.1},
            new double[] {0.01}, List.of(cat))));
    assertThat(JointContentCheck.check(TRUTH, loose, "cat", List.of("size", "x")).passed()).isFalse();
  }

  @Test
  void failsWhenATrueModuleIsNotAmongTheNetworksPositions() {
    final InferenceContent withTail = new InferenceContent("room-1", Instant.EPOCH, 5, Map.of(
        "scene", new InferenceContent.ModuleContent(1, 0, new double[] {0.1}),
        "cat", new InferenceContent.ModuleContent(1, 1, new double[] {0.4, 0.7}),
        "eye", new InferenceContent.ModuleContent(2, 2, new double[] {0.2}),
        "tail", new InferenceContent.ModuleContent(1, 2, new double[] {})));
    assertThat(JointContentCheck.check(withTail, decoded(1.0, 0.05, 0.4), "cat", List.of("size", "x")).passed())
        .isFalse();
  }
}
