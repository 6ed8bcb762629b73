package dev.rsk.bench;

import dev.rsk.bench.processor.ProcessorBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rsk bench-processor}: events/s and latency of the processor beside the group-and-rewrite baseline. */
@Command(name = "bench-processor", mixinStandardHelpOptions = true,
    description = "Benchmark the sketch processor on an in-process broker with exactly-once, beside a plain"
        + " group-and-rewrite Streams app.")
public final class BenchProcessorCommand implements Callable<Integer> {
  @Option(names = "--inferences", defaultValue = "" + 40_000,
      description = "Inferences in the backlog, 15 objects each (default: ${DEFAULT-VALUE}).")
  int inferences;

  @Option(names = "--partitions", defaultValue = "4", description = "Partitions (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--threads", defaultValue = "1", description = "Stream threads (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--d", defaultValue = "1024", description = "Sketch dimension (default: ${DEFAULT-VALUE}).")
  int d;

  @Option(names = "--paced-rate", defaultValue = "20000",
      description = "Events/s published in the latency phase (default: ${DEFAULT-VALUE}).")
  int pacedRate;

  @Option(names = "--paced-seconds", defaultValue = "10",
      description = "Length of the latency phase, 0 = skip (default: ${DEFAULT-VALUE}).")
  int pacedSeconds;

  @Option(names = "--no-baseline", description = "Skip the baseline app.")
  boolean noBaseline;

  @Override
  public Integer call() throws Exception {
    if (inferences < 1 || partitions < 1 || threads < 1) {
      System.err.println("rsk bench-processor: --inferences, --partitions and --threads must be >= 1");
      return 2;
    }
    ProcessorBenchmark.run(new ProcessorBenchmark.Options(inferences, partitions, threads, d, pacedRate,
        pacedSeconds, !noBaseline), System.out);
    return 0;
  }
}
