package dev.rsk.bench;

import dev.rsk.bench.stats.ApiBenchmark;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rsk bench-api}: p50/p99 per route at a constant arrival rate, a year of sketches aggregated. */
@Command(name = "bench-api", mixinStandardHelpOptions = true,
    description = "Query latency of frequency, hours and stats over a year at a constant arrival rate (paced"
        + " open-loop client), with an rsk server running on an in-process broker.")
public final class BenchApiCommand implements Callable<Integer> {
  @Option(names = "--sketches", defaultValue = "43800",
      description = "Sketches over the year, the demo's count (default: ${DEFAULT-VALUE}).")
  int sketches;

  @Option(names = "--rate", defaultValue = "200", description = "Requests/s per route (default: ${DEFAULT-VALUE}).")
  int rate;

  @Option(names = "--seconds", defaultValue = "10",
      description = "Seconds per route and round (default: ${DEFAULT-VALUE}).")
  int seconds;

  @Option(names = "--rounds", defaultValue = "2", description = "Rounds over the routes (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--cache", defaultValue = "both",
      description = "Contenders: both (the answer cache on, and off), on, off, months (the answer cache off, with"
          + " and without the month pieces' cache, rsk.api.months.cache.bytes) (default: ${DEFAULT-VALUE}).")
  String cache;

  @Option(names = "--ingest", defaultValue = "0",
      description = "Sketches/s published into the sketches topic while it measures, event times continuing after"
          + " the filled year (default: ${DEFAULT-VALUE}: none, so the answer cache is never emptied by a commit).")
  int ingest;

  @Option(names = "--staleness", defaultValue = "PT0S",
      description = "If not PT0S, one more contender: the answer cache on with this rsk.api.answer.max.staleness"
          + " (ISO-8601, e.g. PT0.5S) (default: ${DEFAULT-VALUE}: none).")
  java.time.Duration staleness;

  @Option(names = "--threads", defaultValue = "0", description = "kafka.num.stream.threads of every server"
      + " (default: ${DEFAULT-VALUE}: the server's default, 4).")
  int threads;

  @Option(names = "--set", split = ",", paramLabel = "KEY=VALUE",
      description = "Server properties given to every contender, e.g. kafka.commit.interval.ms=500 (repeatable or"
          + " comma-separated; default: none).")
  Map<String, String> set = new LinkedHashMap<>();

  @Option(names = "--also", split = ",", paramLabel = "KEY=VALUE",
      description = "One more contender: the answer cache on with these server properties, interleaved with the"
          + " others (repeatable or comma-separated; default: none).")
  Map<String, String> also = new LinkedHashMap<>();

  @Option(names = "--warmup", defaultValue = "" + ApiBenchmark.DEFAULT_WARMUP,
      description = "Seconds per route and contender at the rate before the measured rounds, not counted, sketches"
          + " arriving meanwhile with --ingest (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Override
  public Integer call() throws Exception {
    if (sketches < 1 || rate < 1 || seconds < 1 || rounds < 1 || warmup < 0) {
      System.err.println("rsk bench-api: --sketches, --rate, --seconds and --rounds must be >= 1, --warmup >= 0");
      return 2;
    }
    if (ingest < 0 || ingest > 10_000) {
      System.err.println("rsk bench-api: --ingest must be 0 to 10000");
      return 2;
    }
    if (!java.util.List.of("both", "on", "off", "months").contains(cache)) {
      System.err.println("rsk bench-api: --cache must be both, on, off or months");
      return 2;
    }
    if (threads < 0) {
      System.err.println("rsk bench-api: --threads must not be negative");
      return 2;
    }
    if (staleness.isNegative()) {
      System.err.println("rsk bench-api: --staleness must not be negative");
      return 2;
    }
    ApiBenchmark.run(new ApiBenchmark.Options(sketches, rate, seconds, rounds, cache, ingest, staleness,
        threads, set, also, warmup), System.out);
    return 0;
  }
}
