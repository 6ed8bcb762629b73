package dev.rsk.demo;

import dev.rsk.api.Json;
import dev.rsk.api.client.RskClient;
import dev.rsk.api.model.FrequencyResponse;
import dev.rsk.api.model.HoursResponse;
import dev.rsk.api.model.InferenceResponse;
import dev.rsk.api.model.SimilarResponse;
import dev.rsk.api.model.SketchParamsJson;
import dev.rsk.api.model.StatsResponse;
import dev.rsk.sim.GroundTruth;
import dev.rsk.sim.InferenceContent;
import dev.rsk.sim.RoomModel;
import dev.rsk.sim.SimulationConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Asks the HTTP API the seed questions about the simulated room and compares each answer with the simulator's
 * ground truth ({@link DemoChecks}). Every number shown as "API" comes from an HTTP call through {@link RskClient}.
 */
public final class DemoQuestions {

  /** The animal the questions are about. */
  public static final String MODULE = RoomModel.CAT;
  /** Results asked of the similarity search. */
  public static final int SIMILAR_K = 5;
  /** Frequency buckets of one day: a month is at most 31 of them, far below the API's bucket limit. */
  private static final String DAY = "P1D";

  private final RskClient client;
  private final GroundTruth truth;
  private final SimulationConfig config;

  public DemoQuestions(final RskClient client, final GroundTruth truth) {
    this.client = client;
    this.truth = truth;
    this.config = truth.config();
  }

  /** Asks every question; an API error propagates as {@link dev.rsk.api.client.RskClientException}. */
  public List<Check> askAll() {
    final InferenceContent example = example(truth.inferenceList());
    final List<Check> checks = new ArrayList<>();
    checks.add(byMonth());
    checks.add(byHour());
    final InferenceResponse decoded = client.inference(example.inferenceId());
    checks.add(meanSize(decoded));
    checks.add(content(example, decoded));
    checks.add(similar(example));
    checks.add(new ConceptCheck(client, truth).check());
    return checks;
  }

  Check byMonth() {
    final List<GroundTruth.Presence> months = truth.presenceByMonth(MODULE);
    final Map<String, DemoChecks.Counts> api = new LinkedHashMap<>();
    for (final GroundTruth.Presence month : months) {
      final FrequencyResponse f = client.frequency(MODULE, month.from(), month.to(), DAY);
      api.put(month.bucket(), new DemoChecks.Counts(f.inferences(), f.withModule()));
    }
    return DemoChecks.presenceByMonth(MODULE, months, api);
  }

  Check byHour() {
    final HoursResponse h = client.hours(MODULE, config.start(), config.end(), config.zone().getId());
    final long[] all = new long[24];
    final long[] with = new long[24];
    for (final HoursResponse.Hour hour : h.hours()) {
      all[hour.hour()] = hour.inferences();
      with[hour.hour()] = hour.withModule();
    }
    return DemoChecks.presenceByHour(MODULE, truth.presenceByHour(MODULE), all, with);
  }

  /**
   * The mean size over all cat objects ({@code /stats}): exact, from the attribute sums the processor carries
   * beside each sketch. What the sketches alone say is shown beside it as information: per-inference decoded
   * means are biased by a cross-talk that averaging does not remove (see docs/api.md), so it is not checked.
   */
  Check meanSize(final InferenceResponse example) {
    final StatsResponse s = client.stats(MODULE, config.start(), config.end());
    final double truthMean = truth.module(MODULE).meanAttributes()[RoomModel.SIZE];
    final double answer = s.attributes() == null || s.attributes().size() <= RoomModel.SIZE
        ? Double.NaN : s.attributes().get(RoomModel.SIZE).mean();
    final Check check = DemoChecks.exactAttributeMean("What was the average size of the " + MODULE + "s?",
        truthMean, answer, s.estimatedObservations(), String.format(
            "mean over %,d %s objects in %,d inferences, exact", s.attributeObjects(), MODULE, s.observations()));
    final List<String> details = new ArrayList<>(check.details());
    final double presence = example.modules().stream().filter(m -> MODULE.equals(m.module()))
        .mapToDouble(InferenceResponse.DecodedModule::presence).findFirst().orElse(example.params().alpha());
    details.add(String.format("the sketch alone (information, not checked): one sketch reads a mean size to +-%.3f "
        + "(sigma / presence = %.3f / %.3f on %s), a cross-talk that averaging does not remove",
        example.presenceStdError() / presence, example.presenceStdError(), presence, example.inferenceId()));
    final StatsResponse.SumEstimate sums = s.fromSums();
    if (sums != null) {
      details.add(String.format("sum of %,d sketches: %s mass %.1f +- %.1f (truth %.1f = %,d objects x alpha %.2f)%s",
          sums.sketches(), MODULE, sums.mass(), sums.massStdError(),
          s.objects() * example.params().alpha(), s.objects(), example.params().alpha(),
          sums.meanAttributes() == null ? "; too noisy for a mean size" : String.format(
              "; sketch-only mean size %.3f +- %.3f", sums.meanAttributes()[RoomModel.SIZE],
              sums.meanAttributesStdError())));
    }
    return new Check(check.question(), check.answer(), check.truth(), check.tolerance(), check.passed(), details);
  }

  Check content(final InferenceContent example, final InferenceResponse r) {
    if (r.decoded() != null) {
      return JointContentCheck.check(example, r.decoded(), MODULE, RoomModel.ATTRIBUTES.get(MODULE));
    }
    final List<DemoChecks.Decoded> decoded = r.modules().stream()
        .map(m -> new DemoChecks.Decoded(m.module(), m.presence(), m.meanAttributes())).toList();
    return DemoChecks.inferenceContent(example, decoded, r.presenceStdError(), r.threshold(), r.params().alpha(),
        MODULE, RoomModel.ATTRIBUTES.get(MODULE));
  }

  Check similar(final InferenceContent example) {
    final SimilarResponse r = client.similarTo(example.inferenceId(), SIMILAR_K);
    final List<DemoChecks.Match> matches = r.results().stream()
        .map(m -> new DemoChecks.Match(m.inferenceId(), m.cosine())).toList();
    final SketchParamsJson p = r.results().isEmpty() ? null : client.inference(example.inferenceId()).params();
    final List<DemoChecks.Match> exact = p == null ? List.of() : ExactSimilarity.topK(config,
        Json.spec(p), example.inferenceId(), SIMILAR_K);
    return DemoChecks.similar(example, matches, exact, truth::inference);
  }

  /**
   * The inference to ask about: the first with the most kinds of top-level visitors (cat, person, dog), so the
   * decoded content is interesting; deterministic for a given simulation.
   */
  public static InferenceContent example(final List<InferenceContent> inferences) {
    if (inferences.isEmpty()) {
      throw new IllegalStateException("the simulation produced no inference");
    }
    return inferences.stream()
        .max(Comparator.comparingInt((InferenceContent c) -> visitors(c))
            .thenComparing(c -> c.contains(MODULE) ? 1 : 0)
            .thenComparing(InferenceContent::inferenceId, Comparator.reverseOrder()))
        .orElseThrow();
  }

  private static int visitors(final InferenceContent c) {
    return (c.contains(RoomModel.CAT) ? 1 : 0) + (c.contains(RoomModel.PERSON) ? 1 : 0)
        + (c.contains(RoomModel.DOG) ? 1 : 0);
  }

  /** The simulated period, for curl examples. */
  public Instant from() {
    return config.start();
  }

  public Instant to() {
    return config.end();
  }
}
