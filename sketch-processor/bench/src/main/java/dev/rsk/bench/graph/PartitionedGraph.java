package dev.rsk.bench.graph;

import dev.rsk.sketch.Sketches;
import dev.rsk.stats.graph.HnswParams;
import dev.rsk.stats.graph.SimilarityFilter;
import dev.rsk.stats.graph.SpecIndex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A repository spread over partitions as the aggregator spreads it: sketch i lives in partition
 * {@code i % partitions} (a stand-in for the key hash), each partition has its own graph ({@link SpecIndex}),
 * and a search asks every partition for its candidates, as {@code IndexedSimilarity} does. Built by one
 * thread per core, each thread feeding whole partitions, as the partitions' indexers do.
 */
final class PartitionedGraph implements AutoCloseable {

  /** How the graphs are fed. */
  enum Build {
    /** As the indexer follows the stream: one upsert at a time, a refresh every 1,000 sketches or 10 s. */
    STREAM,
    /** As the indexer's rebuild at task start: every stored sketch upserted, one refresh at the end. */
    REBUILD
  }

  private static final long REFRESH_NANOS = 10_000_000_000L;
  private static final int REFRESH_EVERY = 1_000;

  private final List<SpecIndex> parts = new ArrayList<>();

  PartitionedGraph(final HnswParams params, final int dims, final int partitions) {
    for (int p = 0; p < partitions; p++) {
      parts.add(new SpecIndex(params, dims));
    }
  }

  int dims() {
    return parts.get(0).dims();
  }

  int partitions() {
    return parts.size();
  }

  /** Feeds every stored (repository form: int8 with header) sketch, {@code threads} partitions at a time. */
  void build(final List<byte[]> stored, final Build mode, final int threads) throws InterruptedException {
    final ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, parts.size())));
    try {
      final List<Future<?>> done = new ArrayList<>();
      for (int p = 0; p < parts.size(); p++) {
        final int partition = p;
        done.add(pool.submit(() -> feed(partition, stored, mode)));
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

  private void feed(final int partition, final List<byte[]> stored, final Build mode) {
    final SpecIndex index = parts.get(partition);
    long lastRefresh = System.nanoTime();
    int sinceRefresh = 0;
    for (int i = partition; i < stored.size(); i += parts.size()) {
      final byte[] int8 = stored.get(i);
      index.upsert("v" + i, i, "", List.of(), Arrays.copyOfRange(int8, Sketches.INT8_HEADER_BYTES,
          Sketches.INT8_HEADER_BYTES + index.dims()));
      if (mode == Build.STREAM
          && (++sinceRefresh == REFRESH_EVERY || System.nanoTime() - lastRefresh > REFRESH_NANOS)) {
        index.refresh();
        sinceRefresh = 0;
        lastRefresh = System.nanoTime();
      }
    }
    index.refresh();
  }

  /** The indices (into the stored list) of each partition's {@code n} candidates for {@code query}. */
  List<Integer> candidates(final byte[] query, final int n) {
    final List<Integer> out = new ArrayList<>(n * parts.size());
    for (final SpecIndex index : parts) {
      for (final String id : index.candidates(query, n, SimilarityFilter.NONE)) {
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
