package dev.rsk.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rsk.api.client.RskClient;
import dev.rsk.api.client.RskClientException;
import dev.rsk.api.model.ModuleInfo;
import dev.rsk.api.model.ModulesResponse;
import dev.rsk.api.model.SimilarResponse;
import dev.rsk.api.server.StatsServer;
import dev.rsk.interop.PythonScript;
import dev.rsk.standalone.StandaloneApi;
import dev.rsk.standalone.StandaloneOptions;
import dev.rsk.standalone.StandaloneProcessor;
import dev.rsk.standalone.StandaloneStack;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real PyTorch model publishing into the standalone stack: schemas/python/examples/torch_publish.py trains
 * its small CNN on synthetic circles, squares and stripes, publishes 60 forward passes through
 * rsk_publisher's hooks, and the API then lists the hooked stages and finds circles most similar to circles.
 * Skipped only when /usr/bin/python3 lacks torch or confluent_kafka (.ci/run installs python3-torch).
 */
@Timeout(300)
class TorchPublishTest {

  private static final int COUNT = 60;
  private static final List<String> MODULES = List.of("shapes.stage1", "shapes.stage2", "shapes.stage3",
      "shapes.output");
  private static final int K = 5;

  @TempDir Path dataDir;

  @Test
  void forwardPassesAppearInTheApiAndCirclesAreSimilarToCircles() throws Exception {
    assumeTrue(PythonScript.hasModules("torch", "confluent_kafka", "avro"),
        "/usr/bin/python3 with python3-torch, python3-confluent-kafka and python3-avro not installed "
            + "(.ci/run installs them)");
    try (StandaloneStack stack = StandaloneStack.start(StandaloneOptions.ephemeral(dataDir))) {
      StandaloneProcessor.attach(stack, new SimpleMeterRegistry());
      final StatsServer api = StandaloneApi.attach(stack);
      final PythonScript.Result run = PythonScript.run(dataDir, Duration.ofSeconds(180),
          PythonScript.inRepository("schemas/python/examples/torch_publish.py").toString(),
          "--bootstrap", stack.bootstrapServers(), "--registry", stack.registryUrl(), "--count",
          String.valueOf(COUNT), "--id-prefix", "t-").succeeded();
      final Map<String, String> labels = new HashMap<>();
      for (final JsonNode line : run.json()) {
        if (line.has("label")) {
          labels.put(line.get("inferenceId").asText(), line.get("label").asText());
        }
      }
      assertThat(labels).hasSize(COUNT);

      final RskClient client = new RskClient(api.url());
      final ModulesResponse modules = Awaitility.await().atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500)).ignoreException(RskClientException.class)
          .until(client::modules, m -> MODULES.stream().allMatch(name -> inferences(m, name) == COUNT));
      assertThat(modules.modules()).extracting(ModuleInfo::module).containsAll(MODULES);
      assertThat(modules.modules()).filteredOn(m -> m.module().startsWith("shapes.stage"))
          .extracting(ModuleInfo::attributeLength).containsOnly(8);

      final List<String> circles = labels.entrySet().stream().filter(e -> e.getValue().equals("circle"))
          .map(Map.Entry::getKey).sorted().limit(8).toList();
      int circlesFound = 0;
      for (final String circle : circles) {
        final SimilarResponse similar = client.similarTo(circle, K);
        final List<String> found = similar.results().stream().map(m -> labels.get(m.inferenceId())).toList();
        assertThat(found).as("top %d of %s", K, circle).hasSize(K);
        final long sameClass = found.stream().filter("circle"::equals).count();
        assertThat(sameClass).as("circles among the top %d of %s: %s; training (python stderr):%n%s", K, circle,
            found, run.stderr()).isGreaterThan(K / 2);
        circlesFound += (int) sameClass;
      }
      assertThat(circlesFound).as("circles among all top-%d lists", K)
          .isGreaterThanOrEqualTo((int) Math.ceil(0.8 * K * circles.size()));
    }
  }

  private static long inferences(final ModulesResponse response, final String module) {
    final Map<String, Long> byModule = response.modules().stream()
        .collect(Collectors.toMap(ModuleInfo::module, ModuleInfo::inferences));
    return byModule.getOrDefault(module, 0L);
  }
}
