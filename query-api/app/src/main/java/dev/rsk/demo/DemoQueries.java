package dev.rsk.demo;

import dev.rsk.api.client.RskClient;
import dev.rsk.api.model.QueryRequest;
import dev.rsk.api.model.QueryResponse;
import dev.rsk.sim.GroundTruth;
import dev.rsk.sim.InferenceContent;
import dev.rsk.sim.RoomModel;
import dev.rsk.sim.SimulationConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Two questions nobody declared, asked through {@code POST /v1/query} (docs/queries.md) and compared with the
 * simulator's truth: one exact (how often the cat and a person were there together, by part of the day: must
 * be equal), one decoded from the sketches (the size of the cat at night along the path {@code scene/cat},
 * {@code mean(scene/cat[0])}, asked with {@code pathsFromSketches} because the records' edges and sums would
 * answer it exactly, beside the exact mean from the records' sums: must lie within two of its stated
 * standard errors of the truth, and fails when it does not or when the API says the sketches are too noisy
 * to tell).
 */
public final class DemoQueries {

  /** The cat's size read from the sketches: the cat branch of the scene, not the exact sums. */
  private static final String DECODED_SIZE =
      "mean(" + RoomModel.SCENE + "/" + RoomModel.CAT + "[" + RoomModel.SIZE + "])";
  private static final String EXACT_SIZE = "mean(" + RoomModel.CAT + "[" + RoomModel.SIZE + "])";

  private final RskClient client;
  private final GroundTruth truth;
  private final SimulationConfig config;

  public DemoQueries(final RskClient client, final GroundTruth truth) {
    this.client = client;
    this.truth = truth;
    this.config = truth.config();
  }

  /** Both questions; an API error propagates as {@link dev.rsk.api.client.RskClientException}. */
  public List<Check> askAll() {
    return List.of(togetherByPartOfDay(), catSizeAtNight());
  }

  private QueryResponse ask(final String where, final String... select) {
    return ask(where, false, select);
  }

  /** With {@code fromSketches}, paths are read from the sketches alone, not from the records' edges and sums. */
  private QueryResponse ask(final String where, final boolean fromSketches, final String... select) {
    return client.query(new QueryRequest(where, config.start().toString(), config.end().toString(), "P1D",
        config.zone().getId(), List.of(select), fromSketches));
  }

  /** {@code hour(a..b)} of a part of the day (inclusive hours, wrapping past midnight). */
  static String hours(final PartOfDay p) {
    int from = -1;
    int to = -1;
    for (int h = 0; h < 24; h++) {
      if (p.contains(h) && !p.contains((h + 23) % 24)) {
        from = h;
      }
      if (p.contains(h) && !p.contains((h + 1) % 24)) {
        to = h;
      }
    }
    return "hour(" + from + ".." + to + ")";
  }

  Check togetherByPartOfDay() {
    final List<String> details = new ArrayList<>();
    final StringBuilder answer = new StringBuilder();
    final StringBuilder want = new StringBuilder();
    boolean passed = true;
    for (final PartOfDay p : PartOfDay.values()) {
      final String where = RoomModel.CAT + " & " + RoomModel.PERSON + " & " + hours(p);
      final QueryResponse r = ask(where, "count");
      final long t = truth.inferenceList().stream().filter(c -> c.contains(RoomModel.CAT)
          && c.contains(RoomModel.PERSON) && p.contains(c.eventTime().atZone(config.zone()).getHour())).count();
      passed &= r.exact() && r.matched() == t;
      answer.append(String.format(Locale.ROOT, "%s%s %,d", answer.length() == 0 ? "" : ", ", p.label(), r.matched()));
      want.append(String.format(Locale.ROOT, "%s%s %,d", want.length() == 0 ? "" : ", ", p.label(), t));
      details.add(String.format(Locale.ROOT, "%-9s %s  where \"%s\": %,d of %,d inferences (truth %,d)%s",
          p.label(), p.range(), where, r.matched(), r.inferences(), t, r.exact() ? ", exact" : ", NOT exact"));
    }
    return new Check("How often were the cat and a person there together, by part of the day? (POST /v1/query)",
        answer.toString(), want.toString(), "equal: exact terms read each inference's exact module counts and time",
        passed, details);
  }

  Check catSizeAtNight() {
    final String where = RoomModel.CAT + " & " + hours(PartOfDay.NIGHT);
    final QueryResponse r = ask(where, true, "count", DECODED_SIZE, EXACT_SIZE);
    double sum = 0;
    long cats = 0;
    for (final InferenceContent c : truth.inferenceList()) {
      final InferenceContent.ModuleContent cat = c.modules().get(RoomModel.CAT);
      if (cat != null && PartOfDay.NIGHT.contains(c.eventTime().atZone(config.zone()).getHour())) {
        sum += cat.count() * cat.meanAttributes()[RoomModel.SIZE];
        cats += cat.count();
      }
    }
    final double want = cats == 0 ? Double.NaN : sum / cats;
    final QueryResponse.Value v = r.values().get(DECODED_SIZE);
    final QueryResponse.Value exact = r.values().get(EXACT_SIZE);
    final boolean found = v != null && v.value() != null;
    final boolean passed = found && !v.exact() && Math.abs(v.value() - want) <= 2 * v.stdError();
    final String answer = found ? String.format(Locale.ROOT, "%.3f +- %.3f (decoded from the sum of %,d sketches)",
        v.value(), v.stdError(), r.matched()) : "none: the sketches are too noisy to tell";
    return new Check("What size was the cat at night, read from the sketches alone? (a path nobody declared: "
        + DECODED_SIZE + ")", answer, String.format(Locale.ROOT, "%.3f (mean size of %,d cats seen at night)", want,
        cats), "within 2 standard errors (about 95% of the time for an honest error)", passed, List.of(
        String.format(Locale.ROOT, "where \"%s\", select %s, pathsFromSketches: the cat branch of the scene in the"
            + " summed sketch (slot \"cat\", learned from the network)", where, DECODED_SIZE),
        String.format(Locale.ROOT, "the exact answer from the records' sums, %s: %s", EXACT_SIZE,
            exact == null || exact.value() == null ? "none" : String.format(Locale.ROOT, "%.3f", exact.value()))));
  }
}
