package dev.rsk.bench.graph;

import dev.rsk.sketch.ObjectDag;
import dev.rsk.sketch.RecursiveSketcher;
import dev.rsk.sketch.SketchInput;
import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchObject;
import dev.rsk.sketch.Sketches;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.graph.HnswParams;
import dev.rsk.stats.graph.SpecIndex;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The similarity index against the exact scan, in one run. For each repository: the vectors stored as the
 * repository stores them (int8 with a scale), spread over partitions with one graph each over their int8
 * prefixes, fed as the partitions' indexers feed them (following the stream, or rebuilding at task start;
 * {@link PartitionedGraph}), then for each candidate count: recall@10 of the index (every partition's
 * candidates re-ranked with the stored vectors, as the route does) against an exact scan of the stored
 * vectors, and latency at a constant request rate (open loop: latency counted from each request's scheduled
 * time, so a slow query delays and counts against the next ones), and the memory the index holds.
 * Repositories: synthetic clustered vectors (mixtures of Gaussian centres, the shape of sketches of a few
 * kinds of scenes), and a demo-like room of real recursive sketches (d = 1024).
 */
public final class SimilarBench {

  /** Options; see {@code BenchSimilarCommand}. */
  public record Options(List<Integer> sizes, int d, int rate, int seconds, int queries, int room, List<Integer> efs,
      int prefix, int partitions, int built, int m, int beam, boolean rebuild, int threads, boolean merge) {}

  private static final int K = 10;
  private final Options options;
  private final PrintStream out;

  public SimilarBench(final Options options, final PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public void run() throws InterruptedException {
    out.printf("bench-similar: Lucene 9.12.3 HNSW over int8 prefixes of %d coordinates (M=%d, efConstruction=%d,"
        + " efSearch = candidates re-ranked per partition = %s), %d partitions (%d built) fed %s by %d threads, k=%d,"
        + " %d cores, max heap %d MB, load average %.2f%n",
        options.prefix(), options.m(), options.beam(), options.efs(), options.partitions(),
        Math.min(options.built(), options.partitions()),
        options.rebuild() ? "as a rebuild at task start" : "following the stream", options.threads(), K,
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, loadAverage());
    for (final int n : options.sizes()) {
      measure("synthetic n=" + n + " d=" + options.d(), synthetic(n, options.d(), 7L), syntheticQueries(options.d()));
    }
    if (options.room() > 0) {
      final List<float[]> room = room(options.room() + options.queries());
      final List<float[]> queries = new ArrayList<>(room.subList(options.room(), room.size()));
      room.subList(options.room(), room.size()).clear();
      measure("demo-like room n=" + options.room() + " d=1024", room, queries);
    }
  }

  private static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private List<float[]> syntheticQueries(final int d) {
    return synthetic(options.queries(), d, 99L);
  }

  /** Vectors around 200 centres (same centres for any seed), spread 0.6 of a centre's scale. */
  static List<float[]> synthetic(final int n, final int d, final long seed) {
    final SplittableRandom centresRandom = new SplittableRandom(1L);
    final float[][] centres = new float[200][d];
    for (final float[] c : centres) {
      for (int j = 0; j < d; j++) {
        c[j] = (float) gaussian(centresRandom);
      }
    }
    final SplittableRandom random = new SplittableRandom(seed);
    final List<float[]> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      final float[] c = centres[random.nextInt(centres.length)];
      final float[] v = new float[d];
      for (int j = 0; j < d; j++) {
        v[j] = c[j] + (float) (0.6 * gaussian(random));
      }
      out.add(v);
    }
    return out;
  }

  private static double gaussian(final SplittableRandom r) {
    return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
  }

  /** Scenes like the demo's: a root with up to 3 cats (2 eyes each), 2 dogs, 4 persons, random attributes. */
  static List<float[]> room(final int n) {
    final RecursiveSketcher sketcher = new RecursiveSketcher(SketchSpec.of(1024, 42L, 0.5, 0.5));
    final SplittableRandom r = new SplittableRandom(5L);
    final List<float[]> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      final List<SketchObject> objects = new ArrayList<>();
      final List<SketchInput> root = new ArrayList<>();
      add(objects, root, r, "cat", r.nextInt(4), 4);
      add(objects, root, r, "dog", r.nextInt(3), 4);
      add(objects, root, r, "person", r.nextInt(5), 3);
      objects.add(new SketchObject("root", "scene", new float[] {(float) r.nextDouble(), (float) r.nextDouble()},
          root));
      out.add(sketcher.sketch(ObjectDag.of(objects, "root")).vector());
    }
    return out;
  }

  private static void add(final List<SketchObject> objects, final List<SketchInput> root, final SplittableRandom r,
      final String module, final int count, final int k) {
    for (int c = 0; c < count; c++) {
      final String id = module + c;
      final List<SketchInput> inputs = new ArrayList<>();
      if (module.equals("cat")) {
        for (int e = 0; e < 2; e++) {
          objects.add(SketchObject.leaf(id + "-eye" + e, "eye", (float) r.nextDouble(), (float) r.nextDouble()));
          inputs.add(SketchInput.of(id + "-eye" + e, String.valueOf(e)));
        }
      }
      final float[] x = new float[k];
      for (int j = 0; j < k; j++) {
        x[j] = (float) (r.nextDouble() * 2 - 1);
      }
      objects.add(new SketchObject(id, module, x, inputs));
      root.add(SketchInput.of(id, String.valueOf(root.size())));
    }
  }

  private void measure(final String name, final List<float[]> vectors, final List<float[]> queries)
      throws InterruptedException {
    final HnswParams params = new HnswParams(options.m(), options.beam(), options.efs().get(0), 32);
    final int d = vectors.get(0).length;
    final SketchSpec spec = SketchSpec.of(d, 1L, 0.5, 0.5);
    final int n = vectors.size();
    // the repository's form: int8 with a scale (Sketches.toInt8), decoded for the exact re-ranking
    final List<byte[]> stored = new ArrayList<>(n);
    for (final float[] v : vectors) {
      stored.add(Sketches.toInt8(new Sketch(spec, v)));
    }
    vectors.clear(); // the float vectors are not needed any more (1 GB at 1M, d = 256)
    final List<float[]> decoded = new ArrayList<>(n);
    for (final byte[] b : stored) {
      decoded.add(Sketches.fromInt8(spec, b).vector());
    }
    System.gc();
    final long heapBefore = usedHeap();
    out.printf("%n%s (load average %.2f)%n", name, loadAverage());
    final PartitionedGraph.Build mode = options.rebuild() ? PartitionedGraph.Build.REBUILD
        : PartitionedGraph.Build.STREAM;
    try (PartitionedGraph graph = new PartitionedGraph(params, Math.min(options.prefix(), d), options.partitions(),
        options.built(), mode)) {
      final long t0 = System.nanoTime();
      graph.build(stored, mode, options.threads(), out, Math.max(10_000, n / 10));
      final long t1 = System.nanoTime();
      System.gc();
      out.printf("  build: %.1f s for %,d sketches (%.0f sketches/s; %s, %d threads; load average"
          + " %.2f)%n", (t1 - t0) / 1e9, graph.fed(), graph.fed() / ((t1 - t0) / 1e9), options.rebuild()
          ? "bulk loaded and finished as the indexer's rebuild at task start"
          : "one upsert at a time, refreshed every 1,000 sketches or 10 s per partition as the indexer following"
              + " the stream", options.threads(), loadAverage());
      out.printf("  segments per built partition after the build: %s%n", graph.segments());
      if (options.merge()) {
        final long m0 = System.nanoTime();
        graph.mergeToOneSegment();
        out.printf("  forced merge to one segment per partition: %.1f s (load average %.2f)%n",
            (System.nanoTime() - m0) / 1e9, loadAverage());
      }
      out.printf("  memory: graphs %d MB (directories + writers, %d-coordinate int8 prefixes, %d of %d partitions),"
          + " heap growth %d MB (the repository's int8 vectors: %d MB; float vectors would be %d MB)%n",
          graph.ramBytes() >> 20, graph.dims(), graph.builtPartitions(), graph.partitions(),
          (usedHeap() - heapBefore) >> 20,
          ((long) n * (d + Sketches.INT8_HEADER_BYTES)) >> 20, ((long) n * d * 4) >> 20);
      final List<Set<Integer>> truth = new ArrayList<>(queries.size());
      final long e0 = System.nanoTime();
      for (final float[] q : queries) {
        truth.add(exactTopK(decoded, q));
      }
      out.printf("  exact scan of the stored int8 vectors (decoded to float, in this benchmark): %.1f ms/query%n",
          (System.nanoTime() - e0) / 1e6 / queries.size());
      for (final int ef : options.efs()) {
        recall(graph, spec, stored, queries, truth, ef);
        latency(graph, spec, stored, queries, ef);
      }
    }
  }

  /**
   * What the route answers: every partition's graph candidates by int8 prefix, re-ranked by the cosine of the
   * stored (int8) vectors, decoded here per candidate as the route does.
   */
  private static List<Integer> search(final PartitionedGraph graph, final SketchSpec spec, final List<byte[]> stored,
      final float[] q, final int ef) {
    final List<Integer> candidates = graph.candidates(SpecIndex.quantize(q, graph.dims()), Math.max(K, ef));
    final List<Map.Entry<Integer, Double>> scored = new ArrayList<>(candidates.size());
    for (final int id : candidates) {
      final float[] v = Sketches.fromInt8(spec, stored.get(id)).vector();
      scored.add(Map.entry(id, Sketches.cosine(q, v)));
    }
    scored.sort(Map.Entry.<Integer, Double>comparingByValue().reversed());
    return scored.stream().map(Map.Entry::getKey).distinct().limit(K).toList();
  }

  private void recall(final PartitionedGraph graph, final SketchSpec spec, final List<byte[]> stored,
      final List<float[]> queries, final List<Set<Integer>> truth, final int ef) {
    long hits = 0;
    long wanted = 0;
    final long t0 = System.nanoTime();
    for (int i = 0; i < queries.size(); i++) {
      final Set<Integer> reachable = new HashSet<>(truth.get(i));
      reachable.removeIf(id -> !graph.built(id)); // the true neighbours in partitions not built cannot be found
      wanted += reachable.size();
      hits += search(graph, spec, stored, queries.get(i), ef).stream().filter(reachable::contains).count();
    }
    out.printf("  candidates %d per partition (%d re-ranked): recall@10 %.4f over %d queries (%d true neighbours%s;"
        + " %.2f ms/query, sequential)%n", Math.max(K, ef), Math.max(K, ef) * graph.partitions(),
        (double) hits / wanted, queries.size(), wanted,
        graph.builtPartitions() < graph.partitions() ? " in the built partitions" : "",
        (System.nanoTime() - t0) / 1e6 / queries.size());
  }

  /** The exact top k by cosine (double accumulation), written here independently of the index. */
  static Set<Integer> exactTopK(final List<float[]> vectors, final float[] q) {
    final double[] best = new double[K];
    final int[] ids = new int[K];
    Arrays.fill(best, Double.NEGATIVE_INFINITY);
    double qq = 0;
    for (final float f : q) {
      qq += (double) f * f;
    }
    for (int i = 0; i < vectors.size(); i++) {
      final float[] v = vectors.get(i);
      double dot = 0;
      double vv = 0;
      for (int j = 0; j < v.length; j++) {
        dot += (double) v[j] * q[j];
        vv += (double) v[j] * v[j];
      }
      final double cos = dot / Math.sqrt(qq * vv);
      if (cos > best[K - 1]) {
        int at = K - 1;
        while (at > 0 && best[at - 1] < cos) {
          best[at] = best[at - 1];
          ids[at] = ids[at - 1];
          at--;
        }
        best[at] = cos;
        ids[at] = i;
      }
    }
    final Set<Integer> out = new HashSet<>();
    for (final int id : ids) {
      out.add(id);
    }
    return out;
  }

  private void latency(final PartitionedGraph graph, final SketchSpec spec, final List<byte[]> stored,
      final List<float[]> queries, final int ef) throws InterruptedException {
    final int total = options.rate() * options.seconds();
    if (total == 0) {
      return;
    }
    final long[] latencies = new long[total];
    final ScheduledExecutorService pool = Executors.newScheduledThreadPool(4);
    final long start = System.nanoTime() + 100_000_000L;
    final long period = 1_000_000_000L / options.rate();
    for (int i = 0; i < total; i++) {
      final int n = i;
      final long due = start + n * period;
      pool.schedule(() -> {
        search(graph, spec, stored, queries.get(n % queries.size()), ef);
        latencies[n] = System.nanoTime() - due;
      }, due - System.nanoTime(), TimeUnit.NANOSECONDS);
    }
    pool.shutdown();
    pool.awaitTermination(options.seconds() + 120L, TimeUnit.SECONDS);
    Arrays.sort(latencies);
    out.printf("    latency at %d req/s for %d s (open loop, from scheduled time): p50 %.2f ms, p99 %.2f ms,"
        + " max %.2f ms (load average %.2f)%n", options.rate(), options.seconds(), latencies[total / 2] / 1e6,
        latencies[(int) Math.min(total - 1, Math.ceil(total * 0.99) - 1)] / 1e6, latencies[total - 1] / 1e6,
        loadAverage());
  }

  private static long usedHeap() {
    final Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }
}
