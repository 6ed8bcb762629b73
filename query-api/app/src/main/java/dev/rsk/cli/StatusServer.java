package dev.rsk.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A tiny HTTP endpoint for a headless role (the processor): {@code GET /ready} answers 200 only while
 * the role is ready (Kafka Streams RUNNING) and 503 otherwise, {@code /health} 200 while the process
 * lives, {@code /metrics} the Prometheus text format. One daemon thread; no other routes (404).
 */
final class StatusServer implements AutoCloseable {
  private final HttpServer server;

  private StatusServer(final HttpServer server) {
    this.server = server;
  }

  static StatusServer start(final int port, final BooleanSupplier ready, final Supplier<String> metrics) {
    try {
      final HttpServer server = HttpServer.create(new InetSocketAddress(port), 16);
      server.createContext("/ready", ex -> reply(ex, ready.getAsBoolean() ? 200 : 503,
          ready.getAsBoolean() ? "RUNNING\n" : "NOT READY\n", "text/plain"));
      server.createContext("/health", ex -> reply(ex, 200, "UP\n", "text/plain"));
      server.createContext("/metrics", ex -> reply(ex, 200, metrics.get(), "text/plain; version=0.0.4"));
      server.createContext("/", ex -> reply(ex, 404, "not found\n", "text/plain"));
      server.setExecutor(Executors.newSingleThreadExecutor(r -> {
        final Thread t = new Thread(r, "rsk-status-http");
        t.setDaemon(true);
        return t;
      }));
      server.start();
      return new StatusServer(server);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve status on port " + port, e);
    }
  }

  int port() {
    return server.getAddress().getPort();
  }

  private static void reply(final HttpExchange ex, final int status, final String body, final String type)
      throws IOException {
    final String path = ex.getRequestURI().getPath();
    final int code = ex.getHttpContext().getPath().equals("/") && !path.equals("/") ? 404 : status;
    final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
