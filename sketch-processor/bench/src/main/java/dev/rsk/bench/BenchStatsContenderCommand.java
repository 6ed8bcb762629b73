package dev.rsk.bench;

import dev.rsk.bench.stats.StatsBenchmark;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rsk bench-stats-contender}, hidden: the child JVM of {@code rsk bench-stats --jvm-per-contender true}, one
 * contender's warm-up then measured run against the parent's broker; not meant to be typed.
 */
@Command(name = "bench-stats-contender", hidden = true, mixinStandardHelpOptions = true,
    description = "One bench-stats contender (warm-up, then measured run) against a running broker; prints its"
        + " result as one 'RESULT <json>' line. Launched by bench-stats --jvm-per-contender true.")
public final class BenchStatsContenderCommand implements Callable<Integer> {
  @Option(names = "--bootstrap", required = true, description = "The broker's bootstrap servers.")
  String bootstrap;

  @Option(names = "--app", required = true,
      description = "rsk-stats, rsk-stats-no-index, rsk-stats-also or plain-windowed-count.")
  String app;

  @Option(names = "--round", required = true, description = "Round number (part of the application id).")
  int round;

  @Option(names = "--sketches", required = true, description = "Sketches in the topic (the measured run's target).")
  int sketches;

  @Option(names = "--partitions", required = true, description = "Partitions of the topic.")
  int partitions;

  @Option(names = "--d", required = true, description = "Sketch dimension.")
  int d;

  @Option(names = "--threads", required = true, description = "num.stream.threads.")
  int threads;

  @Option(names = "--commit-ms", required = true, description = "commit.interval.ms (0: Kafka Streams' default).")
  long commitMs;

  @Option(names = "--warmup", required = true, description = "Sketches of the unmeasured warm-up run; 0 = none.")
  int warmup;

  @Option(names = "--state-dir", required = true,
      description = "State directory of the measured run (the warm-up's goes beside it); made by the parent.")
  Path stateDir;

  @Option(names = "--also", split = ",", paramLabel = "KEY=VALUE",
      description = "Kafka Streams properties of the rsk-stats-also contender.")
  Map<String, String> also = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    StatsBenchmark.runContender(bootstrap, app, round, new StatsBenchmark.Options(sketches, partitions, d, 1, false,
        warmup, commitMs, threads, false, also), stateDir, System.out);
    return 0;
  }
}
