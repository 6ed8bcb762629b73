package dev.rsk.bench.stats;

import dev.rsk.api.server.ServerConfig;
import dev.rsk.api.server.StatsServer;
import dev.rsk.avro.InferenceSketch;
import dev.rsk.avro.ModuleActivation;
import dev.rsk.kafka.EmbeddedKafka;
import dev.rsk.registry.InMemorySchemaRegistryClient;
import dev.rsk.serde.AvroSerdes;
import dev.rsk.stats.graph.SimilarityGraph;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import java.io.PrintStream;
import java.net.http.HttpClient;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.serialization.Serde;

/**
 * {@code rsk bench-api}: query latency at a constant arrival rate, the stack running. A year of demo-like sketches is
 * published to an in-process broker and aggregated by {@link StatsServer}s (the {@code rsk server} role, exactly-once,
 * 4 partitions), one per contender: with the answer cache ({@code rsk.api.answer.cache.bytes} at its default) and
 * without it (0), each its own application over the same topic. Then a paced client of our own sends {@code rate}
 * requests per second to one route of one contender at a time (per route, not mixed), each at its scheduled time
 * whatever the previous ones are doing (open loop, no bursts), to {@code frequency?bucket=P1D}, {@code hours} and
 * {@code stats} over the whole year; rounds interleave the routes and the contenders. Latency is measured from the
 * scheduled send time, so a stalled server cannot hide queueing (coordinated omission). Each route of each contender
 * first gets {@code warmup} seconds of requests at the rate that are not counted ({@link #DEFAULT_WARMUP}). Before each
 * phase it waits until the servers have finished every request sent so far, so that a saturated phase's leftover work
 * is not charged to the next. Prints p50, p99 and max per contender and route. It starts once the servers' similarity
 * graphs are built (a background indexer catches up after the bulk fill). By default ({@code ingest} 0) no sketch
 * arrives while it measures, so the cached contender answers repeated questions from its cache (see docs/api.md, Cost
 * and speed); with {@code ingest} N an {@link IngestPublisher} publishes N sketches per second into the same topic from
 * before the single requests until the last phase ends, so commits keep changing the stores, as in a running
 * deployment, and it reports the rate it achieved over the paced phases and the servers' commits.
 */
public final class ApiBenchmark {

  /**
   * Seconds of uncounted requests per route and contender before the measured rounds, unless told: long enough
   * that the JIT has compiled the request paths and, with sketches arriving, that the similarity indexer has
   * merged the segments the bulk fill left (docs/api.md, Warm and cold).
   */
  public static final int DEFAULT_WARMUP = 20;
  private static final Duration WAIT = Duration.ofMinutes(15);
  private static final Duration INDEX_WAIT = Duration.ofMinutes(5);
  /** The longest wait for the servers to finish the requests of a phase before the next one. */
  private static final Duration DRAIN = Duration.ofMinutes(1);

  /**
   * Parameters; {@code cache}: "both" (the two contenders), "on", "off", or "months" (answer cache off, with the
   * month pieces' cache and without it); {@code ingest}: sketches per second published while it measures (0: none);
   * {@code staleness}: if not zero, one more contender, the answer cache on with this {@code
   * rsk.api.answer.max.staleness}; {@code threads}: every server's {@code kafka.num.stream.threads} (0: the
   * server's default); {@code set}: server properties given to every contender; {@code also}: if not empty, one
   * more contender, the answer cache on with these server properties (on top of {@code set}); {@code warmup}:
   * seconds per route and contender at the rate before the measured rounds, not counted (sketches arriving
   * meanwhile when {@code ingest} is not 0).
   */
  public record Options(int sketches, int rate, int seconds, int rounds, String cache, int ingest,
      Duration staleness, int threads, Map<String, String> set, Map<String, String> also, int warmup) {

    public Options {
      set = Map.copyOf(set);
      also = Map.copyOf(also);
    }

    /** No extra server properties. */
    public Options(final int sketches, final int rate, final int seconds, final int rounds, final String cache,
        final int ingest, final Duration staleness, final int threads) {
      this(sketches, rate, seconds, rounds, cache, ingest, staleness, threads, Map.of(), Map.of(), DEFAULT_WARMUP);
    }
  }

  private ApiBenchmark() {}

  public static void run(final Options o, final PrintStream out) throws Exception {
    final Map<String, Map<String, String>> contenders = ApiContenders.of(o);
    withFilledServers(o.sketches(), "rsk-bench-api-", new ArrayList<>(contenders.values()), out,
        (servers, bootstrap, serde) -> {
      final Map<String, String> urls = new LinkedHashMap<>();
      int i = 0;
      for (final String name : contenders.keySet()) {
        urls.put(name, servers.get(i++).url());
      }
      awaitIndexed(withGraphs(servers, new ArrayList<>(contenders.values())), o.sketches(), out);
      try (IngestPublisher ingest = IngestPublisher.start(o.ingest(), bootstrap, serde,
          () -> IngestPublisher.commits(servers))) {
        measure(urls, () -> served(servers), ingest, o, out);
        ingest.report(out, servers.size());
      } // stopped before the servers close
    });
  }

  /** What a benchmark measures against a server that has aggregated the filled year. */
  interface ServerRun {
    void measure(StatsServer server) throws Exception;
  }

  /**
   * What a benchmark measures against servers (one per contender) that have aggregated the filled year; the
   * broker's bootstrap address and the sketches' serde to publish more.
   */
  interface ServersRun {
    void measure(List<StatsServer> servers, String bootstrap, Serde<InferenceSketch> serde) throws Exception;
  }

  /** {@link #withFilledServers} with one server. Shared by bench-api and bench-query. */
  static void withFilledServer(final int sketches, final String dirPrefix, final Map<String, String> extra,
      final PrintStream out, final ServerRun run) throws Exception {
    withFilledServers(sketches, dirPrefix, List.of(extra), out,
        (servers, bootstrap, serde) -> run.measure(servers.get(0)));
  }

  /**
   * Fills a year of {@code sketches} on an in-process broker, starts one rsk server per entry of {@code extras}
   * (its settings added), each its own application over the topic, waits (at most {@link #WAIT}) until each has
   * committed every sketch, then runs {@code run}.
   */
  static void withFilledServers(final int sketches, final String dirPrefix, final List<Map<String, String>> extras,
      final PrintStream out, final ServersRun run) throws Exception {
    final Path dir = Files.createTempDirectory(dirPrefix);
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
      final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
      final Serde<InferenceSketch> serde = AvroSerdes.specific(InferenceSketch.class, registry, false);
      kafka.createTopic(StatsBenchmark.TOPIC, 4, Map.of("retention.ms", "-1"));
      StatsBenchmark.fill(kafka, new StatsBenchmark.Options(sketches, 4, 1024, 1, false), serde,
          AvroSerdes.specific(ModuleActivation.class, registry, false), out);
      final List<StatsServer> servers = new ArrayList<>();
      try (Admin admin = kafka.admin()) {
        final long t0 = System.nanoTime();
        for (int i = 0; i < extras.size(); i++) {
          final Properties p = new Properties();
          p.put("kafka.bootstrap.servers", kafka.bootstrapServers());
          p.put("kafka.application.id", appId(i));
          p.put("kafka.state.dir", Files.createTempDirectory(dir, "state").toString());
          p.put("rsk.http.port", "0");
          p.put("rsk.http.bind", "127.0.0.1");
          p.put("rsk.http.advertised.host", "127.0.0.1");
          p.putAll(extras.get(i));
          servers.add(StatsServer.start(new ServerConfig(p), serde));
        }
        final long deadline = t0 + WAIT.toNanos();
        for (int i = 0; i < extras.size(); i++) {
          while (StorageReport.committed(admin, appId(i), StatsBenchmark.TOPIC) < sketches
              && System.nanoTime() < deadline) {
            Thread.sleep(200);
          }
        }
        out.printf(Locale.ROOT, "[rsk server x%d] aggregated %d sketches in %.1f s%n", servers.size(), sketches,
            (System.nanoTime() - t0) / 1e9);
        run.measure(servers, kafka.bootstrapServers(), serde);
      } finally {
        for (final StatsServer s : servers) {
          s.close();
        }
      }
    } finally {
      StorageReport.deleteRecursively(dir);
    }
  }

  private static String appId(final int i) {
    return i == 0 ? "rsk-stats" : "rsk-stats-" + (i + 1);
  }

  /**
   * Waits (at most {@link #INDEX_WAIT}) until every server's similarity graphs hold all {@code sketches} and no
   * backlog: after the bulk fill a background indexer builds them (about a core for minutes), a transient of the fill
   * that a stack running steadily does not have.
   */
  private static void awaitIndexed(final List<StatsServer> servers, final int sketches, final PrintStream out)
      throws Exception {
    final long t0 = System.nanoTime();
    final long deadline = t0 + INDEX_WAIT.toNanos();
    for (final StatsServer s : servers) {
      while (!indexed(s, sketches) && System.nanoTime() < deadline) {
        Thread.sleep(500);
      }
    }
    out.printf(Locale.ROOT, "[rsk server x%d] similarity graphs %s after %.1f s more%n", servers.size(),
        servers.stream().allMatch(s -> indexed(s, sketches)) ? "built" : "NOT built", (System.nanoTime() - t0) / 1e9);
  }

  private static boolean indexed(final StatsServer s, final int sketches) {
    final Gauge indexed = s.registry().find(SimilarityGraph.INDEXED_GAUGE).gauge();
    final Gauge backlog = s.registry().find(SimilarityGraph.BACKLOG_GAUGE).gauge();
    return indexed != null && backlog != null && indexed.value() >= sketches && backlog.value() == 0;
  }

  /** The servers whose settings keep a similarity graph ({@code rsk.similarity.index.enabled} not false). */
  private static List<StatsServer> withGraphs(final List<StatsServer> servers,
      final List<Map<String, String>> settings) {
    final List<StatsServer> out = new ArrayList<>();
    for (int i = 0; i < servers.size(); i++) {
      if (!"false".equalsIgnoreCase(settings.get(i).get(ServerConfig.SIMILARITY_ENABLED))) {
        out.add(servers.get(i));
      }
    }
    return out;
  }

  /** Requests the servers have finished (any status), from their {@code rsk.http.requests} timers. */
  private static long served(final List<StatsServer> servers) {
    long n = 0;
    for (final StatsServer s : servers) {
      for (final Timer t : s.registry().find("rsk.http.requests").timers()) {
        n += t.count();
      }
    }
    return n;
  }

  /**
   * Waits (at most {@link #DRAIN}) until the servers have finished every request sent: a saturated phase leaves
   * requests queued in a server after the client gave up on them (10 s timeout), and their work would otherwise
   * be charged to the next phase, of another contender or route.
   */
  private static void drain(final long sent, final LongSupplier served, final PrintStream out) throws Exception {
    final long deadline = System.nanoTime() + DRAIN.toNanos();
    while (served.getAsLong() < sent && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    if (served.getAsLong() < sent) {
      out.printf(Locale.ROOT, "(servers still busy with %d requests after %d s; the next phase shares the CPU)%n",
          sent - served.getAsLong(), DRAIN.toSeconds());
    }
  }

  private static void measure(final Map<String, String> servers, final LongSupplier served,
      final IngestPublisher ingest, final Options o, final PrintStream out) throws Exception {
    final Instant to = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
    final Instant from = to.minus(Duration.ofDays(365));
    final String range = "from=" + from + "&to=" + to;
    final Map<String, String> routes = new LinkedHashMap<>();
    for (final Map.Entry<String, String> server : servers.entrySet()) {
      final String base = server.getValue();
      final String c = servers.size() > 1 ? server.getKey() + ": " : "";
      routes.put(c + "frequency P1D, a year", base + "/v1/modules/cat/frequency?bucket=P1D&" + range);
      routes.put(c + "hours, a year", base + "/v1/modules/cat/hours?" + range);
      routes.put(c + "stats, a year", base + "/v1/modules/cat/stats?" + range);
    }
    final ExecutorService pool = Executors.newFixedThreadPool(8);
    final HttpClient http = HttpClient.newBuilder().executor(pool).connectTimeout(Duration.ofSeconds(5)).build();
    final Map<String, List<Double>> latencies = new LinkedHashMap<>();
    final Map<String, AtomicInteger> errors = new LinkedHashMap<>();
    final Map<String, Double> load = new LinkedHashMap<>();
    try {
      // Every request sent so far (serial ones, then paced ones): drained before each phase.
      long sent = served.getAsLong();
      for (final Map.Entry<String, String> r : routes.entrySet()) {
        PacedClient.serial(http, r.getKey(), r.getValue(), out);
        sent += PacedClient.SERIAL;
      }
      for (final Map.Entry<String, String> r : routes.entrySet()) {
        drain(sent, served, out);
        // warm-up, not counted
        PacedClient.paced(http, r.getValue(), o.rate(), o.warmup(), new ArrayList<>(), new AtomicInteger());
        sent += (long) o.warmup() * o.rate();
        latencies.put(r.getKey(), new ArrayList<>());
        errors.put(r.getKey(), new AtomicInteger());
      }
      // Interleaved: each round runs every route of every contender, the contenders alternating per route.
      final List<String> order = interleaved(new ArrayList<>(routes.keySet()), servers.size());
      for (int round = 0; round < o.rounds(); round++) {
        for (final String name : order) {
          drain(sent, served, out);
          ingest.phaseStarted();
          PacedClient.paced(http, routes.get(name), o.rate(), o.seconds(), latencies.get(name), errors.get(name));
          ingest.phaseEnded();
          sent += (long) o.rate() * o.seconds();
          load.merge(name, PacedClient.loadAverage(), Double::sum);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    out.printf(Locale.ROOT, "%n%-36s rate/s  requests  errors   p50-ms   p99-ms   max-ms  load%n", "route");
    for (final Map.Entry<String, List<Double>> e : latencies.entrySet()) {
      final double[] l = e.getValue().stream().mapToDouble(Double::doubleValue).sorted().toArray();
      out.printf(Locale.ROOT, "%-36s %6d %9d %7d %8.1f %8.1f %8.1f %5.1f%n", e.getKey(), o.rate(), l.length,
          errors.get(e.getKey()).get(), PacedClient.pct(l, 0.50), PacedClient.pct(l, 0.99),
          l.length == 0 ? Double.NaN : l[l.length - 1],
          load.get(e.getKey()) / o.rounds());
    }
    out.printf(Locale.ROOT, "(%d rounds of %d s per route and contender, interleaved, one route at a time at the"
        + " rate; load: the 1-minute load average after each phase, mean; %d cores, shared machine: noisy)%n",
        o.rounds(), o.seconds(), Runtime.getRuntime().availableProcessors());
  }

  /** Route names ordered route by route, the contenders of each route in turn ({@code names} grouped by contender). */
  private static List<String> interleaved(final List<String> names, final int contenders) {
    final int perContender = names.size() / contenders;
    final List<String> out = new ArrayList<>();
    for (int r = 0; r < perContender; r++) {
      for (int c = 0; c < contenders; c++) {
        out.add(names.get(c * perContender + r));
      }
    }
    return out;
  }
}
