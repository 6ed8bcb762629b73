package dev.rsk.bench;

import dev.rsk.bench.stats.StatsBenchmark;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rsk bench-stats}: the stats aggregator beside a plain windowed-count Streams app, same run. */
@Command(name = "bench-stats", mixinStandardHelpOptions = true,
    description = "Benchmark the stats aggregator on a pre-filled sketches topic (in-process broker, exactly-once)"
        + " beside a plain Kafka Streams windowed count, interleaved; then print storage per inference.")
public final class BenchStatsCommand implements Callable<Integer> {
  @Option(names = "--sketches", defaultValue = "40000",
      description = "Sketches in the topic, spread over a year of event time (default: ${DEFAULT-VALUE}).")
  int sketches;

  @Option(names = "--partitions", defaultValue = "4", description = "Partitions (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--d", defaultValue = "1024", description = "Sketch dimension (default: ${DEFAULT-VALUE}).")
  int d;

  @Option(names = "--rounds", defaultValue = "2",
      description = "Rounds of (rsk, peer), interleaved (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--without-index", defaultValue = "true", arity = "1",
      description = "Also run rsk with the similarity index disabled, interleaved (default: ${DEFAULT-VALUE}).")
  boolean withoutIndex;

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

  @Option(names = "--jvm-per-contender", defaultValue = "false", arity = "1",
      description = "Run each contender's run (its warm-up, then its measured run) in a child JVM of its own, launched"
          + " with this JVM's java binary, class path and -Xmx/-Xms flags, so that its JIT profiles are its own; the"
          + " broker stays in this JVM, whose CPU over each measured window is added to the process CPU and shown"
          + " apart as broker-cpu-us/sketch (default: ${DEFAULT-VALUE}: every contender and the broker in this JVM).")
  boolean jvmPerContender;

  @Option(names = "--also", split = ",", paramLabel = "KEY=VALUE",
      description = "One more contender, rsk-stats-also: rsk without the similarity index, with these Kafka Streams"
          + " properties over the server's defaults (e.g. producer.batch.size=16384, the old default; repeatable or"
          + " comma-separated; default: none).")
  Map<String, String> also = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    if (sketches < 1 || partitions < 1 || rounds < 1 || threads < 1 || warmup < 0 || commitMs < 0) {
      System.err.println("rsk bench-stats: --sketches, --partitions, --rounds and --threads must be >= 1, --warmup"
          + " and --commit-ms >= 0");
      return 2;
    }
    StatsBenchmark.run(new StatsBenchmark.Options(sketches, partitions, d, rounds, withoutIndex, warmup, commitMs,
        threads, jvmPerContender, also), System.out);
    return 0;
  }
}
