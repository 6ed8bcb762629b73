package dev.rsk.demo;

import dev.rsk.api.Json;
import dev.rsk.api.client.RskClient;
import dev.rsk.api.model.InferenceResponse;
import dev.rsk.api.model.NetworkResponse;
import dev.rsk.sim.GroundTruth;
import dev.rsk.sim.InferenceContent;
import dev.rsk.sketch.DecodedInference;
import dev.rsk.sketch.DecoderCache;
import dev.rsk.sketch.JointDecoder;
import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.Sketches;
import dev.rsk.sketch.StructureCatalogue;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The graceful-erasure curve (issue 11 item 6): a sample of stored sketches, fetched from {@code GET
 * /v1/inferences/{id}}, cut to the first 100%, 50%, 25% and 12.5% of their coordinates (what ageing does
 * to stored sketches) and decoded with the network of {@code GET /v1/network}, by the same joint decoder
 * the API uses. Per fraction: the count RMSE against the simulator's truth over every (module, depth) the
 * network allows, zeros included, beside the RMS of the stated standard errors, and the fraction of counts
 * within two of them.
 *
 * <p>The check can fail, and none of its bounds comes from the API's own stated error alone. At every
 * fraction the stated errors must be honest: the RMSE at most {@link #MAX_RMSE_PER_SE} times the RMS stated
 * error and at least {@link #MIN_WITHIN_2SE} of the counts within two standard errors. Where the whole
 * network still fits ({@code JOINT}: rows at least twice its columns) the RMSE must stay under {@link
 * #MAX_RMSE} objects (the accuracy target) and grow as {@code 1/sqrt(q)}: {@code RMSE(q) sqrt(q) /
 * RMSE(1)} within {@link #MIN_GROWTH}..{@link #MAX_GROWTH}. Below that ({@code SPARSE}: matching pursuit
 * over the positions) the error jumps, and the row says so with its measured size.
 */
public final class ErasureCurve {
  /** Fractions of the sketch kept. */
  static final double[] FRACTIONS = {1.0, 0.5, 0.25, 0.125};
  /** Inferences sampled, evenly over the simulation. */
  static final int SAMPLE = 40;
  /** Count RMSE allowed at every fraction, in objects. */
  static final double MAX_RMSE = 0.3;
  /** {@code RMSE(q) sqrt(q) / RMSE(1)} allowed: errors grow as {@code 1/sqrt(q)}, within a factor 2. */
  static final double MAX_GROWTH = 2.0;
  /** Lower bound of {@code RMSE(q) sqrt(q) / RMSE(1)}: a cut that costs nothing was not a cut. */
  static final double MIN_GROWTH = 0.5;
  /** RMSE over the RMS stated error allowed: the error bars may not understate the error. */
  static final double MAX_RMSE_PER_SE = 1.5;
  /** Fraction of counts within two standard errors required at every fraction. */
  static final double MIN_WITHIN_2SE = 0.90;

  private ErasureCurve() {}

  /** One inference's stored sketch beside its truth. */
  record Sample(InferenceContent truth, Sketch sketch) {}

  /** One point of the curve. */
  record Point(double fraction, int rows, int columns, int counts, double rmse, double rmsStdError,
      double within2Se, Map<DecodedInference.Method, Integer> methods) {
    boolean joint() {
      return methods.keySet().equals(Set.of(DecodedInference.Method.JOINT));
    }
  }

  /** Fetches the sample from the API and checks the curve. */
  public static Check ask(final RskClient client, final GroundTruth truth) {
    final StructureCatalogue network = catalogue(client.network());
    final List<InferenceContent> all = truth.inferenceList();
    final List<Sample> samples = new ArrayList<>();
    final int step = Math.max(1, all.size() / SAMPLE);
    for (int i = 0; i < all.size() && samples.size() < SAMPLE; i += step) {
      final InferenceResponse r = client.inference(all.get(i).inferenceId());
      samples.add(new Sample(all.get(i), new Sketch(Json.spec(r.params()), r.vector())));
    }
    return check(measure(network, samples));
  }

  /** The learned network as the engine's catalogue, as the API builds it. */
  static StructureCatalogue catalogue(final NetworkResponse n) {
    final Map<String, Integer> lengths = new TreeMap<>();
    n.modules().forEach(m -> lengths.put(m.module(), m.attributeLength()));
    final Map<String, Map<String, Set<String>>> grammar = new TreeMap<>();
    n.edges().forEach(e -> grammar.computeIfAbsent(e.module(), m -> new TreeMap<>())
        .computeIfAbsent(e.slot(), s -> new HashSet<>()).add(e.input()));
    return new StructureCatalogue(lengths, n.rootModules().keySet(), grammar);
  }

  /** Decodes every sample at every fraction. */
  static List<Point> measure(final StructureCatalogue network, final List<Sample> samples) {
    final DecoderCache cache = new DecoderCache();
    final List<Point> points = new ArrayList<>();
    for (final double q : FRACTIONS) {
      double se2 = 0;
      double var = 0;
      int n = 0;
      int within = 0;
      int rows = 0;
      int columns = 0;
      final Map<DecodedInference.Method, Integer> methods = new EnumMap<>(DecodedInference.Method.class);
      for (final Sample s : samples) {
        final JointDecoder decoder = cache.forStructure(s.sketch().spec(), network);
        final Sketch cut = Sketches.truncate(s.sketch(), q);
        rows = cut.length();
        columns = decoder.columns();
        final DecodedInference d = decoder.decode(cut);
        methods.merge(d.method(), 1, Integer::sum);
        for (final DecodedInference.ModuleCount c : d.modules()) {
          if (c.depth() < 0) {
            continue;
          }
          final InferenceContent.ModuleContent t = s.truth().modules().get(c.module());
          final double e = c.count() - (t != null && t.depth() == c.depth() ? t.count() : 0);
          se2 += e * e;
          var += c.countStdError() * c.countStdError();
          within += Math.abs(e) <= 2 * c.countStdError() ? 1 : 0;
          n++;
        }
      }
      points.add(new Point(q, rows, columns, n, Math.sqrt(se2 / Math.max(1, n)), Math.sqrt(var / Math.max(1, n)),
          (double) within / Math.max(1, n), methods));
    }
    return points;
  }

  /** The check over a measured curve (the first point is the whole sketch). */
  static Check check(final List<Point> points) {
    final List<String> rows = new ArrayList<>();
    rows.add(String.format(Locale.ROOT, "%-7s %5s %7s %8s %8s %10s %7s  %s", "kept", "rows", "counts", "RMSE",
        "RMS SE", "within 2SE", "growth", "method"));
    final Point whole = points.get(0);
    boolean ok = whole.counts() > 0 && whole.joint();
    for (final Point p : points) {
      final double growth = whole.rmse() == 0 ? 1.0 : p.rmse() * Math.sqrt(p.fraction()) / whole.rmse();
      final boolean honest = p.rmse() <= MAX_RMSE_PER_SE * p.rmsStdError() && p.within2Se() >= MIN_WITHIN_2SE;
      final boolean lawful = !p.joint() || p.rmse() <= MAX_RMSE && growth >= MIN_GROWTH && growth <= MAX_GROWTH;
      ok &= honest && lawful;
      rows.add(String.format(Locale.ROOT, "%5.1f%% %5d %7d %8.4f %8.4f %9.1f%% %7.2f  %s%s", 100 * p.fraction(),
          p.rows(), p.counts(), p.rmse(), p.rmsStdError(), 100 * p.within2Se(), growth, p.methods(),
          honest && lawful ? "" : "  <-- outside tolerance"));
    }
    final Point last = points.get(points.size() - 1);
    points.stream().filter(p -> !p.joint()).findFirst().ifPresent(p -> rows.add(String.format(Locale.ROOT,
        "below %d rows (twice the network's %d columns) the fit is sparse: the error jumps to %.3f objects, and the "
        + "error bars say so", 2 * p.columns(), p.columns(), p.rmse())));
    final int perInference = whole.counts() / Math.max(1, whole.methods().values().stream()
        .mapToInt(Integer::intValue).sum());
    return new Check("How much does decoding lose as stored sketches are cut (graceful erasure)?",
        String.format(Locale.ROOT, "count RMSE %.4f with the whole sketch, %.4f with %.1f%% of it (stated %.4f)",
            whole.rmse(), last.rmse(), 100 * last.fraction(), last.rmsStdError()),
        "the simulator's counts, " + perInference + " (module, depth) per inference",
        String.format(Locale.ROOT, "every fraction: RMSE <= %.1f x the RMS stated error, >= %.0f%% within 2 SE; "
            + "joint fits also RMSE <= %.1f objects and RMSE sqrt(q) / RMSE(100%%) in [%.1f, %.1f]", MAX_RMSE_PER_SE,
            100 * MIN_WITHIN_2SE, MAX_RMSE, MIN_GROWTH, MAX_GROWTH), ok, rows);
  }
}
