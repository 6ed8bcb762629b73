package dev.rsk.api.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.registry.InMemorySchemaRegistryClient;
import dev.rsk.serde.AvroSerdes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

/**
 * A start that fails part-way leaves nothing behind: the registry closed, the JVM GC binder's listeners removed
 * (else every later collection still records into the dead instance's registry, which it keeps reachable), the
 * HTTP port free. No broker: both failures come before the first connection.
 */
class StatsServerFailedStartTest {

  private static final String LOOPBACK = "127.0.0.1";
  @SuppressWarnings("unused")
  private static volatile byte[] garbage;
  private static final Serde<InferenceSketch> SKETCHES =
      AvroSerdes.specific(InferenceSketch.class, new InMemorySchemaRegistryClient(), false);

  /** The HTTP port is taken: the registry and the GC binder exist, the API server does not. */
  @Test
  void aStartWhoseHttpPortIsTakenClosesTheRegistryAndTheGcBinder() throws Exception {
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      assertThatThrownBy(() -> StatsServer.start(config(taken.getLocalPort(), "localhost:9092"), SKETCHES,
          null, registry)).isInstanceOf(RuntimeException.class);
    }
    assertThat(registry.isClosed()).isTrue();
    assertNoGcRecordedAfterwards(registry);
  }

  /** Kafka Streams' configuration is refused: the API server and the RocksDB memory exist by then too. */
  @Test
  void aStartWhoseStreamsConfigurationIsRefusedClosesEverythingItMade() throws Exception {
    final int port = freePort();
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    assertThatThrownBy(() -> StatsServer.start(config(port, ""), SKETCHES, null, registry))
        .hasMessageContaining("bootstrap.servers");
    assertThat(registry.isClosed()).isTrue();
    try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getByName(LOOPBACK))) {
      assertThat(again.getLocalPort()).as("the API server released its port").isEqualTo(port);
    }
    assertNoGcRecordedAfterwards(registry);
  }

  private static ServerConfig config(final int httpPort, final String bootstrap) {
    final Properties p = new Properties();
    p.put("kafka.bootstrap.servers", bootstrap);
    p.put("rsk.http.port", Integer.toString(httpPort));
    p.put("rsk.http.bind", LOOPBACK);
    p.put("rsk.http.advertised.host", LOOPBACK);
    p.put(ServerConfig.CONCEPTS_ENABLED, "false");
    return new ServerConfig(p);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      return s.getLocalPort();
    }
  }

  /**
   * Collects garbage until a GC binder of our own has recorded a pause, then checks that the failed instance's
   * registry recorded nothing of it: its binder's listener, were it still registered, hears the same notifications
   * (a closed registry's new pause timers are no-ops, but the allocation counter bound before it closed still
   * counts).
   */
  private static void assertNoGcRecordedAfterwards(final MeterRegistry failed) throws InterruptedException {
    final List<Double> before = gcReadings(failed);
    final SimpleMeterRegistry control = new SimpleMeterRegistry();
    try (JvmGcMetrics witness = new JvmGcMetrics()) {
      witness.bindTo(control);
      final long deadline = System.nanoTime() + 20_000_000_000L;
      while (gcReadings(control).get(0) == 0 && System.nanoTime() < deadline) {
        garbage = new byte[1 << 20]; // something allocated since the last collection, for the counter
        System.gc();
        Thread.sleep(50);
      }
      assertThat(gcReadings(control).get(0)).as("the witness heard a collection").isPositive();
      Thread.sleep(200); // the other listeners of the same notifications
    }
    assertThat(gcReadings(failed)).as("pauses and allocated bytes recorded by the failed instance")
        .isEqualTo(before);
  }

  private static List<Double> gcReadings(final MeterRegistry registry) {
    return List.of(registry.find("jvm.gc.pause").timers().stream().mapToDouble(Timer::count).sum(),
        registry.find("jvm.gc.memory.allocated").counters().stream().mapToDouble(Counter::count).sum());
  }
}
