package dev.rsk.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rsk.processor.ProcessorRunner;
import dev.rsk.sketch.ObjectDag;
import dev.rsk.sketch.RecursiveSketcher;
import dev.rsk.sketch.SketchInput;
import dev.rsk.sketch.SketchObject;
import dev.rsk.sketch.SketchSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance path: the standalone stack with its processor turns events published by the
 * Python Confluent client into sketches that Python's AvroConsumer reads, equal to the engine's.
 */
@Timeout(300)
class StandaloneProcessorTest {
  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final Path SCRIPT = Path.of("../schemas/src/test/python/avro_interop.py");
  private static final Path AVSC = Path.of("../schemas/src/main/avro/ModuleActivation.avsc");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dataDir;

  @Test
  void pythonEventsBecomeSketchesThatPythonReads() throws Exception {
    assumeTrue(pythonAvailable(), "/usr/bin/python3 with confluent_kafka, avro and requests (CI installs them)");
    try (StandaloneStack stack = StandaloneStack.start(StandaloneOptions.ephemeral(dataDir))) {
      final ProcessorRunner runner = StandaloneProcessor.attach(stack, new SimpleMeterRegistry());
      assertThat(runner.isReady()).isTrue();
      final List<JsonNode> sent = python(stack, "produce", "--topic", "activations", "--schema",
          AVSC.toString(), "--count", "9");
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
    final List<String> command = new ArrayList<>(List.of(PYTHON.toString(), SCRIPT.toString(), mode,
        "--bootstrap", stack.bootstrapServers(), "--registry", stack.registryUrl()));
    command.addAll(List.of(args));
    final Path out = Files.createTempFile(dataDir, mode, ".out");
    final Path err = Files.createTempFile(dataDir, mode, ".err");
    final Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try {
      assertThat(p.waitFor(Duration.ofSeconds(150).toSeconds(), TimeUnit.SECONDS)).as("python %s finished", mode)
          .isTrue();
    } finally {
      p.destroyForcibly();
    }
    assertThat(p.exitValue()).as("python %s; stderr:%n%s", mode, Files.readString(err)).isZero();
    final List<JsonNode> lines = new ArrayList<>();
    for (final String line : Files.readAllLines(out)) {
      if (!line.isBlank()) {
        lines.add(JSON.readTree(line));
      }
    }
    return lines;
  }

  private static boolean pythonAvailable() throws IOException, InterruptedException {
    if (!Files.isExecutable(PYTHON) || !Files.exists(SCRIPT)) {
      return false;
    }
    final Process probe = new ProcessBuilder(PYTHON.toString(), "-c", "import confluent_kafka, avro, requests")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    final boolean done = probe.waitFor(60, TimeUnit.SECONDS);
    probe.destroyForcibly();
    return done && probe.exitValue() == 0;
  }
}
