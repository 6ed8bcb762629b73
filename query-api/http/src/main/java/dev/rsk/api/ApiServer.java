package dev.rsk.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rsk.api.cluster.Cluster;
import dev.rsk.api.internal.InternalDtos;
import dev.rsk.api.internal.LocalAnswers;
import dev.rsk.api.model.HealthResponse;
import dev.rsk.api.model.SimilarRequest;
import dev.rsk.api.model.StoredSketch;
import dev.rsk.stats.StatsConfig;
import dev.rsk.stats.query.LocalStatsQueries;
import dev.rsk.stats.query.StoreUnavailableException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API (Javalin): the public routes of system.md, the {@code /internal/v1} routes instances
 * gather through, {@code /health}, {@code /ready}, {@code /metrics} and {@code /openapi.json}.
 *
 * <p>Started before Kafka Streams (its port is the instance's {@code application.server}), then
 * {@link #attach attached} to the running streams. Until attached, queries answer 503 and
 * {@code /ready} is 503. Every error is {@code application/problem+json}; bad input never yields 500.
 */
public final class ApiServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
  private static final String PROBLEM_JSON = "application/problem+json";
  private static final String JSON = "application/json";

  private final ApiLimits limits;
  private final PrometheusMeterRegistry registry;
  private final ObjectMapper mapper = Json.mapper();
  private final Params params;
  private final byte[] openApi;
  private final Javalin app;
  private volatile Attached attached;
  private volatile String advertised = "";

  private record Attached(KafkaStreams streams, QueryService service, LocalAnswers local, Cluster cluster) {}

  private ApiServer(final ApiLimits limits, final PrometheusMeterRegistry registry) {
    this.limits = limits;
    this.registry = registry;
    this.params = new Params(limits, System::currentTimeMillis);
    this.openApi = loadOpenApi();
    this.app = Javalin.create(cfg -> {
      cfg.showJavalinBanner = false;
      cfg.startupWatcherEnabled = false;
      cfg.router.ignoreTrailingSlashes = true;
      cfg.http.maxRequestSize = 4_000_000L; // a d = 65536 float vector in JSON fits
    });
    routes();
  }

  /** Starts the HTTP server on {@code bindHost:port} (0 = ephemeral). */
  public static ApiServer start(final String bindHost, final int port, final ApiLimits limits,
      final PrometheusMeterRegistry registry) {
    final ApiServer server = new ApiServer(limits, registry);
    server.app.start(bindHost, port);
    return server;
  }

  /** The bound port. */
  public int port() {
    return app.port();
  }

  /**
   * Connects the API to the streams of the stats topology; {@code self} must equal the streams'
   * {@code application.server}.
   */
  public void attach(final KafkaStreams streams, final StatsConfig stats, final HostInfo self) {
    final LocalStatsQueries queries = new LocalStatsQueries(streams, limits.storeWait());
    final LocalAnswers local = new LocalAnswers(queries);
    final Cluster cluster = new Cluster(streams, self, stats.sketchesTopic(), limits, mapper);
    this.advertised = Cluster.name(self);
    this.attached =
        new Attached(streams, new QueryService(cluster, local, limits, stats.statsBucket()), local, cluster);
  }

  private Attached attached() {
    final Attached a = attached;
    if (a == null) {
      throw ApiException.unavailable("the instance is starting", limits.retryAfterSeconds(), null);
    }
    return a;
  }

  private void routes() {
    app.before(ctx -> ctx.attribute("rsk.t0", System.nanoTime()));
    app.after(this::recordTiming);

    get("/v1/modules", ctx -> json(ctx, attached().service().modules()));
    get("/v1/modules/{module}/frequency", ctx -> {
      final Range range = params.range(ctx.queryParam("from"), ctx.queryParam("to"));
      json(ctx, attached().service().frequency(ctx.pathParam("module"), range,
          params.bucket(ctx.queryParam("bucket"), range)));
    });
    get("/v1/modules/{module}/hours", ctx -> {
      final Range range = params.range(ctx.queryParam("from"), ctx.queryParam("to"));
      json(ctx, attached().service().hours(ctx.pathParam("module"), range, Params.zone(ctx.queryParam("zone"))));
    });
    get("/v1/modules/{module}/stats", ctx -> {
      final Range range = params.range(ctx.queryParam("from"), ctx.queryParam("to"));
      json(ctx, attached().service().stats(ctx.pathParam("module"), range));
    });
    get("/v1/inferences/{id}", ctx -> json(ctx, attached().service().inference(ctx.pathParam("id"))));
    app.post("/v1/similar", ctx -> json(ctx, attached().service().similar(body(ctx, SimilarRequest.class))));

    get("/internal/v1/catalogue", ctx -> json(ctx, attached().local().catalogue(
        Params.partitions(ctx.queryParam("partitions")), stale(ctx))));
    get("/internal/v1/modules/{module}/hourly", ctx -> json(ctx, attached().local().hourly(ctx.pathParam("module"),
        ms(ctx, "from"), ms(ctx, "to"), Params.partitions(ctx.queryParam("partitions")), stale(ctx))));
    get("/internal/v1/modules/{module}/stats", ctx -> json(ctx, attached().local().stats(ctx.pathParam("module"),
        ms(ctx, "from"), ms(ctx, "to"), ms(ctx, "statsFrom"), ms(ctx, "statsTo"),
        Params.partitions(ctx.queryParam("partitions")), stale(ctx))));
    get("/internal/v1/inferences/{id}", ctx -> {
      final StoredSketch s = attached().local().sketch(ctx.pathParam("id"),
          (int) Params.longParam("partition", ctx.queryParam("partition")), stale(ctx));
      if (s == null) {
        throw ApiException.notFound("no stored inference with id '" + ctx.pathParam("id") + "'");
      }
      json(ctx, s);
    });
    app.post("/internal/v1/similar",
        ctx -> json(ctx, attached().local().similar(body(ctx, InternalDtos.SimilarQuery.class))));

    get("/health", ctx -> {
      final Attached a = attached;
      json(ctx, new HealthResponse("UP", a == null ? "NOT_STARTED" : a.streams().state().name(), advertised));
    });
    get("/ready", ctx -> {
      final Attached a = attached;
      final boolean ready = a != null && a.streams().state() == KafkaStreams.State.RUNNING;
      ctx.status(ready ? 200 : 503);
      if (!ready) {
        ctx.header("Retry-After", String.valueOf(limits.retryAfterSeconds()));
      }
      json(ctx, new HealthResponse(ready ? "READY" : "NOT_READY",
          a == null ? "NOT_STARTED" : a.streams().state().name(), advertised));
    });
    get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape()));
    get("/openapi.json", ctx -> ctx.contentType(JSON).result(openApi));

    app.exception(ApiException.class, (e, ctx) -> problem(ctx, e));
    app.exception(StoreUnavailableException.class, (e, ctx) -> problem(ctx,
        ApiException.unavailable(e.getMessage(), limits.retryAfterSeconds(), null)));
    app.exception(HttpResponseException.class, (e, ctx) -> problem(ctx,
        new ApiException(e.getStatus(), reason(e.getStatus()), e.getMessage(), null, null)));
    app.exception(Exception.class, (e, ctx) -> {
      LOG.error("internal error on {} {}", ctx.method(), ctx.path(), e);
      problem(ctx, new ApiException(500, "Internal Server Error",
          "internal error: " + e.getClass().getSimpleName(), null, null));
    });
    app.error(404, ctx -> {
      if (!isProblem(ctx)) {
        problem(ctx, ApiException.notFound("no route " + ctx.method() + " " + ctx.path()));
      }
    });
    app.error(405, ctx -> {
      if (!isProblem(ctx)) {
        problem(ctx, new ApiException(405, "Method Not Allowed", "method " + ctx.method() + " not allowed on "
            + ctx.path(), null, null));
      }
    });
  }

  private void get(final String path, final Handler handler) {
    app.get(path, handler);
  }

  private static boolean isProblem(final Context ctx) {
    final String type = ctx.res().getContentType();
    return type != null && type.startsWith(PROBLEM_JSON);
  }

  private static boolean stale(final Context ctx) {
    return "true".equals(ctx.queryParam("stale"));
  }

  private static long ms(final Context ctx, final String name) {
    return Params.longParam(name, ctx.queryParam(name));
  }

  private <T> T body(final Context ctx, final Class<T> type) {
    final byte[] bytes = ctx.bodyAsBytes();
    if (bytes.length == 0) {
      throw ApiException.badRequest("request body is empty: a JSON object is expected");
    }
    try {
      final T value = mapper.readValue(bytes, type);
      if (value == null) {
        throw ApiException.badRequest("request body must be a JSON object, not null");
      }
      return value;
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("malformed JSON body: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiException.badRequest("unreadable body: " + e.getMessage());
    }
  }

  private void json(final Context ctx, final Object body) {
    try {
      ctx.contentType(JSON).result(mapper.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void problem(final Context ctx, final ApiException e) {
    final Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "about:blank");
    body.put("title", e.title());
    body.put("status", e.status());
    body.put("detail", e.getMessage());
    body.put("instance", ctx.path());
    body.putAll(e.extensions());
    ctx.status(e.status());
    if (e.retryAfterSeconds() != null) {
      ctx.header("Retry-After", String.valueOf(e.retryAfterSeconds()));
    }
    try {
      ctx.contentType(PROBLEM_JSON).result(mapper.writeValueAsBytes(body));
    } catch (JsonProcessingException ex) {
      ctx.contentType(PROBLEM_JSON).result("{\"status\":" + e.status() + "}");
    }
  }

  private static String reason(final int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 413 -> "Content Too Large";
      case 415 -> "Unsupported Media Type";
      default -> "HTTP " + status;
    };
  }

  private void recordTiming(final Context ctx) {
    final Long t0 = ctx.attribute("rsk.t0");
    if (t0 == null) {
      return;
    }
    String route;
    try {
      route = ctx.endpointHandlerPath();
    } catch (RuntimeException e) {
      route = "unmatched";
    }
    Timer.builder("rsk.http.requests").description("HTTP requests of the rsk API")
        .tag("method", ctx.method().name()).tag("route", route == null ? "unmatched" : route)
        .tag("status", String.valueOf(ctx.statusCode()))
        .register(registry).record(System.nanoTime() - t0, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  private static byte[] loadOpenApi() {
    try (InputStream in = Objects.requireNonNull(ApiServer.class.getResourceAsStream("openapi.json"),
        "openapi.json resource")) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    app.stop();
    final Attached a = attached;
    if (a != null) {
      a.cluster().close();
    }
  }
}
