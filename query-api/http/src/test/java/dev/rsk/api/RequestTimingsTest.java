package dev.rsk.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Every request is timed once, by method, the route that matched (or "unmatched") and status, over real HTTP. */
class RequestTimingsTest {

  @Test
  void eachRequestIsTimedByMethodRouteAndStatus() throws Exception {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final Javalin app = Javalin.create(cfg -> {
      cfg.showJavalinBanner = false;
      cfg.startupWatcherEnabled = false;
    });
    RequestTimings.install(app, registry);
    app.get("/v1/things/{id}", ctx -> {
      Thread.sleep(50);
      ctx.result("ok");
    });
    app.post("/v1/things", ctx -> ctx.status(400));
    app.start("127.0.0.1", 0);
    final long t0 = System.nanoTime();
    try {
      final HttpClient http = HttpClient.newHttpClient();
      final String base = "http://127.0.0.1:" + app.port();
      for (final String id : new String[] {"a", "b"}) {
        http.send(HttpRequest.newBuilder(URI.create(base + "/v1/things/" + id)).build(),
            HttpResponse.BodyHandlers.ofString());
      }
      http.send(HttpRequest.newBuilder(URI.create(base + "/v1/things")).POST(HttpRequest.BodyPublishers.noBody())
          .build(), HttpResponse.BodyHandlers.ofString());
      http.send(HttpRequest.newBuilder(URI.create(base + "/nowhere")).build(), HttpResponse.BodyHandlers.ofString());
    } finally {
      app.stop();
    }
    final double wallMs = (System.nanoTime() - t0) / 1e6;
    final Timer got = timer(registry, "GET", "/v1/things/{id}", "200");
    assertThat(got.count()).isEqualTo(2);
    // Each slept 50 ms inside the timed span, and no request lasted longer than the whole run.
    assertThat(got.totalTime(TimeUnit.MILLISECONDS)).isBetween(100.0, wallMs);
    assertThat(timer(registry, "POST", "/v1/things", "400").count()).isEqualTo(1);
    assertThat(registry.find("rsk.http.requests").tag("status", "404").timer().count()).isEqualTo(1);
    assertThat(registry.find("rsk.http.requests").timers()).hasSize(3);
  }

  private static Timer timer(final SimpleMeterRegistry registry, final String method, final String route,
      final String status) {
    return registry.get("rsk.http.requests").tag("method", method).tag("route", route).tag("status", status).timer();
  }
}
