package dev.rsk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgressBarTest {

  @Test
  void halfwayShowsHalfABarRatesAndTheEtaOfTheQueryableRate() {
    // 400 of 800 queryable in 4 s: 100/s, so 400 more take 4 s.
    assertThat(ProgressBar.format(800, 600, 500, 400, 4.0)).isEqualTo("[##########----------]  50% | "
        + "published 600/800 (150/s) | sketched 500 (125/s) | queryable 400 (100/s) | 4.0 s, ETA 4 s");
  }

  @Test
  void theEtaIgnoresTheTimeThePipelineTookToFill() {
    // Nothing queryable for the first 30 s, then 400 in 4 s (100/s): 400 more take 4 s, not 34 s.
    assertThat(ProgressBar.format(800, 800, 600, 400, 34.0, 30.0)).endsWith("34.0 s, ETA 4 s");
    assertThat(ProgressBar.format(800, 800, 600, 400, 34.0)).as("measured from the start").endsWith("ETA 34 s");
    assertThat(ProgressBar.format(800, 800, 600, 40, 30.5, 30.0)).as("half a second of progress: no rate yet")
        .endsWith("ETA --");
    assertThat(ProgressBar.format(800, 800, 600, 0, 30.5, Double.NaN)).endsWith("ETA --");
  }

  @Test
  void beforeAnythingIsQueryableThereIsNoEta() {
    assertThat(ProgressBar.format(800, 10, 0, 0, 0.2)).isEqualTo("[--------------------]   0% | "
        + "published 10/800 | sketched 0 | queryable 0 | 0.2 s, ETA --");
  }

  @Test
  void longEtasInMinutesAndDone() {
    assertThat(ProgressBar.format(10_000, 100, 100, 10, 1.0)).endsWith("ETA 16 min 39 s");
    assertThat(ProgressBar.format(840, 840, 840, 840, 7.5)).startsWith("[####################] 100% |")
        .endsWith("ETA 0 s");
  }

  @Test
  void unknownTotalHasNoBarNoEta() {
    assertThat(ProgressBar.format(ProgressBar.UNKNOWN, 5, 4, 3, 1.0))
        .isEqualTo("published 5 (5/s) | sketched 4 (4/s) | queryable 3 (3/s) | 1.0 s");
  }

  @Test
  void standaloneLineSaysWhetherTheStoreIsUpToDate() {
    assertThat(StandaloneProgress.format(new long[] {1000, 80, 0}, new long[] {0, 0, 0}, 2))
        .isEqualTo("published 1,000 events (500/s) | sketched 80 inferences (40/s) | queryable: up to date");
    assertThat(StandaloneProgress.format(new long[] {1000, 80, 7}, new long[] {1000, 80, 9}, 2))
        .endsWith("queryable: catching up (7 offsets behind)");
  }
}
