package dev.rsk.stats.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.contract.SketchMapper;
import dev.rsk.sketch.DecoderCache;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.query.lang.QueryAccumulator;
import dev.rsk.stats.query.lang.QueryAnswer;
import dev.rsk.stats.query.lang.QueryPlan;
import dev.rsk.stats.query.lang.Slots;
import dev.rsk.stats.serde.RepositoryCodec;
import dev.rsk.stats.testing.StreetScenes;
import dev.rsk.stats.testing.StreetScenes.Scene;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Are the decoded error bars honest? Over many independent queries (each its own sketch seed and its own
 * street scenes, stored exactly as the repository stores them: int8, no edges, read through the scan's
 * {@link StoredQueryRecord}), the truth computed here from the scenes must lie within two stated standard
 * errors in a fraction in [0.90, 0.99] (about 95% for a normal error): not below (bars too small), not above
 * (bars so wide they say nothing). The calibrated count may reach 1.0, its bars held by their mean width instead
 * (each query fits its own prior and scale over a few scenes). Deterministic seeds: the fractions are the same on
 * every run. d = 4096, the dimension docs/queries.md advises for decoded paths.
 */
class ErrorBarsTest {

  static final int TRIALS = 200;
  static final int SCENES = 20;
  static final long T0 = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();
  static final DecoderCache DECODERS = new DecoderCache();

  /**
   * What the network learned from complete street scenes tells the decoder: a person sits one level under the
   * street (positional slots, as for records without structure).
   */
  static final Slots NETWORK = new Slots.Builder().depth("street", 0, 1).depth("person", 1, 1).build();

  private static QueryAnswer ask(final String where, final List<String> select, final List<Scene> scenes) {
    return ask(where, select, scenes, Slots.POSITIONAL);
  }

  private static QueryAnswer ask(final String where, final List<String> select, final List<Scene> scenes,
      final Slots slots) {
    final QueryPlan plan = QueryPlan.parse(where, select, T0, T0 + SCENES * 60_000L, 3_600_000L, ZoneOffset.UTC);
    final QueryAccumulator acc = new QueryAccumulator(plan, DECODERS, slots);
    final StoredQueryRecord r = new StoredQueryRecord();
    for (final Scene s : scenes) {
      acc.add(r.reset(s.record().getInferenceId(), RepositoryCodec.encode(s.record(),
          SketchMapper.sketch(s.record()))));
    }
    return QueryAnswer.of(plan, acc.partial(), DECODERS);
  }

  private static List<Scene> scenes(final int trial) {
    final StreetScenes street = new StreetScenes(SketchSpec.of(4096, 1_000L + trial, 0.5, 0.5), trial);
    final List<Scene> out = new java.util.ArrayList<>();
    for (int i = 0; i < SCENES; i++) {
      out.add(street.random("t" + trial + "-" + i, T0 + i * 60_000L, "cam"));
    }
    return out;
  }

  @Test
  void decodedPathMeansAndMassesHoldTheTruthWithinTwoStandardErrorsAbout95PercentOfTheTime() {
    int[] within = new int[3];
    int[] asked = new int[3];
    for (int t = 0; t < TRIALS; t++) {
      final List<Scene> scenes = scenes(t);
      final QueryAnswer a = ask(null, List.of("mean(person/bicycle[0])", "mean(person/bicycle[1])",
          "mass(person/bicycle)"), scenes);
      final double[] sum = new double[2];
      int n = 0;
      for (final Scene s : scenes) {
        for (final float[] b : s.riddenAttributes()) {
          sum[0] += b[0];
          sum[1] += b[1];
          n++;
        }
      }
      for (int i = 0; i < 2; i++) {
        final QueryAnswer.Value v = a.values().get("mean(person/bicycle[" + i + "])");
        if (v.value() != null && n > 0) {
          asked[i]++;
          within[i] += Math.abs(v.value() - sum[i] / n) <= 2 * v.stdError() ? 1 : 0;
        }
      }
      // every ridden bicycle is one level under the street: alpha * beta * weight 1 each
      final QueryAnswer.Value mass = a.values().get("mass(person/bicycle)");
      asked[2]++;
      within[2] += Math.abs(mass.value() - 0.25 * n) <= 2 * mass.stdError() ? 1 : 0;
    }
    System.out.printf("within 2 SE: mean[0] %d/%d, mean[1] %d/%d, mass %d/%d%n", within[0], asked[0], within[1],
        asked[1], within[2], asked[2]);
    // a path mean is null when the summed sketch cannot tell it from 0 (Fieller's interval unbounded): at
    // d = 4096 over 20 street scenes that is most queries (160 of 200); where it answers, both attributes
    // together must be honest (measured 78 of 80: attribute 0 38/40, attribute 1 40/40)
    assertThat(asked[0] + asked[1]).isGreaterThanOrEqualTo(TRIALS / 5);
    assertThat((double) (within[0] + within[1]) / (asked[0] + asked[1])).as("path means").isBetween(0.90, 0.99);
    assertThat(asked[2]).isEqualTo(TRIALS);
    assertThat((double) within[2] / asked[2]).as("path mass (measured 193/200)").isBetween(0.90, 0.99);
  }

  /** Count within two matchedStdError of the truth, over the trials, with the given slots and depths. */
  private static int countsWithinTwoErrors(final Slots slots, final double[] meanError) {
    int within = 0;
    for (int t = 0; t < TRIALS; t++) {
      final List<Scene> scenes = scenes(t);
      final QueryAnswer a = ask("person/bicycle", List.of("count"), scenes, slots);
      final long truth = scenes.stream().filter(s -> s.riders() > 0).count();
      assertThat(a.exact()).isFalse();
      within += Math.abs(a.matched() - truth) <= 2 * a.matchedStdError() ? 1 : 0;
      meanError[0] += a.matchedStdError() / TRIALS;
    }
    return within;
  }

  @Test
  void decodedCountsHoldTheTruthWithinTwoMatchedStdErrorsAbout95PercentOfTheTime() {
    // with the network's depths: calibrated decisions, their drift in the error. Measured 199/200, mean error
    // 1.29: each query fits a prior and a mass scale over its ~8 decoded scenes, so its bars are a little wide
    // (with the scale fixed at 1, 190/200 and 1.10; but then a path that cross-talk reads low, the demo's
    // scene/dog, answered 0 +- 0.06 for 61)
    final double[] error = new double[1];
    final int within = countsWithinTwoErrors(NETWORK, error);
    System.out.printf("count within 2 SE (network depths): %d/%d, mean error %.2f%n", within, TRIALS, error[0]);
    assertThat((double) within / TRIALS).isBetween(0.90, 1.0);
    // not by bars so wide they say nothing: the older model's mean error was 1.06 on these queries
    assertThat(error[0]).isLessThan(1.5);
  }

  @Test
  void withoutTheNetworkTheCountFallsBackToTheUncalibratedDecisions() {
    final double[] error = new double[1];
    final int within = countsWithinTwoErrors(Slots.POSITIONAL, error);
    System.out.printf("count within 2 SE (no network): %d/%d, mean error %.2f%n", within, TRIALS, error[0]);
    // known limit (docs/queries.md): 174 of 200, a little under 90%: the decision drifts when a path's mass
    // sits near the significance threshold, more than the probability of each decision says; the floor holds
    // it from getting worse
    assertThat((double) within / TRIALS).isBetween(0.85, 0.99);
  }
}
