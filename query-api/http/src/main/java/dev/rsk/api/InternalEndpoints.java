package dev.rsk.api;

import static dev.rsk.api.internal.InternalRoutes.FROM;
import static dev.rsk.api.internal.InternalRoutes.ID;
import static dev.rsk.api.internal.InternalRoutes.MODULE;
import static dev.rsk.api.internal.InternalRoutes.PARTITION;
import static dev.rsk.api.internal.InternalRoutes.PARTITIONS;
import static dev.rsk.api.internal.InternalRoutes.STALE;
import static dev.rsk.api.internal.InternalRoutes.STATS_FROM;
import static dev.rsk.api.internal.InternalRoutes.STATS_TO;
import static dev.rsk.api.internal.InternalRoutes.TO;

import dev.rsk.api.internal.InternalApi;
import dev.rsk.api.internal.InternalDtos;
import dev.rsk.api.internal.InternalRoutes;
import dev.rsk.api.model.StoredSketch;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Serves the {@code /internal/v1} routes of {@link InternalRoutes} from this instance's answers (the
 * counterpart of {@code InternalClient}). Bad parameters are 400, an unknown inference 404.
 */
final class InternalEndpoints {

  private InternalEndpoints() {}

  /** @param local this instance's answers; may throw (503 while the instance is starting) */
  static void register(final Javalin app, final Supplier<InternalApi> local, final JsonBodies bodies) {
    app.get(InternalRoutes.CATALOGUE, ctx -> bodies.write(ctx, local.get().catalogue(partitions(ctx), stale(ctx))));
    app.get(InternalRoutes.NETWORK, ctx -> bodies.write(ctx, local.get().network(partitions(ctx), stale(ctx))));
    app.get(InternalRoutes.HOURLY, ctx -> bodies.write(ctx, local.get().hourly(ctx.pathParam(MODULE),
        number(ctx, FROM), number(ctx, TO), partitions(ctx), stale(ctx))));
    app.get(InternalRoutes.STATS, ctx -> bodies.write(ctx, local.get().stats(ctx.pathParam(MODULE),
        number(ctx, FROM), number(ctx, TO), number(ctx, STATS_FROM), number(ctx, STATS_TO), partitions(ctx),
        stale(ctx))));
    app.get(InternalRoutes.INFERENCE, ctx -> {
      final StoredSketch s = local.get().sketch(ctx.pathParam(ID), (int) number(ctx, PARTITION), stale(ctx));
      if (s == null) {
        throw ApiException.notFound("no stored inference with id '" + ctx.pathParam(ID) + "'");
      }
      bodies.write(ctx, s);
    });
    app.post(InternalRoutes.QUERY,
        ctx -> bodies.write(ctx, local.get().query(bodies.read(ctx, InternalDtos.QueryAsk.class))));
    app.post(InternalRoutes.SIMILAR_INDEXED, ctx -> bodies.write(ctx,
        local.get().similarIndexed(bodies.read(ctx, dev.rsk.api.internal.GraphDtos.IndexedQuery.class))));
    app.post(InternalRoutes.SIMILAR,
        ctx -> bodies.write(ctx, local.get().similar(bodies.read(ctx, InternalDtos.SimilarQuery.class))));
  }

  private static Set<Integer> partitions(final Context ctx) {
    return Params.partitions(ctx.queryParam(PARTITIONS));
  }

  private static boolean stale(final Context ctx) {
    return "true".equals(ctx.queryParam(STALE));
  }

  private static long number(final Context ctx, final String name) {
    return Params.longParam(name, ctx.queryParam(name));
  }
}
