package dev.rsk.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rsk.api.cluster.ClusterException;
import dev.rsk.stats.query.StoreUnavailableException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where exceptions become HTTP answers, all {@code application/problem+json} (RFC 9457):
 * {@link ApiException} as it is; {@link ClusterException} by kind (UNAVAILABLE 503 with Retry-After and,
 * for a failed gather, {@code instances} and {@code missingPartitions}; NOT_FOUND 404; REMOTE_ERROR 502);
 * {@link StoreUnavailableException} 503 with Retry-After; Javalin's own errors with their status; an
 * {@link IllegalStateException} while Kafka Streams is stopping or stopped ({@code KafkaStreams is not running},
 * from a store or metadata read that raced the shutdown) 503 with Retry-After; anything else 500 without a stack
 * trace (logged). Unknown routes are 404, wrong methods 405 with {@code Allow}.
 */
final class HttpErrors {

  private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);
  static final String PROBLEM_JSON = "application/problem+json";

  private final ObjectMapper mapper;
  private final int retryAfterSeconds;
  private final BooleanSupplier streamsStopping;

  /**
   * @param retryAfterSeconds the Retry-After of a 503 for a store this instance cannot query yet
   * @param streamsStopping true while this instance's Kafka Streams is stopping or stopped (not RUNNING,
   *     REBALANCING or not yet started)
   */
  HttpErrors(final ObjectMapper mapper, final int retryAfterSeconds, final BooleanSupplier streamsStopping) {
    this.mapper = mapper;
    this.retryAfterSeconds = retryAfterSeconds;
    this.streamsStopping = streamsStopping;
  }

  /** The problem answered for a failure of the cluster layer. */
  static ApiException problem(final ClusterException e) {
    return switch (e.kind()) {
      case UNAVAILABLE -> ApiException.unavailable(e.getMessage(), e.retryAfterSeconds(), gatherExtensions(e));
      case NOT_FOUND -> ApiException.notFound(e.getMessage());
      case REMOTE_ERROR -> new ApiException(502, "Bad Gateway", e.getMessage(), null, null);
    };
  }

  /** Who answered and which partitions are missing, when a gather failed; else none. */
  private static Map<String, Object> gatherExtensions(final ClusterException e) {
    if (e.missingPartitions().isEmpty()) {
      return null;
    }
    final Map<String, Object> ext = new LinkedHashMap<>();
    ext.put("instances", e.instances());
    ext.put("missingPartitions", e.missingPartitions());
    return ext;
  }

  /** Registers the exception and error handlers on {@code app}. */
  void install(final Javalin app) {
    app.exception(ApiException.class, (e, ctx) -> write(ctx, e));
    app.exception(ClusterException.class, (e, ctx) -> write(ctx, problem(e)));
    app.exception(StoreUnavailableException.class, (e, ctx) -> write(ctx,
        ApiException.unavailable(e.getMessage(), retryAfterSeconds, null)));
    app.exception(HttpResponseException.class, (e, ctx) -> {
      if (e.getStatus() == 405) {
        methodNotAllowed(ctx, e.getDetails());
        return;
      }
      write(ctx, new ApiException(e.getStatus(), reason(e.getStatus()), e.getMessage(), null, null));
    });
    app.exception(Exception.class, (e, ctx) -> {
      if (e instanceof IllegalStateException && streamsStopping.getAsBoolean()) {
        write(ctx, ApiException.unavailable("the instance is stopping (" + e.getMessage() + "); retry on another"
            + " instance or shortly", retryAfterSeconds, null));
        return;
      }
      LOG.error("internal error on {} {}", ctx.method(), ctx.path(), e);
      write(ctx, new ApiException(500, "Internal Server Error", "internal error: " + e.getClass().getSimpleName(),
          null, null));
    });
    app.error(404, ctx -> {
      if (!isProblem(ctx)) {
        write(ctx, ApiException.notFound("no route " + ctx.method() + " " + ctx.path()));
      }
    });
    app.error(405, ctx -> {
      if (!isProblem(ctx)) {
        methodNotAllowed(ctx, Map.of());
      }
    });
  }

  /**
   * A method the route does not take (Javalin lists the route's methods in the details, under a key that depends on
   * the request's Accept header): 405 with the {@code Allow} header RFC 9110 requires, the methods also in the detail;
   * without details (a handler that set 405 itself), the detail alone.
   */
  private void methodNotAllowed(final Context ctx, final Map<String, String> details) {
    final String allowed = details.getOrDefault("availableMethods", details.get("Available methods"));
    if (allowed != null) {
      ctx.header("Allow", allowed);
    }
    write(ctx, new ApiException(405, "Method Not Allowed", "method " + ctx.method() + " not allowed on " + ctx.path()
        + (allowed == null ? "" : "; allowed: " + allowed), null, null));
  }

  private static boolean isProblem(final Context ctx) {
    final String type = ctx.res().getContentType();
    return type != null && type.startsWith(PROBLEM_JSON);
  }

  private void write(final Context ctx, final ApiException e) {
    final Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "about:blank");
    body.put("title", e.title());
    body.put("status", e.status());
    body.put("detail", e.getMessage());
    body.put("instance", ctx.path());
    body.putAll(e.extensions());
    ctx.status(e.status());
    if (e.status() == 401 && ctx.path().startsWith("/v1")) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"rsk\"");
    }
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
      case 401 -> "Unauthorized";
      case 413 -> "Content Too Large";
      case 415 -> "Unsupported Media Type";
      default -> "HTTP " + status;
    };
  }
}
