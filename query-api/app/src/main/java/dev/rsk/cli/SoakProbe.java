package dev.rsk.cli;

import dev.rsk.api.client.RskClient;
import dev.rsk.api.model.ModuleInfo;
import dev.rsk.sim.RoomModel;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@code rsk soak} reads from a running {@code rsk standalone} child, from outside: its resident memory
 * ({@code /proc/<pid>/status}, Linux only), heap and RocksDB cache from its {@code /metrics}, the bytes under its
 * data directory, and the inferences its API counts. Each read is bounded (10 s per HTTP call).
 */
final class SoakProbe {

  /**
   * One sample; -1 where a value could not be read (printed as "?"). {@code heapLiveBytes}: the heap in use right
   * after a full collection the probe requested ({@link #collect}): what the heap keeps. G1's own figures do not
   * say it: its old generation holds garbage until a marking cycle and mixed collections reclaim it, so Micrometer's
   * {@code jvm.gc.live.data.size} saws between cycles (session 12's runs: 71 to 709 MB while a full collection
   * found about 120 MB live).
   */
  record Sample(double seconds, long published, long queryable, long rssBytes, long heapBytes,
      long heapCommittedBytes, long heapLiveBytes, long rocksDbBytes, long diskBytes) {}

  private static final String HEAP_USED = "jvm_memory_used_bytes{area=\"heap\"";

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

  /**
   * Reads the child as it runs (RSS, heap in use and committed, RocksDB, disk, queryable), then asks it for a full
   * collection and reads the heap in use again: its live heap.
   */
  Sample sample(final double seconds, final long published) {
    final String metrics = metrics();
    final long rss = rss();
    final long live = collect() ? sum(metrics(), HEAP_USED) : -1;
    return new Sample(seconds, published, queryable(), rss, sum(metrics, HEAP_USED),
        sum(metrics, "jvm_memory_committed_bytes{area=\"heap\""), live,
        sum(metrics, "rsk_rocksdb_memory_used_bytes"), disk());
  }

  /**
   * A full collection in the child ({@code jcmd <pid> GC.run}, i.e. {@code System.gc()}: with G1 a stop-the-world
   * full collection, a pause of well under a second for this heap); false if {@code jcmd} is missing, fails or takes
   * over 60 s.
   */
  boolean collect() {
    try {
      final Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
          Long.toString(pid), "GC.run").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      if (!jcmd.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
        jcmd.destroyForcibly();
        return false;
      }
      return jcmd.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
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

  /**
   * Bytes the data dir occupies on disk ({@code du -s -B1}: allocated blocks, not apparent sizes; Kafka
   * preallocates its index files sparsely, 10 MB each, which an apparent size would count in full); -1 if
   * {@code du} fails or takes over 60 s.
   */
  long disk() {
    try {
      final Process du = new ProcessBuilder("du", "-s", "-B1", dataDir.toString())
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      final String out = new String(du.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (!du.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
        du.destroyForcibly();
        return -1;
      }
      // du exits 1 when a file vanished during the walk (a segment or an SST deleted): the total still stands
      return Long.parseLong(out.trim().split("\\s+")[0]);
    } catch (IOException | NumberFormatException | ArrayIndexOutOfBoundsException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

}
