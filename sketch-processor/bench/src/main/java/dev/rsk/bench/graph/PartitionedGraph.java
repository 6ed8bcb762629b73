package dev.rsk.bench.graph;

import dev.rsk.sketch.Sketches;
import dev.rsk.stats.graph.HnswParams;
import dev.rsk.stats.graph.SimilarityFilter;
import dev.rsk.stats.graph.SpecIndex;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A repository spread over partitions as the aggregator spreads it: sketch i lives in partition
 * {@code i % partitions} (a stand-in for the key hash), each partition has its own graph ({@link SpecIndex}),
 * and a search asks every partition for its candidates, as {@code IndexedSimilarity} does. Built by one
 * thread per core, each thread feeding whole partitions, as the partitions' indexers do.
 *
 * <p>To measure a large repository in less time, only the first {@code built} partitions may be built: a search
 * then asks each built graph in turn for as many partitions as there are (the cost of searching them all), and
 * recall counts only the true neighbours that live in a built partition. Sketches are spread over partitions
 * independently of their vectors, so this estimates the recall of the whole repository.
 */
final class PartitionedGraph implements AutoCloseable {

  /** How the graphs are fed. */
  enum Build {
    /** As the indexer follows the stream: one upsert at a time, a refresh every 1,000 sketches or 10 s. */
    STREAM,
    /**
     * As the indexer's rebuild at task start: every stored sketch upserted into a bulk-loaded graph (its larger
     * buffer), finished at the end ({@link SpecIndex#finishBulkLoad}).
     */
    REBUILD
  }

  private static final long REFRESH_NANOS = 10_000_000_000L;
  private static final int REFRESH_EVERY = 1_000;

  private final List<SpecIndex> parts = new ArrayList<>();
  private final int partitions;
  private final AtomicLong fed = new AtomicLong();

  PartitionedGraph(final HnswParams params, final int dims, final int partitions, final int built, final Build mode) {
    this.partitions = partitions;
    for (int p = 0; p < Math.min(built, partitions); p++) {
      parts.add(new SpecIndex(params, dims, mode == Build.REBUILD));
    }
  }

  /** Lucene segments per built partition (each one more HNSW graph searched per query). */
  List<Integer> segments() {
    return parts.stream().map(SpecIndex::segments).toList();
  }

  /** Whether sketch {@code i} lives in a built partition. */
  boolean built(final int i) {
    return i % partitions < parts.size();
  }

  int dims() {
    return parts.get(0).dims();
  }

  int partitions() {
    return partitions;
  }

  /** Merges each built graph to one segment (one graph search per partition instead of one per segment). */
  void mergeToOneSegment() {
    parts.forEach(SpecIndex::optimize);
  }

  /** Sketches fed so far (those of the built partitions). */
  long fed() {
    return fed.get();
  }

  int builtPartitions() {
    return parts.size();
  }

  /**
   * Feeds every stored (repository form: int8 with header) sketch of the built partitions, {@code threads}
   * partitions at a time, printing progress to {@code progress} every {@code every} sketches.
   */
  void build(final List<byte[]> stored, final Build mode, final int threads, final PrintStream progress,
      final long every) throws InterruptedException {
    final long t0 = System.nanoTime();
    final Runnable report = () -> progress.printf("    %,d sketches fed in %.0f s (load average %.2f)%n", fed.get(),
        (System.nanoTime() - t0) / 1e9, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    final ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, parts.size())));
    try {
      final List<Future<?>> done = new ArrayList<>();
      for (int p = 0; p < parts.size(); p++) {
        final int partition = p;
        done.add(pool.submit(() -> feed(partition, stored, mode, every, report)));
      }
      for (final Future<?> f : done) {
        f.get();
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("building the graphs failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private void feed(final int partition, final List<byte[]> stored, final Build mode, final long every,
      final Runnable report) {
    final SpecIndex index = parts.get(partition);
    long lastRefresh = System.nanoTime();
    int sinceRefresh = 0;
    for (int i = partition; i < stored.size(); i += partitions) {
      final byte[] int8 = stored.get(i);
      index.upsert("v" + i, i, "", List.of(), Arrays.copyOfRange(int8, Sketches.INT8_HEADER_BYTES,
          Sketches.INT8_HEADER_BYTES + index.dims()));
      if (mode == Build.STREAM
          && (++sinceRefresh == REFRESH_EVERY || System.nanoTime() - lastRefresh > REFRESH_NANOS)) {
        index.refresh();
        sinceRefresh = 0;
        lastRefresh = System.nanoTime();
      }
      if (fed.incrementAndGet() % every == 0) {
        report.run();
      }
    }
    if (mode == Build.REBUILD) {
      index.finishBulkLoad(); // as the indexer's rebuild ends
    } else {
      index.refresh();
    }
  }

  /**
   * The indices (into the stored list) of each partition's {@code n} candidates for {@code query}; with fewer
   * partitions built, each built graph's candidates come several times (the cost of searching them all).
   */
  List<Integer> candidates(final byte[] query, final int n) {
    final List<Integer> out = new ArrayList<>(n * partitions);
    for (int p = 0; p < partitions; p++) {
      for (final String id : parts.get(p % parts.size()).candidates(query, n, SimilarityFilter.NONE)) {
        out.add(Integer.parseInt(id.substring(1)));
      }
    }
    return out;
  }

  long ramBytes() {
    long sum = 0;
    for (final SpecIndex index : parts) {
      sum += index.ramBytes();
    }
    return sum;
  }

  @Override
  public void close() {
    parts.forEach(SpecIndex::close);
  }
}
