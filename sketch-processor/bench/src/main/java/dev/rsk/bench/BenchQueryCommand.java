package dev.rsk.bench;

import dev.rsk.bench.stats.QueryBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rsk bench-query}: p50/p99 of {@code POST /v1/query} per expression form over a year. */
@Command(name = "bench-query", mixinStandardHelpOptions = true,
    description = "Latency of POST /v1/query per expression form (exact-only and decoded) over a year of demo-like"
        + " inferences, with an rsk server running on an in-process broker; prints p50, p99 and the scan cost"
        + " per stored inference.")
public final class BenchQueryCommand implements Callable<Integer> {
  @Option(names = "--sketches", defaultValue = "43800",
      description = "Inferences over the year, the demo's count (default: ${DEFAULT-VALUE}).")
  int sketches;

  @Option(names = "--requests", defaultValue = "5",
      description = "Requests per form and round, one after the other (default: ${DEFAULT-VALUE}).")
  int requests;

  @Option(names = "--rounds", defaultValue = "4", description = "Rounds over the forms (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Override
  public Integer call() throws Exception {
    if (sketches < 1 || requests < 1 || rounds < 1) {
      System.err.println("rsk bench-query: every option must be >= 1");
      return 2;
    }
    QueryBenchmark.run(new QueryBenchmark.Options(sketches, requests, rounds), System.out);
    return 0;
  }
}
