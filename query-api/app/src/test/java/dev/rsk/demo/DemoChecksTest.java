package dev.rsk.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.sim.GroundTruth;
import dev.rsk.sim.InferenceContent;
import dev.rsk.sim.InferenceContent.ModuleContent;
import dev.rsk.sim.RoomSimulator;
import dev.rsk.sim.SimulationConfig;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoChecksTest {

  private static GroundTruth truth() {
    final SimulationConfig config = SimulationConfig.defaults().withDays(40).withIntervalMinutes(60);
    final GroundTruth truth = new GroundTruth(config, true);
    new RoomSimulator(config).forEachRemaining(truth::add);
    return truth;
  }

  @Test
  void monthlyAndHourlyCountsMustBeExactlyEqual() {
    final GroundTruth truth = truth();
    final Map<String, DemoChecks.Counts> api = new HashMap<>();
    truth.presenceByMonth("cat")
        .forEach(p -> api.put(p.bucket(), new DemoChecks.Counts(p.inferences(), p.withModule())));
    assertThat(DemoChecks.presenceByMonth("cat", truth.presenceByMonth("cat"), api).passed()).isTrue();
    final DemoChecks.Counts jan = api.get("2025-01");
    api.put("2025-01", new DemoChecks.Counts(jan.inferences(), jan.withModule() - 1));
    assertThat(DemoChecks.presenceByMonth("cat", truth.presenceByMonth("cat"), api).passed()).isFalse();

    final long[] all = new long[24];
    final long[] with = new long[24];
    final List<GroundTruth.Presence> hours = truth.presenceByHour("cat");
    for (int h = 0; h < 24; h++) {
      all[h] = hours.get(h).inferences();
      with[h] = hours.get(h).withModule();
    }
    final Check ok = DemoChecks.presenceByHour("cat", hours, all, with);
    assertThat(ok.passed()).isTrue();
    assertThat(ok.answer()).startsWith("mostly at night").isEqualTo(ok.truth());
    with[3]++;
    assertThat(DemoChecks.presenceByHour("cat", hours, all, with).passed()).isFalse();
  }

  @Test
  void exactMeansPassWithinFloatRoundingAndOnlyWithoutEstimatedObservations() {
    assertThat(DemoChecks.exactAttributeMean("q", 0.40, 0.400_03, 0, "sums").passed()).isTrue();
    assertThat(DemoChecks.exactAttributeMean("q", 0.40, 0.400_05, 0, "sums").passed()).isFalse();
    assertThat(DemoChecks.exactAttributeMean("q", 0.40, 0.40, 1, "sums").passed()).isFalse();
    assertThat(DemoChecks.exactAttributeMean("q", 0.40, Double.NaN, 0, "sums").passed()).isFalse();
  }

  @Test
  void inferenceContentComparesMassesWithTheNoiseLaw() {
    final InferenceContent truth = new InferenceContent("x", Instant.EPOCH, 5, Map.of(
        "scene", new ModuleContent(1, 0, new double[] {0.5, 0.1}),
        "cat", new ModuleContent(1, 1, new double[] {0.4, 0.3}),
        "eye", new ModuleContent(2, 2, new double[] {0.9, 0.3}),
        "sofa", new ModuleContent(1, 1, new double[] {0.55, 0.3})));
    final double sigma = 0.05;
    final double tau = 0.14;
    final List<DemoChecks.Decoded> good = List.of(
        new DemoChecks.Decoded("scene", 1.02, new double[] {0.5, 0.1}),
        new DemoChecks.Decoded("cat", 0.46, new double[] {0.45, 0.25}),
        new DemoChecks.Decoded("sofa", 0.55, new double[] {0.55, 0.3}));
    // eye: true mass 2 * 0.25 = 0.5 but missing from the answer: 0.5 - tau > 3 sigma, a failure.
    assertThat(DemoChecks.inferenceContent(truth, good, sigma, tau, 0.5, "cat", List.of("size", "x")).passed())
        .isFalse();
    final List<DemoChecks.Decoded> withEye = new java.util.ArrayList<>(good);
    withEye.add(new DemoChecks.Decoded("eye", 0.41, null));
    final Check ok = DemoChecks.inferenceContent(truth, withEye, sigma, tau, 0.5, "cat", List.of("size", "x"));
    assertThat(ok.passed()).isTrue();
    // A module that is not there, decoded well above 3 sigma: a failure.
    withEye.add(new DemoChecks.Decoded("dog", 0.3, null));
    assertThat(DemoChecks.inferenceContent(truth, withEye, sigma, tau, 0.5, "cat", List.of("size", "x")).passed())
        .isFalse();
    // Cat attributes off by more than 3 sigma / presence (0.33): a failure.
    final List<DemoChecks.Decoded> badCat = List.of(good.get(0), good.get(2),
        new DemoChecks.Decoded("cat", 0.46, new double[] {0.8, 0.3}), new DemoChecks.Decoded("eye", 0.5, null));
    assertThat(DemoChecks.inferenceContent(truth, badCat, sigma, tau, 0.5, "cat", List.of("size", "x")).passed())
        .isFalse();
  }

  @Test
  void similarResultsMustBeTheExactTopKInOrderUpToTies() {
    final GroundTruth truth = truth();
    final InferenceContent query = truth.inferenceList().get(0);
    final List<String> ids = truth.inferenceList().stream().skip(1).limit(4).map(InferenceContent::inferenceId)
        .toList();
    final List<DemoChecks.Match> exact = List.of(new DemoChecks.Match(ids.get(0), 0.99),
        new DemoChecks.Match(ids.get(1), 0.98), new DemoChecks.Match(ids.get(2), 0.98000001));
    assertThat(DemoChecks.similar(query, exact, exact, truth::inference).passed()).isTrue();
    // Float rounding in the stored vector: tiny cosine differences and swapped ties are fine.
    final List<DemoChecks.Match> tie = List.of(new DemoChecks.Match(ids.get(0), 0.99001),
        new DemoChecks.Match(ids.get(2), 0.98000001), new DemoChecks.Match(ids.get(1), 0.98));
    assertThat(DemoChecks.similar(query, tie, exact, truth::inference).passed()).isTrue();
    // A different inference, or a wrong cosine, or a missing result: not the exact top k.
    final List<DemoChecks.Match> other = List.of(exact.get(0), exact.get(1), new DemoChecks.Match(ids.get(3), 0.97));
    assertThat(DemoChecks.similar(query, other, exact, truth::inference).passed()).isFalse();
    final List<DemoChecks.Match> off = List.of(new DemoChecks.Match(ids.get(0), 0.95), exact.get(1), exact.get(2));
    assertThat(DemoChecks.similar(query, off, exact, truth::inference).passed()).isFalse();
    assertThat(DemoChecks.similar(query, exact.subList(0, 2), exact, truth::inference).passed()).isFalse();
    assertThat(DemoChecks.similar(query, List.of(), List.of(), truth::inference).passed()).isFalse();
  }
}
