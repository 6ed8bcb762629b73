package dev.rsk.api;

import dev.rsk.api.cluster.ScatterGather;
import dev.rsk.api.internal.InternalApi;
import dev.rsk.api.internal.InternalDtos;
import dev.rsk.api.model.QueryRequest;
import dev.rsk.api.model.QueryResponse;
import dev.rsk.sketch.DecoderCache;
import dev.rsk.stats.model.NetworkEntry;
import dev.rsk.stats.query.RepositoryScan;
import dev.rsk.stats.query.lang.QueryAnswer;
import dev.rsk.stats.query.lang.QueryException;
import dev.rsk.stats.query.lang.QueryLimits;
import dev.rsk.stats.query.lang.QueryPartial;
import dev.rsk.stats.query.lang.QueryPlan;
import dev.rsk.stats.query.lang.SelectItem;
import dev.rsk.stats.query.lang.Slots;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/query}: parses and validates the query here (400 with the column of a syntax error, an
 * unknown module or an attribute index out of range, before anything is scanned), gathers every
 * partition's partial answer through {@link ScatterGather} (503 or stale as every gathered answer),
 * merges them and decodes the selected values once. A scan that exceeds its time budget is a 400.
 */
final class MemoryQueryService {

  private final ScatterGather<InternalApi> cluster;
  private final CatalogueService catalogue;
  private final DecoderCache decoders;
  private final long budgetMs;

  MemoryQueryService(final ScatterGather<InternalApi> cluster, final CatalogueService catalogue,
      final DecoderCache decoders, final Duration remoteTimeout) {
    this.cluster = cluster;
    this.catalogue = catalogue;
    this.decoders = decoders;
    // a remote scan must answer before its caller's timeout gives up on it
    this.budgetMs = Math.min(QueryLimits.TIME_BUDGET.toMillis(), remoteTimeout.toMillis() * 4 / 5);
  }

  QueryResponse query(final QueryRequest q, final Range range, final Duration bucket, final ZoneId zone) {
    final QueryPlan plan;
    try {
      plan = QueryPlan.parse(q.where(), q.select(), range.fromMs(), range.toMs(), bucket.toMillis(), zone)
          .withPathsFromSketches(q.fromSketches());
      plan.validate(catalogue.attributeLengths());
    } catch (QueryException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    final ScatterGather.Gathered<QueryPartial> g = cluster.gather((instance, partitions, stale) ->
        instance.query(new InternalDtos.QueryAsk(q.where(), q.select(), range.fromMs(), range.toMs(),
            bucket.toMillis(), zone.getId(), new ArrayList<>(partitions), stale, budgetMs, q.fromSketches())));
    QueryPartial merged = QueryPartial.empty(plan);
    for (final QueryPartial p : g.parts()) {
      merged = merged.merge(p);
    }
    if (merged.overBudget()) {
      throw ApiException.badRequest("the query did not finish within its time budget of " + budgetMs
          + " ms (" + merged.scanned() + " inferences scanned): narrow the range or simplify the expression");
    }
    return response(q, plan, QueryAnswer.of(plan, merged, decoders, slots(plan)), bucket, zone, g);
  }

  /**
   * The slots the final decoding of a path {@code mean} or {@code mass} tries: the learned network's of every
   * instance (one more gather, only when such an item is selected), else none learned: positional.
   */
  private Slots slots(final QueryPlan plan) {
    if (plan.select().stream().noneMatch(s -> s instanceof SelectItem.Mean m && !m.path().single()
        || s instanceof SelectItem.Mass)) {
      return Slots.POSITIONAL;
    }
    final List<NetworkEntry> entries = new ArrayList<>();
    cluster.gather(InternalApi::network).parts().forEach(n -> entries.addAll(n.entries()));
    return RepositoryScan.slots(entries);
  }

  private static QueryResponse response(final QueryRequest q, final QueryPlan plan, final QueryAnswer a,
      final Duration bucket, final ZoneId zone, final ScatterGather.Gathered<QueryPartial> g) {
    final List<QueryResponse.Bucket> buckets = new ArrayList<>();
    for (int i = 0; i < plan.buckets(); i++) {
      buckets.add(new QueryResponse.Bucket(Json.instant(plan.fromMs() + i * plan.bucketMs()),
          a.bucketInferences()[i], a.bucketMatched()[i]));
    }
    final List<QueryResponse.Hour> hours = new ArrayList<>(24);
    for (int h = 0; h < 24; h++) {
      hours.add(new QueryResponse.Hour(h, a.hourMatched()[h]));
    }
    final Map<String, QueryResponse.Value> values = new LinkedHashMap<>();
    a.values().forEach((k, v) -> values.put(k, new QueryResponse.Value(v.value(), v.stdError(), v.exact())));
    return new QueryResponse(q.where() == null ? "" : q.where(), Json.instant(plan.fromMs()),
        Json.instant(plan.toMs()), FrequencyService.iso(bucket), zone.getId(), a.inferences(), a.matched(),
        a.matchedStdError(), a.exact(), buckets, hours, values, a.scanned(), g.instances(), g.stale(), a.undecided());
  }
}
