package dev.rsk.bench.stats;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The request side of {@link ApiBenchmark}: single requests one after the other, and a paced open-loop client
 * (each request sent at its scheduled time whatever the previous ones are doing; latency counted from that
 * time, so a stalled server cannot hide queueing). No state; the caller owns the {@link HttpClient}.
 */
final class PacedClient {

  /** Requests sent one after the other per route for the single-request latency. */
  static final int SERIAL = 20;

  private PacedClient() {}

  /**
   * One request after the other ({@value #SERIAL}): the single-request latency, and a check that the route
   * answers 200.
   */
  static void serial(final HttpClient http, final String name, final String url, final PrintStream out)
      throws Exception {
    final HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build();
    final double[] ms = new double[SERIAL];
    HttpResponse<String> last = null;
    for (int i = 0; i < ms.length; i++) {
      final long t = System.nanoTime();
      last = http.send(request, HttpResponse.BodyHandlers.ofString());
      ms[i] = (System.nanoTime() - t) / 1e6;
    }
    Arrays.sort(ms);
    out.printf(Locale.ROOT, "[%s] single requests: median %.1f ms, status %d, %d bytes%s%n", name, ms[ms.length / 2],
        last.statusCode(), last.body().length(), last.statusCode() == 200 ? ""
            : ": " + last.body().substring(0, Math.min(300, last.body().length())));
  }

  /** Sends {@code rate}/s for {@code seconds}, open loop; adds latencies (ms from the scheduled time). */
  static void paced(final HttpClient http, final String url, final int rate, final int seconds,
      final List<Double> latencies, final AtomicInteger errors) throws Exception {
    final HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build();
    final int n = rate * seconds;
    final long periodNs = 1_000_000_000L / rate;
    final long start = System.nanoTime();
    final List<CompletableFuture<Void>> all = new ArrayList<>(n);
    final double[] done = new double[n];
    for (int i = 0; i < n; i++) {
      final long due = start + i * periodNs;
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        TimeUnit.NANOSECONDS.sleep(Math.min(wait, 1_000_000));
      }
      final int index = i;
      all.add(http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((resp, err) -> {
        done[index] = (System.nanoTime() - due) / 1e6;
        if (err != null || resp.statusCode() != 200) {
          errors.incrementAndGet();
        }
        return null;
      }));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    for (final double d : done) {
      latencies.add(d);
    }
  }

  /** The 1-minute load average of the machine. */
  static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** The {@code q} quantile of {@code sorted} (nearest rank), NaN when empty. */
  static double pct(final double[] sorted, final double q) {
    return sorted.length == 0 ? Double.NaN
        : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }
}
