package dev.rsk.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ports {@code rsk soak} reads from the banner of a {@code rsk standalone} child started on ports 0, from
 * lines written here as docs/foundation.md shows them.
 */
class StandaloneChildTest {

  private static List<String> banner(final int kafka, final int registry, final int http) {
    return List.of(
        "rsk standalone is up",
        "  bootstrap.servers   127.0.0.1:" + kafka,
        "  schema.registry.url http://127.0.0.1:" + registry,
        "  topics              activations, sketches, activations-dlq, sketches-dlq (4 partitions each)",
        "  schemas             activations-value (ModuleActivation), sketches-value (InferenceSketch)",
        "  data                /tmp/soak-1/data",
        "Press Ctrl-C to stop.",
        "  query API           http://localhost:" + http + "  (docs/api.md, http://localhost:" + http
            + "/openapi.json)",
        "  console             http://localhost:" + http + "/",
        "rsk standalone: ready (processor and API running) 9.8 s after start");
  }

  @Test
  void readsTheThreePortsOfTheBanner() {
    assertThat(StandaloneChild.ports(banner(40123, 35001, 44555)))
        .isEqualTo(new StandaloneChild.Ports(40123, 35001, 44555));
  }

  @Test
  void aReusedOutputFileGivesTheLastRunsPorts() {
    final List<String> lines = new java.util.ArrayList<>(banner(40123, 35001, 44555));
    lines.add("rsk standalone: stopping...");
    lines.add("rsk standalone: stopped.");
    lines.addAll(banner(41000, 36002, 45003));
    assertThat(StandaloneChild.ports(lines)).isEqualTo(new StandaloneChild.Ports(41000, 36002, 45003));
  }

  @Test
  void aMissingLineOrPortIsAnErrorNamingIt() {
    final List<String> noApi = banner(40123, 35001, 44555).stream()
        .filter(l -> !l.startsWith("  query API")).toList();
    assertThatThrownBy(() -> StandaloneChild.ports(noApi)).isInstanceOf(IllegalStateException.class)
        .hasMessage("rsk standalone printed no \"query API\" line");
    assertThatThrownBy(() -> StandaloneChild.ports(banner(0, 35001, 44555))).isInstanceOf(IllegalStateException.class)
        .hasMessage("rsk standalone printed no port in \"bootstrap.servers   127.0.0.1:0\"");
    final List<String> noPort = banner(40123, 35001, 44555).stream()
        .map(l -> l.startsWith("  schema.registry.url") ? "  schema.registry.url http://127.0.0.1" : l).toList();
    assertThatThrownBy(() -> StandaloneChild.ports(noPort)).isInstanceOf(IllegalStateException.class)
        .hasMessage("rsk standalone printed no port in \"schema.registry.url http://127.0.0.1\"");
    assertThatThrownBy(() -> StandaloneChild.ports(banner(40123, 35001, 70000)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("query API");
  }
}
