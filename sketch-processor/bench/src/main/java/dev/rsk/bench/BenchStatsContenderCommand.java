package dev.rsk.bench;

import dev.rsk.bench.stats.StatsBenchmark;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rsk bench-stats-contender}, hidden: the child JVM of {@code rsk bench-stats --jvm-per-contender true}, one
 * contender's warm-up then measured run against the parent's broker; not meant to be typed.
 */
@Command(name = "bench-stats-contender", hidden = true, mixinStandardHelpOptions = true,
    description = "One bench-stats contender (warm-up, then measured run) against a running broker; prints its"
        + " result as one 'RESULT <json>' line. Launched by bench-stats --jvm-per-contender true.")
public final class BenchStatsContenderCommand implements Callable<Integer> {
  @Mixin StatsRunOptions run;

  @Option(names = "--bootstrap", required = true, description = "The broker's bootstrap servers.")
  String bootstrap;

  @Option(names = "--app", required = true,
      description = "rsk-stats, rsk-stats-no-index, rsk-stats-also or plain-windowed-count.")
  String app;

  @Option(names = "--round", required = true, description = "Round number (part of the application id).")
  int round;

  @Option(names = "--state-dir", required = true,
      description = "State directory of the measured run (the warm-up's goes beside it); made by the parent.")
  Path stateDir;

  @Override
  public Integer call() throws Exception {
    StatsBenchmark.runContender(bootstrap, app, round, run.options(1, false, false), stateDir, System.out);
    return 0;
  }
}
