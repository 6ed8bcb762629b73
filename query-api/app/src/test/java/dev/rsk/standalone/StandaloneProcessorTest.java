package dev.rsk.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rsk.interop.PythonClient;
import dev.rsk.processor.ProcessorRunner;
import dev.rsk.sketch.ObjectDag;
import dev.rsk.sketch.RecursiveSketcher;
import dev.rsk.sketch.SketchInput;
import dev.rsk.sketch.SketchObject;
import dev.rsk.sketch.SketchSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance path: the standalone stack with its processor turns events published by the
 * Python Confluent client into sketches that Python's AvroConsumer reads, equal to the engine's.
 */
@Timeout(300)
class StandaloneProcessorTest {

  @TempDir Path dataDir;

  @Test
  void pythonEventsBecomeSketchesThatPythonReads() throws Exception {
    assumeTrue(PythonClient.available(), "/usr/bin/python3 with confluent_kafka, avro and requests (CI installs them)");
    try (StandaloneStack stack = StandaloneStack.start(StandaloneOptions.ephemeral(dataDir))) {
      final ProcessorRunner runner = StandaloneProcessor.attach(stack, new SimpleMeterRegistry());
      assertThat(runner.isReady()).isTrue();
      final List<JsonNode> sent = python(stack, "produce", "--topic", "activations", "--schema",
          PythonClient.ACTIVATION_AVSC.toString(), "--count", "9");
      final List<JsonNode> read = python(stack, "consume", "--topic", "sketches", "--count", "3", "--group",
          "py-sketches", "--timeout", "90");

      final Map<String, List<SketchObject>> objects = new HashMap<>();
      final Map<String, String> roots = new HashMap<>();
      for (final JsonNode a : sent) {
        if (!a.has("inferenceId")) {
          continue; // the final {"schemaId": ...} line
        }
        final float[] x = new float[a.get("attributes").size()];
        for (int i = 0; i < x.length; i++) {
          x[i] = (float) a.get("attributes").get(i).asDouble();
        }
        final List<SketchInput> inputs = new ArrayList<>();
        for (final JsonNode in : a.get("inputs")) {
          inputs.add(new SketchInput(in.get("objectId").asText(),
              in.get("slot").isNull() ? null : in.get("slot").asText(), (float) in.get("weight").asDouble()));
        }
        final String inference = a.get("inferenceId").asText();
        objects.computeIfAbsent(inference, k -> new ArrayList<>())
            .add(new SketchObject(a.get("objectId").asText(), a.get("module").asText(), x, inputs));
        if (a.get("root").asBoolean()) {
          roots.put(inference, a.get("objectId").asText());
        }
      }
      assertThat(read).hasSize(3);
      final RecursiveSketcher engine = new RecursiveSketcher(SketchSpec.defaults());
      for (final JsonNode r : read) {
        final String id = r.get("key").asText();
        final JsonNode v = r.get("value");
        assertThat(v.get("inferenceId").asText()).isEqualTo(id);
        assertThat(v.get("complete").asBoolean()).isTrue();
        assertThat(v.get("objectCount").asInt()).isEqualTo(3);
        assertThat(v.get("params").get("d").asInt()).isEqualTo(SketchSpec.DEFAULT_D);
        final float[] expected = engine.sketch(ObjectDag.of(objects.get(id), roots.get(id))).vector();
        final float[] actual = new float[v.get("vector").size()];
        for (int i = 0; i < actual.length; i++) {
          actual[i] = (float) v.get("vector").get(i).asDouble();
        }
        assertThat(actual).as("sketch of %s read by Python", id).containsExactly(expected);
      }
    }
  }

  private List<JsonNode> python(final StandaloneStack stack, final String mode, final String... args)
      throws IOException, InterruptedException {
    return PythonClient.run(dataDir, stack.bootstrapServers(), stack.registryUrl(), mode, args);
  }
}
