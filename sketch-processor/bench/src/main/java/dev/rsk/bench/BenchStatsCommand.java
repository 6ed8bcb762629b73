package dev.rsk.bench;

import dev.rsk.bench.stats.StatsBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rsk bench-stats}: the stats aggregator beside a plain windowed-count Streams app, same run. */
@Command(name = "bench-stats", mixinStandardHelpOptions = true,
    description = "Benchmark the stats aggregator on a pre-filled sketches topic (in-process broker, exactly-once)"
        + " beside a plain Kafka Streams windowed count, interleaved; then print storage per inference.")
public final class BenchStatsCommand implements Callable<Integer> {
  @Mixin StatsRunOptions run;

  @Option(names = "--rounds", defaultValue = "2",
      description = "Rounds of (rsk, peer), interleaved (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--without-index", defaultValue = "true", arity = "1",
      description = "Also run rsk with the similarity index disabled, interleaved (default: ${DEFAULT-VALUE}).")
  boolean withoutIndex;

  @Option(names = "--jvm-per-contender", defaultValue = "false", arity = "1",
      description = "Run each contender's run (its warm-up, then its measured run) in a child JVM of its own, launched"
          + " with this JVM's java binary, class path and -Xmx/-Xms flags, so that its JIT profiles are its own; the"
          + " broker stays in this JVM, whose CPU over each measured window is added to the process CPU and shown"
          + " apart as broker-cpu-us/sketch (default: ${DEFAULT-VALUE}: every contender and the broker in this JVM).")
  boolean jvmPerContender;

  @Override
  public Integer call() throws Exception {
    if (run.sketches < 1 || run.partitions < 1 || rounds < 1 || run.threads < 1 || run.warmup < 0
        || run.commitMs < 0) {
      System.err.println("rsk bench-stats: --sketches, --partitions, --rounds and --threads must be >= 1, --warmup"
          + " and --commit-ms >= 0");
      return 2;
    }
    StatsBenchmark.run(run.options(rounds, withoutIndex, jvmPerContender), System.out);
    return 0;
  }
}
