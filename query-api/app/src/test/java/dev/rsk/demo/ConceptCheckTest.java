package dev.rsk.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.rsk.api.client.RskClient;
import dev.rsk.sim.GroundTruth;
import dev.rsk.sim.Plant;
import dev.rsk.sim.RoomSimulator;
import dev.rsk.sim.SimulationConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The concept answer over real HTTP: an API that fails is reported as its error, not as "no concept". */
class ConceptCheckTest {

  private HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private volatile int status;
  private volatile String body;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/concepts", exchange -> {
      requests.incrementAndGet();
      final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type",
          status == 200 ? "application/json" : "application/problem+json");
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private ConceptCheck check() {
    final SimulationConfig config = SimulationConfig.defaults().withDays(12).withIntervalMinutes(60)
        .withPlant(new Plant(Plant.PARTY, 10, 20, 24));
    final GroundTruth truth = new GroundTruth(config, true);
    new RoomSimulator(config).forEachRemaining(truth::add);
    final RskClient client = new RskClient("http://127.0.0.1:" + server.getAddress().getPort(),
        Duration.ofSeconds(5));
    return new ConceptCheck(client, truth, Duration.ZERO);
  }

  @Test
  void anApiThatKeepsFailingIsReportedAsItsErrorNotAsNoConcept() {
    status = 503;
    body = "{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,"
        + "\"detail\":\"state is migrating\"}";
    final Check c = check().check();
    assertThat(c.passed()).isFalse();
    assertThat(c.answer()).startsWith("API error: HTTP 503").contains("state is migrating");
    assertThat(requests.get()).isEqualTo(1);
  }

  @Test
  void anEmptyAnswerAfterTheWaitIsNoConcept() {
    status = 200;
    body = "{\"state\":null,\"concepts\":[]}";
    final Check c = check().check();
    assertThat(c.passed()).isFalse();
    assertThat(c.answer()).isEqualTo("no concept");
    assertThat(c.truth()).startsWith("party planted from day 10");
  }
}
