package dev.rsk.demo;

import dev.rsk.sim.GroundTruth;
import dev.rsk.sim.InferenceContent;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Compares the API's answers to the simulator's ground truth, one {@link Check} per question, each with its stated
 * tolerance:
 * <ul>
 *   <li>presence by month and by hour: exact (the API counts from the exact per-inference module counts), so every
 *       count must be equal;</li>
 *   <li>an attribute mean: exact (the API averages the exact attribute sums carried beside each sketch), so
 *       within float32 rounding ({@link #EXACT_RELATIVE_TOLERANCE} relative), with no estimated observation;</li>
 *   <li>the content of one inference decoded from its sketch: each module's effective-weight mass within 3 standard
 *       errors of the truth (noise law {@code sqrt(2) ||s|| / sqrt(d)}), a module missing from the answer counting
 *       as the detection threshold; mean attributes of the asked module within 3 standard errors
 *       ({@code sigma / presence});</li>
 *   <li>similar inferences: the exact top k computed directly from the simulator's DAGs, same order, cosines
 *       within float rounding.</li>
 * </ul>
 * Pure functions; the numbers come from the caller.
 */
public final class DemoChecks {

  /** Tolerance of estimates, in standard errors. 3 sigma: a false alarm in about 0.3% of checks of a Gaussian. */
  public static final double SIGMAS = 3.0;
  /** An exact attribute mean agrees with the truth to float32 rounding of the attributes, relative. */
  public static final double EXACT_RELATIVE_TOLERANCE = 1e-4;
  /**
   * Cosines of the same two sketches computed in two places: the repository stores them in int8 (each
   * coordinate within max|v|/254 of the float32 value), which moves a cosine by about 1e-4 to 2e-4 at d = 1024.
   */
  public static final double COSINE_TOLERANCE = 1e-3;

  private DemoChecks() {}

  /** Exact presence counts of one bucket as answered by the API. */
  public record Counts(long inferences, long withModule) {
    double share() {
      return inferences == 0 ? 0.0 : (double) withModule / inferences;
    }
  }

  /** One module decoded from a sketch: its effective-weight mass ({@code presence}) and mean attributes. */
  public record Decoded(String module, double presence, double[] meanAttributes) {}

  /** One similar inference as answered by the API. */
  public record Match(String inferenceId, double cosine) {}

  /** "How often was there a {@code module}, by month?" Exact: every month's counts must be equal. */
  public static Check presenceByMonth(final String module, final List<GroundTruth.Presence> truth,
      final Map<String, Counts> api) {
    final List<String> rows = new ArrayList<>();
    rows.add(String.format("%-9s %22s %22s", "month", "API (with/all = share)", "truth"));
    boolean ok = true;
    long apiWith = 0;
    long apiAll = 0;
    long truthWith = 0;
    long truthAll = 0;
    for (final GroundTruth.Presence t : truth) {
      final Counts a = api.getOrDefault(t.bucket(), new Counts(0, 0));
      final boolean same = a.inferences() == t.inferences() && a.withModule() == t.withModule();
      ok &= same;
      apiWith += a.withModule();
      apiAll += a.inferences();
      truthWith += t.withModule();
      truthAll += t.inferences();
      rows.add(String.format("%-9s %22s %22s %s", t.bucket(), share(a.withModule(), a.inferences()),
          share(t.withModule(), t.inferences()), same ? "" : "  <-- differs"));
    }
    for (final String month : api.keySet()) {
      if (truth.stream().noneMatch(t -> t.bucket().equals(month)) && api.get(month).inferences() > 0) {
        ok = false;
        rows.add(String.format("%-9s %22s %22s   <-- not simulated", month,
            share(api.get(month).withModule(), api.get(month).inferences()), "-"));
      }
    }
    return new Check("How often was there a " + module + ", by month?",
        share(apiWith, apiAll) + " of inferences over " + truth.size() + " months",
        share(truthWith, truthAll), "exact (counts from exact module counts): every month equal", ok, rows);
  }

  /** "Was it usually morning or night?" Exact hour-of-day histogram, and the part of day with most sightings. */
  public static Check presenceByHour(final String module, final List<GroundTruth.Presence> truth,
      final long[] apiInferences, final long[] apiWith) {
    if (truth.size() != 24 || apiInferences.length != 24 || apiWith.length != 24) {
      throw new IllegalArgumentException("24 hours expected");
    }
    boolean ok = true;
    final List<String> rows = new ArrayList<>();
    rows.add(String.format("%-5s %18s %18s", "hour", "API share", "truth share"));
    final long[] truthWith = new long[24];
    for (int h = 0; h < 24; h++) {
      final GroundTruth.Presence t = truth.get(h);
      truthWith[h] = t.withModule();
      final boolean same = t.inferences() == apiInferences[h] && t.withModule() == apiWith[h];
      ok &= same;
      rows.add(String.format("%02d    %18s %18s %s %s", h, share(apiWith[h], apiInferences[h]),
          share(t.withModule(), t.inferences()),
          bar(apiInferences[h] == 0 ? 0 : (double) apiWith[h] / apiInferences[h]), same ? "" : "<-- differs"));
    }
    final String answer = verdict(module, apiWith);
    final String truthVerdict = verdict(module, truthWith);
    return new Check("Was the " + module + " usually there in the morning or at night?", answer, truthVerdict,
        "exact (hour-of-day counts from exact module counts): all 24 hours equal", ok, rows);
  }

  /**
   * An attribute mean the API states as exact (every observation carried its exact sums): within
   * {@link #EXACT_RELATIVE_TOLERANCE} of the truth, and no observation estimated.
   */
  public static Check exactAttributeMean(final String question, final double truth, final double answer,
      final long estimatedObservations, final String how) {
    final double tolerance = EXACT_RELATIVE_TOLERANCE * Math.abs(truth);
    final boolean ok = Double.isFinite(answer) && estimatedObservations == 0
        && Math.abs(answer - truth) <= tolerance;
    return new Check(question, String.format("%.6f (%s)", answer, how), String.format("%.6f", truth),
        String.format("+-%.1e = %.0e relative (float32 rounding of the attributes; exact sums travel beside the "
            + "sketch), and no observation estimated (%,d were)", tolerance, EXACT_RELATIVE_TOLERANCE,
            estimatedObservations), ok, List.of(String.format("error %+.2e", answer - truth)));
  }

  /**
   * "What did inference X contain?" from its sketch alone. Every module of the truth or of the answer: the decoded
   * effective-weight mass must be within {@link #SIGMAS} standard errors of the true mass
   * {@code count * alpha^depth}; a module the answer omits counts as the detection threshold. The mean attributes
   * of {@code focusModule} must be within {@link #SIGMAS} of {@code sigma / presence} per dimension.
   */
  public static Check inferenceContent(final InferenceContent truth, final List<Decoded> decoded,
      final double presenceStdError, final double threshold, final double alpha, final String focusModule,
      final List<String> focusAttributeNames) {
    final Map<String, Decoded> byModule = new TreeMap<>();
    decoded.forEach(d -> byModule.put(d.module(), d));
    final Set<String> modules = new TreeSet<>(truth.modules().keySet());
    modules.addAll(byModule.keySet());
    final double tolerance = SIGMAS * presenceStdError;
    boolean ok = true;
    final List<String> rows = new ArrayList<>();
    rows.add(String.format("%-10s %6s %17s %17s", "module", "depth", "API count (mass)", "truth count (mass)"));
    for (final String module : modules) {
      final InferenceContent.ModuleContent t = truth.modules().get(module);
      final Decoded d = byModule.get(module);
      final int depth = t == null ? 1 : t.depth();
      final double scale = Math.pow(alpha, depth);
      final double trueMass = t == null ? 0.0 : t.count() * scale;
      final double estimate = d == null ? threshold : d.presence();
      final boolean good = d == null ? trueMass - threshold <= tolerance : Math.abs(estimate - trueMass) <= tolerance;
      ok &= good;
      rows.add(String.format("%-10s %6s %17s %17s %s", module, t == null ? "-" : String.valueOf(depth),
          d == null ? "below threshold" : String.format("%.2f (%.3f)", d.presence() / scale, d.presence()),
          t == null ? "0" : String.format("%d (%.3f)", t.count(), trueMass), good ? "" : "<-- outside tolerance"));
    }
    final Decoded focus = byModule.get(focusModule);
    final InferenceContent.ModuleContent focusTruth = truth.modules().get(focusModule);
    if (focus != null && focusTruth != null && focus.meanAttributes() != null) {
      final double attrTolerance = SIGMAS * presenceStdError / focus.presence();
      rows.add(String.format("%s attributes (tolerance +-%.3f each = %.0f x sigma / presence):", focusModule,
          attrTolerance, SIGMAS));
      for (int j = 0; j < focusTruth.meanAttributes().length && j < focus.meanAttributes().length; j++) {
        final double e = focus.meanAttributes()[j];
        final double tv = focusTruth.meanAttributes()[j];
        final boolean good = Math.abs(e - tv) <= attrTolerance;
        ok &= good;
        rows.add(String.format("  %-11s API %7.3f  truth %7.3f %s",
            j < focusAttributeNames.size() ? focusAttributeNames.get(j) : "x" + j, e, tv,
            good ? "" : "<-- outside tolerance"));
      }
    }
    final String answer = describe(byModule.keySet(), m -> {
      final Decoded d = byModule.get(m);
      final InferenceContent.ModuleContent t = truth.modules().get(m);
      return d.presence() / Math.pow(alpha, t == null ? 1 : t.depth());
    });
    final String truthLine = describe(truth.modules().keySet(), m -> (double) truth.modules().get(m).count());
    return new Check("What did inference " + truth.inferenceId() + " (" + truth.eventTime() + ") contain?",
        answer, truthLine, String.format("mass within +-%.3f = %.0f x sigma (sigma = sqrt(2) ||s|| / sqrt(d) = %.3f)",
            tolerance, SIGMAS, presenceStdError), ok, rows);
  }

  /**
   * "Which past inferences were most like X?" The API's top k must be the exact top k computed directly from the
   * simulator's DAGs with the same sketch parameters: same inferences in the same order, cosines within
   * {@link #COSINE_TOLERANCE} (int8 storage and summation order); two results whose cosines are that close may
   * swap places.
   */
  public static Check similar(final InferenceContent query, final List<Match> results, final List<Match> exact,
      final Function<String, InferenceContent> truth) {
    boolean ok = !results.isEmpty() && results.size() == exact.size();
    final List<String> rows = new ArrayList<>();
    rows.add(String.format("%-4s %-24s %-24s %s", "rank", "API (cosine)", "exact (cosine)", "objects under the scene"));
    for (int i = 0; i < Math.max(results.size(), exact.size()); i++) {
      final Match a = i < results.size() ? results.get(i) : null;
      final Match e = i < exact.size() ? exact.get(i) : null;
      final boolean same = a != null && e != null && Math.abs(a.cosine() - e.cosine()) <= COSINE_TOLERANCE
          && (a.inferenceId().equals(e.inferenceId()) || exact.stream().anyMatch(x -> x.inferenceId()
              .equals(a.inferenceId()) && Math.abs(x.cosine() - a.cosine()) <= COSINE_TOLERANCE));
      ok &= same;
      final InferenceContent c = a == null ? null : truth.apply(a.inferenceId());
      rows.add(String.format("%-4d %-24s %-24s %s %s", i + 1,
          a == null ? "-" : String.format("%s (%.4f)", a.inferenceId(), a.cosine()),
          e == null ? "-" : String.format("%s (%.4f)", e.inferenceId(), e.cosine()),
          c == null ? "?" : topLevelWithCounts(c), same ? "" : "<-- differs"));
    }
    return new Check("Which past inferences were most like " + query.inferenceId() + "?",
        results.stream().map(Match::inferenceId).toList().toString(),
        exact.stream().map(Match::inferenceId).toList() + " (exact top " + exact.size()
            + " by cosine, sketched directly from the simulator's DAGs)",
        String.format("same inferences in the same order, cosines within %.0e", COSINE_TOLERANCE), ok, rows);
  }

  private static String topLevelWithCounts(final InferenceContent c) {
    final StringBuilder sb = new StringBuilder();
    c.modules().forEach((m, mc) -> {
      if (mc.depth() == 1) {
        sb.append(sb.length() == 0 ? "" : " ").append(m).append(mc.count() > 1 ? "x" + mc.count() : "");
      }
    });
    return sb.toString();
  }

  /** The modules directly under the root. */
  static Set<String> topLevel(final InferenceContent content) {
    final Set<String> out = new TreeSet<>();
    content.modules().forEach((m, c) -> {
      if (c.depth() == 1) {
        out.add(m);
      }
    });
    return out;
  }

  private static String verdict(final String module, final long[] withByHour) {
    final Map<PartOfDay, Long> parts = new EnumMap<>(PartOfDay.class);
    long total = 0;
    for (int h = 0; h < 24; h++) {
      parts.merge(PartOfDay.of(h), withByHour[h], Long::sum);
      total += withByHour[h];
    }
    if (total == 0) {
      return "never seen";
    }
    PartOfDay best = PartOfDay.NIGHT;
    for (final PartOfDay p : PartOfDay.values()) {
      if (parts.get(p) > parts.get(best)) {
        best = p;
      }
    }
    final long all = total;
    final StringBuilder sb = new StringBuilder("mostly at ").append(best.label()).append(": ");
    for (final PartOfDay p : PartOfDay.values()) {
      sb.append(String.format("%s %.0f%%", p.label(), 100.0 * parts.get(p) / all));
      if (p != PartOfDay.EVENING) {
        sb.append(", ");
      }
    }
    return sb.append(" of ").append(module).append(" sightings").toString();
  }

  private static String describe(final Set<String> modules, final Function<String, Double> count) {
    final StringBuilder sb = new StringBuilder();
    for (final String m : modules) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(m).append(String.format(" %.1f", count.apply(m)));
    }
    return sb.toString();
  }

  private static String share(final long with, final long all) {
    return String.format("%d/%d = %5.1f%%", with, all, all == 0 ? 0.0 : 100.0 * with / all);
  }

  private static String bar(final double share) {
    return "#".repeat((int) Math.round(share * 30));
  }
}
