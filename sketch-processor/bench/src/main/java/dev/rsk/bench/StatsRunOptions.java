package dev.rsk.bench;

import dev.rsk.bench.stats.StatsBenchmark;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * What every run of {@code rsk bench-stats} shares, declared once: the options of {@code bench-stats} that its child
 * JVMs ({@code bench-stats-contender}, {@code --jvm-per-contender true}) are given again, so both read them alike.
 */
final class StatsRunOptions {
  @Option(names = "--sketches", defaultValue = "40000",
      description = "Sketches in the topic, spread over a year of event time (default: ${DEFAULT-VALUE}).")
  int sketches;

  @Option(names = "--partitions", defaultValue = "4", description = "Partitions (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--d", defaultValue = "1024", description = "Sketch dimension (default: ${DEFAULT-VALUE}).")
  int d;

  @Option(names = "--warmup", defaultValue = "8000",
      description = "Sketches (at most --sketches) each contender processes once, unmeasured, before the rounds, so"
          + " that none pays the JVM's warm-up (JIT, class loading) alone; 0 = none. With 2,000 the C2 compiler still"
          + " took a third of the JVM's CPU in the measured rounds (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--commit-ms", defaultValue = "0", description = "commit.interval.ms of every contender (default: "
      + "0, Kafka Streams' exactly-once default of 100 ms).")
  long commitMs;

  @Option(names = "--threads", defaultValue = "4", description = "num.stream.threads of every contender (default:"
      + " ${DEFAULT-VALUE}, the stats server's default; the peer gets the same, so the comparison stays fair).")
  int threads;

  @Option(names = "--also", split = ",", paramLabel = "KEY=VALUE",
      description = "One more contender, rsk-stats-also: rsk without the similarity index, with these Kafka Streams"
          + " properties over the server's defaults (e.g. producer.batch.size=16384, the old default; repeatable or"
          + " comma-separated; default: none).")
  Map<String, String> also = new LinkedHashMap<>();

  /** These options with the rounds, the contenders and where they run. */
  StatsBenchmark.Options options(final int rounds, final boolean withoutIndex, final boolean jvmPerContender) {
    return new StatsBenchmark.Options(sketches, partitions, d, rounds, withoutIndex, warmup, commitMs, threads,
        jvmPerContender, also);
  }
}
