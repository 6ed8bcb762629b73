package dev.rsk.api.internal;

import dev.rsk.api.ApiException;
import dev.rsk.api.Json;
import dev.rsk.api.model.StoredSketch;
import dev.rsk.sketch.Sketch;
import dev.rsk.stats.model.CatalogueEntry;
import dev.rsk.stats.model.SketchSum;
import dev.rsk.sketch.DecoderCache;
import dev.rsk.stats.StoreChanges;
import dev.rsk.stats.query.HourRows;
import dev.rsk.stats.query.IndexedSimilarity;
import dev.rsk.stats.query.LocalStatsQueries;
import dev.rsk.stats.query.RepositoryScan;
import dev.rsk.stats.query.lang.QueryException;
import dev.rsk.stats.query.lang.QueryPartial;
import dev.rsk.stats.query.lang.QueryPlan;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * This instance's part of every gathered answer, as the DTOs of {@link InternalDtos}. Memory queries scan this
 * instance's partitions in parallel on a pool of one daemon thread per available processor ({@link
 * #SCAN_THREADS}), shared by all requests; {@link #close} stops it.
 */
public final class LocalAnswers implements InternalApi, AutoCloseable {

  /** Threads scanning partitions for memory queries: one per processor the JVM sees. */
  public static final int SCAN_THREADS = Runtime.getRuntime().availableProcessors();

  private final LocalStatsQueries queries;
  private final ExecutorService scanPool;
  private final RepositoryScan scan;
  private final GraphAnswers graph;
  private final AnswerCache cache;

  /** What a cached partial answer is the answer to ({@code kind} names the route). */
  private record Question(String kind, String module, long from, long to, long statsFrom, long statsTo,
      List<Integer> partitions) {}

  /** Partial answers of this instance without an answer cache. */
  public LocalAnswers(final LocalStatsQueries queries) {
    this(queries, new AnswerCache(new StoreChanges(), 0));
  }

  /** Partial answers of this instance; hourly and stats parts of active partitions are kept in {@code cache}. */
  public LocalAnswers(final LocalStatsQueries queries, final AnswerCache cache) {
    this.queries = queries;
    this.cache = cache;
    final AtomicInteger threads = new AtomicInteger();
    this.scanPool = Executors.newFixedThreadPool(SCAN_THREADS, r -> {
      final Thread t = new Thread(r, "rsk-query-scan-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.scan = new RepositoryScan(queries, new DecoderCache(), scanPool);
    this.graph = new GraphAnswers(new IndexedSimilarity(queries));
  }

  @Override
  public void close() {
    scanPool.shutdownNow();
    cache.close();
  }

  @Override
  public GraphDtos.IndexedAnswer similarIndexed(final GraphDtos.IndexedQuery query) {
    return graph.similar(query);
  }

  @Override
  public QueryPartial query(final InternalDtos.QueryAsk ask) {
    if (ask.partitions() == null || ask.zone() == null || ask.budgetMs() < 0) {
      throw ApiException.badRequest("internal query needs partitions, zone and budgetMs >= 0");
    }
    final QueryPlan plan;
    try {
      plan = QueryPlan.parse(ask.where(), ask.select(), ask.fromMs(), ask.toMs(), ask.bucketMs(),
          java.time.ZoneId.of(ask.zone())).withPathsFromSketches(Boolean.TRUE.equals(ask.pathsFromSketches()));
    } catch (QueryException | java.time.DateTimeException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    return scan.scan(plan, ask.partitions(), ask.stale(), System.nanoTime() + ask.budgetMs() * 1_000_000L);
  }

  @Override
  public InternalDtos.Catalogue catalogue(final Collection<Integer> partitions, final boolean stale) {
    return new InternalDtos.Catalogue(new ArrayList<>(queries.catalogue(partitions, stale).values()));
  }

  @Override
  public InternalDtos.Network network(final Collection<Integer> partitions, final boolean stale) {
    return new InternalDtos.Network(new ArrayList<>(queries.network(partitions, stale).values()));
  }

  @Override
  public InternalDtos.Hourly hourly(final String module, final long from, final long to,
      final Collection<Integer> partitions, final boolean stale) {
    // Standby copies change without a commit of ours: their answers are never kept.
    return stale ? readHourly(module, from, to, partitions, true)
        : cache.get(new Question("hourly", module, from, to, 0, 0, sorted(partitions)),
            () -> readHourly(module, from, to, partitions, false), h -> h.rows().heapBytes());
  }

  private InternalDtos.Hourly readHourly(final String module, final long from, final long to,
      final Collection<Integer> partitions, final boolean stale) {
    return new InternalDtos.Hourly(attributeLength(module, partitions, stale),
        queries.hourlyCounts(module, from, to, partitions, stale).compact());
  }

  @Override
  public InternalDtos.ModuleStats stats(final String module, final long from, final long to, final long statsFrom,
      final long statsTo, final Collection<Integer> partitions, final boolean stale) {
    return stale ? readStats(module, from, to, statsFrom, statsTo, partitions, true)
        : cache.get(new Question("stats", module, from, to, statsFrom, statsTo, sorted(partitions)),
            () -> readStats(module, from, to, statsFrom, statsTo, partitions, false), LocalAnswers::statsBytes);
  }

  private InternalDtos.ModuleStats readStats(final String module, final long from, final long to,
      final long statsFrom, final long statsTo, final Collection<Integer> partitions, final boolean stale) {
    final List<String> attrs = new ArrayList<>();
    queries.attributeStatsByLength(module, statsFrom, statsTo, partitions, stale).values()
        .forEach(a -> attrs.add(Base64.getEncoder().encodeToString(a.toBytes())));
    final List<InternalDtos.Sum> sums = new ArrayList<>();
    for (final SketchSum s : queries.sums(from, to, partitions, stale).values()) {
      sums.add(new InternalDtos.Sum(Json.params(s.spec()), s.count(), s.sum()));
    }
    // the stats answer only sums the rows: one row of totals instead of one per hour (a year: 8,784 arrays)
    final long[] t = queries.hourlyTotals(module, from, to, partitions, stale);
    // all-zero totals are no row: HourRows skips them
    final HourRows rows = HourRows.flat(new long[] {from, t[0], t[1], t[2]});
    return new InternalDtos.ModuleStats(attributeLength(module, partitions, stale), rows, attrs, sums);
  }

  private static List<Integer> sorted(final Collection<Integer> partitions) {
    return List.copyOf(new TreeSet<>(partitions));
  }

  private static long statsBytes(final InternalDtos.ModuleStats s) {
    long b = s.rows().heapBytes();
    for (final String image : s.attributeStats()) {
      b += 2L * image.length();
    }
    for (final InternalDtos.Sum sum : s.sums()) {
      b += 128 + 4L * sum.sum().length;
    }
    return b;
  }

  @Override
  public StoredSketch sketch(final String inferenceId, final int partition, final boolean stale) {
    final var s = queries.sketch(inferenceId, partition, stale);
    return s == null ? null : Json.stored(inferenceId, s);
  }

  @Override
  public InternalDtos.SimilarAnswer similar(final InternalDtos.SimilarQuery q) {
    if (q.vector() == null || q.params() == null || q.partitions() == null || q.k() < 1) {
      throw ApiException.badRequest("internal similar query needs vector, params, partitions and k >= 1");
    }
    final Sketch query;
    try {
      query = new Sketch(Json.spec(q.params()), q.vector());
    } catch (RuntimeException e) {
      throw ApiException.badRequest("invalid sketch: " + e.getMessage());
    }
    final LocalStatsQueries.SimilarResult r = queries.similar(query, q.k(), q.excludeId(), q.partitions(), q.stale());
    return new InternalDtos.SimilarAnswer(r.matches(), r.scanned());
  }

  private int attributeLength(final String module, final Collection<Integer> partitions, final boolean stale) {
    final CatalogueEntry e = queries.catalogueEntry(module, partitions, stale);
    return e == null ? -1 : e.attributeLength();
  }
}
