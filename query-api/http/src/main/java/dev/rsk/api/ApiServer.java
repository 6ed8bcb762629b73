package dev.rsk.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rsk.api.cluster.MetadataService;
import dev.rsk.api.cluster.ScatterGather;
import dev.rsk.api.internal.InternalApi;
import dev.rsk.api.internal.InternalClient;
import dev.rsk.api.internal.AnswerCache;
import dev.rsk.api.internal.LocalAnswers;
import dev.rsk.api.model.GatheredAnswer;
import dev.rsk.api.model.HealthResponse;
import dev.rsk.api.model.QueryRequest;
import dev.rsk.api.model.SimilarRequest;
import dev.rsk.stats.StatsConfig;
import dev.rsk.stats.concepts.ConceptQueries;
import dev.rsk.stats.query.LocalStatsQueries;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The HTTP API (Javalin): the public routes of system.md, the {@code /internal/v1} routes instances
 * gather through, {@code /health}, {@code /ready}, {@code /metrics} and {@code /openapi.json}.
 *
 * <p>Started before Kafka Streams (its port is the instance's {@code application.server}), then
 * {@link #attach attached} to the running streams. Until attached, queries answer 503 and
 * {@code /ready} is 503. Every error is {@code application/problem+json}; bad input never yields 500.
 *
 * <p>Access ({@link HttpSecurity}): with tokens set, {@code /v1} routes need a bearer token and
 * {@code /internal} routes the cluster secret (401 otherwise); {@code /health}, {@code /ready},
 * {@code /metrics} and {@code /openapi.json} stay open. With a keystore the port speaks HTTPS only.
 */
public final class ApiServer implements AutoCloseable {

  private final ApiLimits limits;
  private final HttpSecurity security;
  private final AccessControl access;
  private final PrometheusMeterRegistry registry;
  private final ObjectMapper mapper = Json.mapper();
  /** Public bodies are read strictly (unknown fields are 400s); the instances' own bodies are not, across versions. */
  private final JsonBodies bodies = new JsonBodies(Json.requests());
  private final HttpErrors errors;
  private final Params params;
  private final OpenApiDocument openApi;
  private final Javalin app;
  private volatile Attached attached;
  private volatile String advertised = "";

  private record Attached(KafkaStreams streams, QueryService service, LocalAnswers local,
      ScatterGather<InternalApi> cluster, ConceptService concepts, WholeAnswers whole) {}

  private ApiServer(final ApiLimits limits, final PrometheusMeterRegistry registry, final HttpSecurity security,
      final String bindHost, final int port) {
    this.limits = limits;
    this.security = security;
    this.access = new AccessControl(security);
    this.registry = registry;
    this.params = new Params(limits, System::currentTimeMillis);
    this.errors = new HttpErrors(mapper, limits.retryAfterSeconds(), this::streamsStopping);
    this.openApi = OpenApiDocument.load(mapper);
    this.app = Javalin.create(cfg -> {
      cfg.showJavalinBanner = false;
      cfg.startupWatcherEnabled = false;
      cfg.router.ignoreTrailingSlashes = true;
      cfg.http.prefer405over404 = true; // PUT /v1/modules: the route exists, the method does not
      cfg.http.maxRequestSize = 4_000_000L; // a d = 65536 float vector in JSON fits
      // Requests Jetty rejects before routing (bad URI, too long) also get problem+json.
      cfg.jetty.modifyServer(server -> server.setErrorHandler(new ProblemErrorHandler()));
      if (security.tls()) {
        cfg.jetty.addConnector((server, http) -> TlsConnector.create(server, http, security.keystore(), bindHost,
            port));
      }
      // The web console (docs/api.md): static files from the jar, open; its fetches carry the user's token.
      cfg.staticFiles.add(f -> {
        f.hostedPath = "/";
        f.directory = "/dev/rsk/api/console";
        f.location = io.javalin.http.staticfiles.Location.CLASSPATH;
      });
    });
    routes();
  }

  /** Starts the HTTP server on {@code bindHost:port} (0 = ephemeral). */
  public static ApiServer start(final String bindHost, final int port, final ApiLimits limits,
      final PrometheusMeterRegistry registry) {
    return start(bindHost, port, limits, registry, HttpSecurity.none());
  }

  /** Starts the HTTP (or, with a keystore, HTTPS) server on {@code bindHost:port} with {@code security}. */
  public static ApiServer start(final String bindHost, final int port, final ApiLimits limits,
      final PrometheusMeterRegistry registry, final HttpSecurity security) {
    final ApiServer server = new ApiServer(limits, registry, security, bindHost, port);
    if (security.tls()) {
      server.app.start(); // the TLS connector carries host and port
    } else {
      server.app.start(bindHost, port);
    }
    return server;
  }

  /** The bound port. */
  public int port() {
    return app.port();
  }

  /**
   * Connects the API to the streams of the stats topology; {@code self} must equal the streams'
   * {@code application.server}; {@code partitionCount} is the partition count of the sketches topic (below
   * 1 while unknown), which every answer over all keys must cover.
   */
  public void attach(final KafkaStreams streams, final StatsConfig stats, final HostInfo self,
      final IntSupplier partitionCount) {
    attach(streams, stats, self, partitionCount, null, "the instance was started without it");
  }

  /**
   * {@link #attach(KafkaStreams, StatsConfig, HostInfo, IntSupplier)} with concept detection: {@code concepts}
   * reads the topology's concept view, or is null when detection is off, {@code conceptsOff} saying why (the 501
   * of {@code /v1/concepts}).
   */
  public void attach(final KafkaStreams streams, final StatsConfig stats, final HostInfo self,
      final IntSupplier partitionCount, final ConceptQueries concepts, final String conceptsOff) {
    final AnswerCache cache = new AnswerCache(stats.changes(), limits.answerCacheBytes(),
        limits.answerMaxStaleness());
    final LocalAnswers local = new LocalAnswers(new LocalStatsQueries(streams, limits.storeWait(), stats,
        limits.itemsCacheBytes(), limits.monthsCacheBytes()), cache);
    final MetadataService metadata =
        new MetadataService(streams, self, stats.sketchesTopic(), partitionCount, limits.storeWait(),
            limits.retryAfterSeconds());
    final InternalClient client = new InternalClient(mapper, limits.remoteTimeout(),
        new InternalClient.Transport(security.scheme(), security.tls() ? security.clientSslContext() : null,
            security.clusterSecret()));
    final ScatterGather<InternalApi> cluster =
        new ScatterGather<>(metadata, host -> host.equals(self) ? local : client.at(host), limits);
    this.advertised = MetadataService.name(self);
    final QueryService service = new QueryService(cluster, limits, stats.statsBucket());
    this.attached = new Attached(streams, service, local, cluster,
        new ConceptService(concepts, conceptsOff, service.reader()),
        new WholeAnswers(cache, mapper, advertised, cluster::allLocal));
  }

  /** True once the attached streams left RUNNING/REBALANCING for good (stopping, stopped or failed). */
  private boolean streamsStopping() {
    final Attached a = attached;
    return a != null && switch (a.streams().state()) {
      case PENDING_SHUTDOWN, NOT_RUNNING, PENDING_ERROR, ERROR -> true;
      default -> false;
    };
  }

  /** Whole answers of frequency, hours and stats made rather than served from the answer cache (for tests). */
  long wholeAnswersMade() {
    return attached().whole().made();
  }

  private Attached attached() {
    final Attached a = attached;
    if (a == null) {
      throw ApiException.unavailable("the instance is starting", limits.retryAfterSeconds(), null);
    }
    return a;
  }

  private void routes() {
    RequestTimings.install(app, registry);
    app.before("/v1/*", access::checkClient);
    app.before("/internal/*", access::checkInstance);

    get("/v1/modules", ctx -> bodies.write(ctx, attached().service().modules()));
    get("/v1/modules/{module}/frequency", ctx -> {
      final Range range = params.range(ctx.queryParam("from"), ctx.queryParam("to"));
      final Duration bucket = params.bucket(ctx.queryParam("bucket"), range);
      final String module = ctx.pathParam("module");
      final Attached a = attached();
      whole(ctx, a, new WholeAnswers.Question("frequency", module, range.fromMs(), range.toMs(), bucket.toString()),
          () -> a.service().frequency(module, range, bucket));
    });
    get("/v1/modules/{module}/hours", ctx -> {
      final Range range = params.range(ctx.queryParam("from"), ctx.queryParam("to"));
      final ZoneId zone = Params.zone(ctx.queryParam("zone"));
      final String module = ctx.pathParam("module");
      final Attached a = attached();
      whole(ctx, a, new WholeAnswers.Question("hours", module, range.fromMs(), range.toMs(), zone.getId()),
          () -> a.service().hours(module, range, zone));
    });
    get("/v1/modules/{module}/stats", ctx -> {
      final Range range = params.range(ctx.queryParam("from"), ctx.queryParam("to"));
      final String module = ctx.pathParam("module");
      final Attached a = attached();
      whole(ctx, a, new WholeAnswers.Question("stats", module, range.fromMs(), range.toMs(), ""),
          () -> a.service().stats(module, range));
    });
    get("/v1/network", ctx -> bodies.write(ctx, attached().service().network()));
    get("/v1/inferences/{id}", ctx -> bodies.write(ctx, attached().service().inference(ctx.pathParam("id"))));
    get("/v1/inferences/{id}/related", ctx -> {
      final Integer k = ctx.queryParam("k") == null ? null
          : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, Params.longParam("k", ctx.queryParam("k"))));
      bodies.write(ctx, attached().service().related(ctx.pathParam("id"), k));
    });
    get("/v1/concepts", ctx -> {
      final String state = ConceptService.state(ctx.queryParam("state"));
      bodies.write(ctx, attached().concepts().concepts(state));
    });
    get("/v1/concepts/{id}", ctx -> bodies.write(ctx, attached().concepts().concept(ctx.pathParam("id"))));
    // Parameters and bodies are read before the instance's state, so bad input is a 400 even while it starts.
    post("/v1/query", ctx -> {
      final QueryRequest q = bodies.read(ctx, QueryRequest.class);
      final Range range = params.range(q.from(), q.to());
      final Duration bucket = params.bucket(q.bucket(), range);
      final ZoneId zone = Params.zone(q.zone());
      bodies.write(ctx, attached().service().query(q, range, bucket, zone));
    });
    post("/v1/similar", ctx -> {
      final SimilarRequest request = bodies.read(ctx, SimilarRequest.class);
      bodies.write(ctx, attached().service().similar(request));
    });

    InternalEndpoints.register(app, () -> attached().local(), new JsonBodies(mapper));

    get("/health", ctx -> {
      final Attached a = attached;
      bodies.write(ctx,
          new HealthResponse("UP", a == null ? "NOT_STARTED" : a.streams().state().name(), advertised));
    });
    get("/ready", ctx -> {
      final Attached a = attached;
      final boolean ready = a != null && a.streams().state() == KafkaStreams.State.RUNNING;
      ctx.status(ready ? 200 : 503);
      if (!ready) {
        ctx.header("Retry-After", String.valueOf(limits.retryAfterSeconds()));
      }
      bodies.write(ctx, new HealthResponse(ready ? "READY" : "NOT_READY",
          a == null ? "NOT_STARTED" : a.streams().state().name(), advertised));
    });
    get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape()));
    get("/openapi.json", ctx -> ctx.contentType(JsonBodies.JSON).result(openApi.bytes()));

    errors.install(app);
  }

  /**
   * Answers {@code question} as JSON, the whole answer kept when this instance alone holds every partition. The bytes
   * are written to the response stream (Javalin's, so its compression still applies): a {@code result} would be
   * copied through a new 32 KB buffer per request, a tenth of the server's allocation at 200 requests/s.
   */
  private static void whole(final Context ctx, final Attached a, final WholeAnswers.Question question,
      final Supplier<? extends GatheredAnswer> answer) {
    final byte[] body = a.whole().json(question, answer);
    ctx.contentType(JsonBodies.JSON);
    try {
      ctx.outputStream().write(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void get(final String path, final Handler handler) {
    app.get(path, declared("GET", path, handler));
  }

  private void post(final String path, final Handler handler) {
    app.post(path, declared("POST", path, handler));
  }

  /** A {@code /v1} route's handler behind the check of its query parameters against openapi.json. */
  private Handler declared(final String method, final String path, final Handler handler) {
    if (!path.startsWith("/v1/")) {
      return handler;
    }
    final List<String> accepted = openApi.queryParameters(method, path);
    final String operation = OpenApiDocument.operation(method, path);
    return ctx -> {
      Params.onlyDeclared(operation, ctx.queryParamMap(), accepted);
      handler.handle(ctx);
    };
  }

  @Override
  public void close() {
    app.stop();
    final Attached a = attached;
    if (a != null) {
      a.cluster().close();
      a.local().close();
    }
  }
}
