package dev.rsk.bench.stats;

import dev.rsk.api.client.RskClient;
import dev.rsk.api.model.QueryRequest;
import dev.rsk.api.model.QueryResponse;
import dev.rsk.api.server.ServerConfig;
import dev.rsk.api.server.StatsServer;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code rsk bench-query}: {@code POST /v1/query} latency over a year of demo-like inferences (the demo's
 * 43,800 by default; {@link SketchData}: 15-object scenes of cats, dogs and people with their parts, d = 1024),
 * aggregated by a running {@link StatsServer} (the {@code rsk server} role, 4 partitions, one instance) on an
 * in-process broker, exactly as {@code bench-api}. Each expression form of the contract is asked one request
 * after the other (the single-query latency a user meets), forms interleaved round after round; prints per
 * form p50, p99, the stored inferences scanned and the scan cost per stored inference (p50 / scanned), and
 * whether the answer was exact.
 */
public final class QueryBenchmark {


  /** Parameters. */
  public record Options(int sketches, int requests, int rounds) {}

  /**
   * One form asked: its label, {@code where} and {@code select}; {@code fromSketches} asks with {@code
   * pathsFromSketches}, so that its paths are decoded.
   */
  record Form(String label, String where, List<String> select, boolean fromSketches) {

    Form(final String label, final String where, final List<String> select) {
      this(label, where, select, false);
    }
  }

  /** The forms asked, exact ones first; every row of the contract's table, plus decoded select items. */
  static final List<Form> FORMS = List.of(
      new Form("every inference (count)", null, List.of("count")),
      new Form("module present", "cat", List.of("count")),
      new Form("count compare", "count(person) >= 2", List.of("count")),
      new Form("exact attribute compare", "cat[0] > 0.5", List.of("count")),
      new Form("path, exact (edges)", "scene/cat", List.of("count")),
      new Form("time of day & weekday", "hour(7..9) & weekday(sat..sun)", List.of("count")),
      new Form("source", "source = \"bench\"", List.of("count")),
      new Form("boolean + hours + exact mean", "cat & !dog", List.of("count", "fraction", "hours", "mean(cat[0])")),
      new Form("path attribute, exact (edges)", "scene/cat[0] > 0", List.of("count")),
      new Form("decoded path (2 objects)", "scene/cat/eye & count(cat) >= 2", List.of("count"), true),
      new Form("decoded attribute on a path", "scene/cat[0] > 0", List.of("count"), true),
      new Form("decoded mean(PATH[i])", "cat", List.of("mean(cat/eye[0])"), true),
      new Form("decoded mass(PATH)", "cat", List.of("mass(cat/eye)")));

  private QueryBenchmark() {}

  public static void run(final Options o, final PrintStream out) throws Exception {
    // the time budget of a scan is 80% of the remote timeout (at most 10 s): a slow form is then measured, not refused
    ApiBenchmark.withFilledServer(o.sketches(), "rsk-bench-query-", Map.of(ServerConfig.REMOTE_TIMEOUT, "PT12.5S"),
        out, server -> measure(new RskClient(server.url(), Duration.ofSeconds(60), null), o, out));
  }

  private static void measure(final RskClient client, final Options o, final PrintStream out) {
    final Instant to = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
    final String from = to.minus(Duration.ofDays(365)).toString();
    final List<List<Double>> ms = new ArrayList<>();
    final QueryResponse[] last = new QueryResponse[FORMS.size()];
    final String[] errors = new String[FORMS.size()];
    for (int f = 0; f < FORMS.size(); f++) {
      ms.add(new ArrayList<>());
      try {
        ask(client, FORMS.get(f), from, to.toString()); // warm-up, not counted
      } catch (RuntimeException e) {
        errors[f] = e.getMessage();
      }
    }
    for (int round = 0; round < o.rounds(); round++) {
      for (int f = 0; f < FORMS.size(); f++) {
        for (int i = 0; i < o.requests(); i++) {
          final long t = System.nanoTime();
          try {
            last[f] = ask(client, FORMS.get(f), from, to.toString());
            ms.get(f).add((System.nanoTime() - t) / 1e6);
          } catch (RuntimeException e) {
            errors[f] = e.getMessage();
          }
        }
      }
    }
    out.printf(Locale.ROOT, "%n%-30s %-44s %7s %7s %8s %8s %9s %6s%n", "form", "where / select", "p50-ms", "p99-ms",
        "scanned", "matched", "us/stored", "exact");
    for (int f = 0; f < FORMS.size(); f++) {
      final Form form = FORMS.get(f);
      final double[] l = ms.get(f).stream().mapToDouble(Double::doubleValue).sorted().toArray();
      final QueryResponse r = last[f];
      final String text = (form.where() == null ? "*" : form.where()) + " / " + String.join(",", form.select());
      if (r == null) {
        out.printf(Locale.ROOT, "%-30s %-44s failed: %s%n", form.label(), text, errors[f]);
        continue;
      }
      final double p50 = pct(l, 0.50);
      out.printf(Locale.ROOT, "%-30s %-44s %7.0f %7.0f %8d %8d %9.1f %6s%s%n", form.label(), text, p50,
          pct(l, 0.99), r.scanned(), r.matched(), p50 * 1000 / Math.max(1, r.scanned()), r.exact()
              && r.values().values().stream().allMatch(QueryResponse.Value::exact),
          errors[f] == null ? "" : "  (some failed: " + errors[f] + ")");
    }
    out.printf(Locale.ROOT, "(%d rounds x %d requests per form, one after the other, forms interleaved; one"
        + " instance, 4 partitions; load average %.2f on %d cores, shared machine: noisy)%n", o.rounds(),
        o.requests(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        Runtime.getRuntime().availableProcessors());
  }

  private static QueryResponse ask(final RskClient client, final Form f, final String from, final String to) {
    return client.query(new QueryRequest(f.where(), from, to, "P1D", "UTC", f.select(), f.fromSketches()));
  }

  private static double pct(final double[] sorted, final double q) {
    return sorted.length == 0 ? Double.NaN
        : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }
}
