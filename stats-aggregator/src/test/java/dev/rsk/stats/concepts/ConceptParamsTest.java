package dev.rsk.stats.concepts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The documented defaults of concept detection, and each bound at its edge and one step past it. */
class ConceptParamsTest {

  private static final Duration H = Duration.ofHours(1);

  private static ConceptParams with(final double join, final int members, final int maxClusters,
      final int exemplars) {
    return new ConceptParams(join, members, H, H, H, maxClusters, exemplars);
  }

  private static ConceptParams withDurations(final Duration window, final Duration warmup, final Duration fade) {
    return new ConceptParams(0.5, 5, window, warmup, fade, 10, 5);
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    final ConceptParams d = ConceptParams.DEFAULTS;
    assertThat(d.joinCosine()).isEqualTo(0.85);
    assertThat(d.emergeMembers()).isEqualTo(12);
    assertThat(d.emergeWindow()).isEqualTo(Duration.ofHours(30));
    assertThat(d.warmup()).isEqualTo(Duration.ofDays(14));
    assertThat(d.fadeAfter()).isEqualTo(Duration.ofDays(14));
    assertThat(d.maxClusters()).isEqualTo(2000);
    assertThat(d.exemplars()).isEqualTo(5);
  }

  @Test
  void joinCosineIsStrictlyBetweenZeroAndOne() {
    assertThat(with(Double.MIN_VALUE, 2, 1, 0).joinCosine()).isEqualTo(Double.MIN_VALUE);
    assertThat(with(Math.nextDown(1.0), 2, 1, 0).joinCosine()).isEqualTo(Math.nextDown(1.0));
    for (final double bad : new double[] {0.0, 1.0, -0.1, 1.1, Double.NaN}) {
      assertThatThrownBy(() -> with(bad, 2, 1, 0)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("joinCosine must be in (0, 1)");
    }
  }

  @Test
  void emergeMembersIsBetweenTwoAndTenThousand() {
    assertThat(with(0.5, 2, 1, 0).emergeMembers()).isEqualTo(2);
    assertThat(with(0.5, 10_000, 1, 0).emergeMembers()).isEqualTo(10_000);
    for (final int bad : new int[] {1, 10_001}) {
      assertThatThrownBy(() -> with(0.5, bad, 1, 0)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("emergeMembers must be in [2, 10000]: " + bad);
    }
  }

  @Test
  void maxClustersIsPositiveAndExemplarsBetweenZeroAndAHundred() {
    assertThat(with(0.5, 2, 1, 0).maxClusters()).isEqualTo(1);
    assertThat(with(0.5, 2, 1, 100).exemplars()).isEqualTo(100);
    assertThatThrownBy(() -> with(0.5, 2, 0, 5)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxClusters >= 1");
    assertThatThrownBy(() -> with(0.5, 2, 1, -1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exemplars in [0, 100]");
    assertThatThrownBy(() -> with(0.5, 2, 1, 101)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exemplars in [0, 100]");
  }

  @Test
  void everyDurationIsPositive() {
    final Duration ns = Duration.ofNanos(1);
    assertThat(withDurations(ns, ns, ns).emergeWindow()).isEqualTo(ns);
    final Duration[] bad = {null, Duration.ZERO, Duration.ofNanos(-1)};
    for (final Duration b : bad) {
      assertThatThrownBy(() -> withDurations(b, H, H)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("durations must be positive");
      assertThatThrownBy(() -> withDurations(H, b, H)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("durations must be positive");
      assertThatThrownBy(() -> withDurations(H, H, b)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("durations must be positive");
    }
  }
}
