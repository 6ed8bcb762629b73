package dev.rsk.cli;

import dev.rsk.api.client.RskClient;
import dev.rsk.api.model.ModuleInfo;
import dev.rsk.sim.RoomModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * What {@code rsk soak} reads from a running {@code rsk standalone} child, from outside: its resident memory
 * ({@code /proc/<pid>/status}, Linux only), heap and RocksDB cache from its {@code /metrics}, the bytes under its
 * data directory, and the inferences its API counts. Each read is bounded (10 s per HTTP call).
 */
final class SoakProbe {

  /** One sample; -1 where a value could not be read (printed as "?"). */
  record Sample(double seconds, long published, long queryable, long rssBytes, long heapBytes, long rocksDbBytes,
      long diskBytes) {}

  private final long pid;
  private final String api;
  private final Path dataDir;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final RskClient client;

  SoakProbe(final long pid, final String api, final Path dataDir) {
    this.pid = pid;
    this.api = api;
    this.dataDir = dataDir;
    this.client = new RskClient(api, Duration.ofSeconds(10));
  }

  Sample sample(final double seconds, final long published) {
    final String metrics = metrics();
    return new Sample(seconds, published, queryable(), rss(), sum(metrics, "jvm_memory_used_bytes{area=\"heap\""),
        sum(metrics, "rsk_rocksdb_memory_used_bytes"), disk());
  }

  /** Resident set size of the child, from {@code VmRSS} in kB. */
  long rss() {
    try {
      for (final String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  private String metrics() {
    try {
      final HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(api + "/metrics"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /** The sum of the Prometheus series whose line starts with {@code prefix}; -1 if there is none. */
  static long sum(final String metrics, final String prefix) {
    double total = 0;
    boolean found = false;
    for (final String line : metrics.split("\n")) {
      if (line.startsWith(prefix)) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        found = true;
      }
    }
    return found ? Math.round(total) : -1;
  }

  /** Inferences the API counts: every simulated inference has one scene root. */
  private long queryable() {
    try {
      return client.modules().modules().stream().filter(m -> m.module().equals(RoomModel.SCENE))
          .mapToLong(ModuleInfo::inferences).findFirst().orElse(0);
    } catch (RuntimeException e) {
      return -1;
    }
  }

  /** Bytes of the regular files under the data dir (files that vanish while walked, e.g. compacted, skipped). */
  long disk() {
    for (int attempt = 0; attempt < 3; attempt++) {
      try (Stream<Path> files = Files.walk(dataDir)) {
        return files.mapToLong(SoakProbe::size).sum();
      } catch (IOException | UncheckedIOException e) {
        // a directory removed during the walk (a segment or an SST deleted): walk again
      }
    }
    return -1;
  }

  private static long size(final Path p) {
    try {
      return Files.isRegularFile(p) ? Files.size(p) : 0;
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
