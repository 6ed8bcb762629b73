package dev.rsk.sketch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rsk.sketch.SketchException.Reason;
import org.junit.jupiter.api.Test;

class SketchSpecTest {

  @Test
  void defaultsAreTheDocumentedOnes() {
    final SketchSpec s = SketchSpec.defaults();
    assertThat(s.d()).isEqualTo(1024);
    assertThat(s.alpha()).isEqualTo(0.5);
    assertThat(s.beta()).isEqualTo(0.5);
    assertThat(s.seed()).isEqualTo(0x72736B5F53454544L);
    assertThat(s.schemeVersion()).isEqualTo(SketchSpec.CURRENT_SCHEME);
  }

  @Test
  void acceptsTheBoundaries() {
    assertThat(SketchSpec.of(16, 1, 0.6, 0.8).d()).isEqualTo(16);
    assertThat(SketchSpec.of(65_536, 1, 0, 1).d()).isEqualTo(65_536);
    assertThat(SketchSpec.of(1024, -7, 0.25, 0.87).alpha()).isEqualTo(0.25);
  }

  @Test
  void rejectsOutOfRangeParametersWithAClearReason() {
    assertInvalid(() -> SketchSpec.of(15, 1, 0.5, 0.5), "d must be in [16, 65536]");
    assertInvalid(() -> SketchSpec.of(65_537, 1, 0.5, 0.5), "d must be in");
    assertInvalid(() -> SketchSpec.of(1024, 1, -0.1, 0.5), "alpha must be finite");
    assertInvalid(() -> SketchSpec.of(1024, 1, 0.5, Double.NaN), "beta must be finite");
    assertInvalid(() -> SketchSpec.of(1024, 1, 0.8, 0.8), "alpha^2 + beta^2 must be <= 1");
    assertInvalid(() -> new SketchSpec(1024, 1, 0.5, 0.5, 2), "unsupported scheme version 2");
  }

  private static void assertInvalid(final Runnable r, final String message) {
    assertThatThrownBy(r::run)
        .isInstanceOfSatisfying(
            SketchException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_SPEC))
        .hasMessageContaining(message);
  }
}
