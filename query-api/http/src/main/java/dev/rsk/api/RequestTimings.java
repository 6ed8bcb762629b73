package dev.rsk.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/** The {@code rsk.http.requests} timer: every request's time by method, matched route ("unmatched") and status. */
final class RequestTimings {

  private static final String START = "rsk.t0";

  private RequestTimings() {}

  static void install(final Javalin app, final MeterRegistry registry) {
    app.before(ctx -> ctx.attribute(START, System.nanoTime()));
    app.after(ctx -> record(ctx, registry));
  }

  private static void record(final Context ctx, final MeterRegistry registry) {
    final Long t0 = ctx.attribute(START);
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
        .register(registry).record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
  }
}
