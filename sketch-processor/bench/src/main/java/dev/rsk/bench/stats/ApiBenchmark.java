package dev.rsk.bench.stats;

import dev.rsk.api.server.ServerConfig;
import dev.rsk.api.server.StatsServer;
import dev.rsk.avro.InferenceSketch;
import dev.rsk.avro.ModuleActivation;
import dev.rsk.kafka.EmbeddedKafka;
import dev.rsk.registry.InMemorySchemaRegistryClient;
import dev.rsk.serde.AvroSerdes;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.serialization.Serde;

/**
 * {@code rsk bench-api}: query latency at a constant arrival rate, the stack running. A year of demo-like
 * sketches is published to an in-process broker and aggregated by a {@link StatsServer} (the {@code rsk server}
 * role, exactly-once, 4 partitions); then a paced client of our own sends {@code rate} requests per second per
 * route, each at its scheduled time whatever the previous ones are doing (open loop, no bursts), to
 * {@code frequency?bucket=P1D}, {@code hours} and {@code stats} over the whole year, routes interleaved in
 * phases. Latency is measured from the scheduled send time, so a stalled server cannot hide queueing
 * (coordinated omission). Prints p50, p99 and max per route.
 */
public final class ApiBenchmark {

  private static final Duration WAIT = Duration.ofMinutes(15);

  /** Parameters. */
  public record Options(int sketches, int rate, int seconds, int rounds) {}

  private ApiBenchmark() {}

  public static void run(final Options o, final PrintStream out) throws Exception {
    withFilledServer(o.sketches(), "rsk-bench-api-", Map.of(), out, server -> measure(server.url(), o, out));
  }

  /** What a benchmark measures against a server that has aggregated the filled year. */
  interface ServerRun {
    void measure(StatsServer server) throws Exception;
  }

  /**
   * Fills a year of {@code sketches} on an in-process broker, starts one rsk server (plus {@code extra}
   * settings), waits (at most {@link #WAIT}) until it has committed every sketch, then runs {@code run}.
   * Shared by bench-api and bench-query.
   */
  static void withFilledServer(final int sketches, final String dirPrefix, final Map<String, String> extra,
      final PrintStream out, final ServerRun run) throws Exception {
    final Path dir = Files.createTempDirectory(dirPrefix);
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
      final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
      final Serde<InferenceSketch> serde = AvroSerdes.specific(InferenceSketch.class, registry, false);
      kafka.createTopic(StatsBenchmark.TOPIC, 4, Map.of("retention.ms", "-1"));
      StatsBenchmark.fill(kafka, new StatsBenchmark.Options(sketches, 4, 1024, 1, false), serde,
          AvroSerdes.specific(ModuleActivation.class, registry, false), out);
      final Properties p = new Properties();
      p.put("kafka.bootstrap.servers", kafka.bootstrapServers());
      p.put("kafka.application.id", "rsk-stats");
      p.put("kafka.state.dir", Files.createTempDirectory(dir, "state").toString());
      p.put("rsk.http.port", "0");
      p.put("rsk.http.bind", "127.0.0.1");
      p.put("rsk.http.advertised.host", "127.0.0.1");
      p.putAll(extra);
      try (StatsServer server = StatsServer.start(new ServerConfig(p), serde); Admin admin = kafka.admin()) {
        final long t0 = System.nanoTime();
        final long deadline = t0 + WAIT.toNanos();
        while (StorageReport.committed(admin, "rsk-stats", StatsBenchmark.TOPIC) < sketches
            && System.nanoTime() < deadline) {
          Thread.sleep(200);
        }
        out.printf(Locale.ROOT, "[rsk server] aggregated %d sketches in %.1f s%n", sketches,
            (System.nanoTime() - t0) / 1e9);
        run.measure(server);
      }
    } finally {
      StorageReport.deleteRecursively(dir);
    }
  }

  private static void measure(final String base, final Options o, final PrintStream out) throws Exception {
    final Instant to = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
    final Instant from = to.minus(Duration.ofDays(365));
    final String range = "from=" + from + "&to=" + to;
    final Map<String, String> routes = new LinkedHashMap<>();
    routes.put("frequency P1D, a year", base + "/v1/modules/cat/frequency?bucket=P1D&" + range);
    routes.put("hours, a year", base + "/v1/modules/cat/hours?" + range);
    routes.put("stats, a year", base + "/v1/modules/cat/stats?" + range);
    final ExecutorService pool = Executors.newFixedThreadPool(8);
    final HttpClient http = HttpClient.newBuilder().executor(pool).connectTimeout(Duration.ofSeconds(5)).build();
    final Map<String, List<Double>> latencies = new LinkedHashMap<>();
    final Map<String, AtomicInteger> errors = new LinkedHashMap<>();
    try {
      for (final Map.Entry<String, String> r : routes.entrySet()) {
        serial(http, r.getKey(), r.getValue(), out);
      }
      for (final Map.Entry<String, String> r : routes.entrySet()) {
        paced(http, r.getValue(), o.rate(), 2, new ArrayList<>(), new AtomicInteger()); // warm-up, not counted
        latencies.put(r.getKey(), new ArrayList<>());
        errors.put(r.getKey(), new AtomicInteger());
      }
      for (int round = 0; round < o.rounds(); round++) {
        for (final Map.Entry<String, String> r : routes.entrySet()) {
          paced(http, r.getValue(), o.rate(), o.seconds(), latencies.get(r.getKey()), errors.get(r.getKey()));
        }
      }
    } finally {
      pool.shutdownNow();
    }
    out.printf(Locale.ROOT, "%nroute                      rate/s  requests  errors   p50-ms   p99-ms   max-ms%n");
    for (final Map.Entry<String, List<Double>> e : latencies.entrySet()) {
      final double[] l = e.getValue().stream().mapToDouble(Double::doubleValue).sorted().toArray();
      out.printf(Locale.ROOT, "%-25s %7d %9d %7d %8.1f %8.1f %8.1f%n", e.getKey(), o.rate(), l.length,
          errors.get(e.getKey()).get(), pct(l, 0.50), pct(l, 0.99), l.length == 0 ? Double.NaN : l[l.length - 1]);
    }
    out.printf(Locale.ROOT, "(%d rounds of %d s per route, interleaved; load average %.2f on %d cores, shared"
        + " machine: noisy)%n", o.rounds(), o.seconds(), ManagementFactory.getOperatingSystemMXBean()
        .getSystemLoadAverage(), Runtime.getRuntime().availableProcessors());
  }

  /** One request after the other (20): the single-request latency, and a check that the route answers 200. */
  private static void serial(final HttpClient http, final String name, final String url, final PrintStream out)
      throws Exception {
    final HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build();
    final double[] ms = new double[20];
    HttpResponse<String> last = null;
    for (int i = 0; i < ms.length; i++) {
      final long t = System.nanoTime();
      last = http.send(request, HttpResponse.BodyHandlers.ofString());
      ms[i] = (System.nanoTime() - t) / 1e6;
    }
    java.util.Arrays.sort(ms);
    out.printf(Locale.ROOT, "[%s] single requests: median %.1f ms, status %d, %d bytes%s%n", name, ms[ms.length / 2],
        last.statusCode(), last.body().length(), last.statusCode() == 200 ? ""
            : ": " + last.body().substring(0, Math.min(300, last.body().length())));
  }

  /** Sends {@code rate}/s for {@code seconds}, open loop; adds latencies (ms from the scheduled time). */
  private static void paced(final HttpClient http, final String url, final int rate, final int seconds,
      final List<Double> latencies, final AtomicInteger errors) throws Exception {
    final HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build();
    final int n = rate * seconds;
    final long periodNs = 1_000_000_000L / rate;
    final long start = System.nanoTime();
    final List<CompletableFuture<Void>> all = new ArrayList<>(n);
    final double[] done = new double[n];
    for (int i = 0; i < n; i++) {
      final long due = start + i * periodNs;
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        TimeUnit.NANOSECONDS.sleep(Math.min(wait, 1_000_000));
      }
      final int index = i;
      all.add(http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((resp, err) -> {
        done[index] = (System.nanoTime() - due) / 1e6;
        if (err != null || resp.statusCode() != 200) {
          errors.incrementAndGet();
        }
        return null;
      }));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    for (final double d : done) {
      latencies.add(d);
    }
  }

  private static double pct(final double[] sorted, final double q) {
    return sorted.length == 0 ? Double.NaN
        : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }
}
