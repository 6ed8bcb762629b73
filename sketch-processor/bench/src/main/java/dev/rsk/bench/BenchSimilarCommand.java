package dev.rsk.bench;

import dev.rsk.bench.graph.SimilarBench;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rsk bench-similar}: recall@10, latency at a constant rate, memory and build time of the HNSW index. */
@Command(name = "bench-similar", mixinStandardHelpOptions = true,
    description = "Benchmark the similarity index (Lucene HNSW) against the exact scan: recall@10, p50/p99 at a"
        + " constant request rate, index memory and build time, on a synthetic repository and a demo-like room.")
public final class BenchSimilarCommand implements Callable<Integer> {

  @Option(names = "--sizes", split = ",", defaultValue = "10000,100000",
      description = "Synthetic repository sizes (default: ${DEFAULT-VALUE}).")
  List<Integer> sizes;

  @Option(names = "--d", defaultValue = "256", description = "Synthetic vector dimension (default: ${DEFAULT-VALUE}).")
  int d;

  @Option(names = "--rate", defaultValue = "20",
      description = "Requests/s in the latency phase (default: ${DEFAULT-VALUE}).")
  int rate;

  @Option(names = "--seconds", defaultValue = "15",
      description = "Length of the latency phase (default: ${DEFAULT-VALUE}).")
  int seconds;

  @Option(names = "--queries", defaultValue = "100", description = "Queries for recall (default: ${DEFAULT-VALUE}).")
  int queries;

  @Option(names = "--room", defaultValue = "20000",
      description = "Scenes in the demo-like room (d = 1024, real recursive sketches), 0 = skip"
          + " (default: ${DEFAULT-VALUE}).")
  int room;

  @Option(names = "--ef", split = ",", defaultValue = "100",
      description = "Candidates per partition and search: HNSW's efSearch and the number re-ranked exactly; a list"
          + " measures each on the same graphs (default: ${DEFAULT-VALUE}).")
  List<Integer> efs;

  @Option(names = "--partitions", defaultValue = "4",
      description = "Partitions, each with its own graph, all searched per query (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--built", defaultValue = "2147483647",
      description = "Partitions actually built (default: all): fewer builds a large repository faster; each query"
          + " still searches as many graphs as there are partitions, and recall counts the true neighbours in the"
          + " built partitions (an unbiased estimate: partitions do not depend on the vectors).")
  int built;

  @Option(names = "--m", defaultValue = "16", description = "HNSW M, links per node (default: ${DEFAULT-VALUE}).")
  int m;

  @Option(names = "--beam", defaultValue = "100",
      description = "HNSW efConstruction (default: ${DEFAULT-VALUE}).")
  int beam;

  @Option(names = "--build", defaultValue = "stream",
      description = "stream: one upsert at a time, refreshed every 1,000 sketches or 10 s (the indexer following"
          + " the stream); rebuild: one refresh at the end (the rebuild at task start) (default: ${DEFAULT-VALUE}).")
  String build;

  @Option(names = "--merge", description = "After the build, merge each partition's graph to one segment (not what"
      + " the indexer does: measures what the number of segments costs a query).")
  boolean merge;

  @Option(names = "--threads", defaultValue = "2",
      description = "Threads feeding the partitions' graphs (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--prefix", defaultValue = "256",
      description = "Coordinates of each sketch in the graph (int8) (default: ${DEFAULT-VALUE}).")
  int prefix;

  @Override
  public Integer call() throws Exception {
    if (d < 2 || rate < 1 || seconds < 0 || queries < 1 || efs.stream().anyMatch(e -> e < 1) || prefix < 1
        || partitions < 1 || built < 1 || m < 2 || beam < 2 || threads < 1
        || !(build.equals("stream") || build.equals("rebuild")) || sizes.stream().anyMatch(n -> n < 10 * partitions)) {
      System.err.println("rsk bench-similar: --d >= 2, --rate >= 1, --queries >= 1, --ef >= 1, --prefix >= 1,"
          + " --partitions >= 1, --built >= 1, --m >= 2, --beam >= 2, --threads >= 1, --build stream|rebuild,"
          + " sizes >= 10 per partition");
      return 2;
    }
    new SimilarBench(new SimilarBench.Options(sizes, d, rate, seconds, queries, room, efs, prefix, partitions, built, m,
        beam, build.equals("rebuild"), threads, merge), System.out).run();
    return 0;
  }
}
