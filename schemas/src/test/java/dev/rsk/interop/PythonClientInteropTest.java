package dev.rsk.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rsk.avro.InferenceSketch;
import dev.rsk.avro.ModuleActivation;
import dev.rsk.avro.ModuleInput;
import dev.rsk.avro.SketchParams;
import dev.rsk.serde.AvroSerdes;
import dev.rsk.testing.KafkaExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Confluent Python client (Debian's python3-confluent-kafka, legacy {@code avro.AvroProducer} and
 * {@code AvroConsumer}) against our broker, registry and serdes, in both directions. Skipped only when
 * {@code /usr/bin/python3} lacks the modules (CI installs them).
 */
class PythonClientInteropTest {

  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final Path SCRIPT = Path.of("src/test/python/avro_interop.py");
  private static final Path ACTIVATION_AVSC = Path.of("src/main/avro/ModuleActivation.avsc");
  private static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(120);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @BeforeAll
  static void pythonClientIsInstalled() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(PYTHON), "no /usr/bin/python3");
    final Process probe = new ProcessBuilder(PYTHON.toString(), "-c", "import confluent_kafka, avro, requests")
        .redirectErrorStream(true).start();
    Assumptions.assumeTrue(probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0,
        "python3-confluent-kafka / python3-avro / python3-requests not installed");
  }

  @Test
  void pythonAvroProducerRecordsReadFieldForFieldByOurDeserializer() throws Exception {
    final String topic = "py-activations";
    KAFKA.createTopic(topic, 2);
    final List<JsonNode> out = runScript("produce", "--topic", topic, "--schema", ACTIVATION_AVSC.toString(),
        "--count", "6");
    final List<JsonNode> sent = out.subList(0, out.size() - 1);
    final int pythonSchemaId = out.get(out.size() - 1).path("schemaId").asInt();
    assertThat(sent).hasSize(6);

    final Serde<ModuleActivation> serde = AvroSerdes.specific(ModuleActivation.class, KAFKA.serdeConfig(), false);
    final Map<String, ConsumerRecord<String, ModuleActivation>> byObject = new HashMap<>();
    KAFKA.consume(topic, new StringDeserializer(), serde.deserializer(), 6, Duration.ofSeconds(60))
        .forEach(r -> byObject.put(r.value().getObjectId(), r));

    for (final JsonNode expected : sent) {
      final ConsumerRecord<String, ModuleActivation> record = byObject.get(expected.path("objectId").asText());
      assertThat(record).as("record %s", expected).isNotNull();
      final ModuleActivation a = record.value();
      assertThat(record.key()).isEqualTo(expected.path("inferenceId").asText());
      assertThat(a.getInferenceId()).isEqualTo(expected.path("inferenceId").asText());
      assertThat(a.getModule()).isEqualTo(expected.path("module").asText());
      assertThat(a.getAttributes()).containsExactlyElementsOf(floats(expected.path("attributes")));
      assertThat(a.getInputs()).hasSize(expected.path("inputs").size());
      for (int i = 0; i < a.getInputs().size(); i++) {
        final ModuleInput in = a.getInputs().get(i);
        final JsonNode e = expected.path("inputs").get(i);
        assertThat(in.getObjectId()).isEqualTo(e.path("objectId").asText());
        assertThat(in.getSlot()).isEqualTo(e.path("slot").isNull() ? null : e.path("slot").asText());
        assertThat(in.getWeight()).isEqualTo((float) e.path("weight").asDouble());
      }
      assertThat(a.getRoot()).isEqualTo(expected.path("root").asBoolean());
      assertThat(a.getEventTime()).isEqualTo(Instant.ofEpochMilli(expected.path("eventTime").asLong()));
      assertThat(a.getSource()).isEqualTo(expected.path("source").asText()).contains("été");
    }
    // Our serializer registers the same .avsc schema: it must get Python's id, not a new version.
    serde.serializer().serialize(topic, byObject.values().iterator().next().value());
    assertThat(KAFKA.registryClient().latest(topic + "-value").id()).isEqualTo(pythonSchemaId);
    assertThat(KAFKA.registryClient().latest(topic + "-value").version()).isEqualTo(1);
  }

  @Test
  void ourSerializerRecordsReadByPythonAvroConsumer() throws Exception {
    final String topic = "py-sketches";
    KAFKA.createTopic(topic, 2);
    final List<InferenceSketch> sketches = List.of(sketch("inf-a", 1, true), sketch("inf-b", 2, false),
        sketch("inf-c", 3, true));
    final Serde<InferenceSketch> serde = AvroSerdes.specific(InferenceSketch.class, KAFKA.serdeConfig(), false);
    try (KafkaProducer<String, InferenceSketch> producer =
        new KafkaProducer<>(KAFKA.producerProps(), new StringSerializer(), serde.serializer())) {
      for (final InferenceSketch s : sketches) {
        producer.send(new ProducerRecord<>(topic, s.getInferenceId(), s)).get(30, TimeUnit.SECONDS);
      }
    }

    final List<JsonNode> read = runScript("consume", "--topic", topic, "--count", "3", "--timeout", "60");

    assertThat(read).hasSize(3);
    final Map<String, JsonNode> byId = new HashMap<>();
    read.forEach(n -> byId.put(n.path("key").asText(), n.path("value")));
    for (final InferenceSketch s : sketches) {
      final JsonNode v = byId.get(s.getInferenceId());
      assertThat(v).as("python read %s", s.getInferenceId()).isNotNull();
      assertThat(v.path("inferenceId").asText()).isEqualTo(s.getInferenceId());
      assertThat(v.path("source").asText()).isEqualTo(s.getSource());
      assertThat(v.path("eventTime").asLong()).isEqualTo(s.getEventTime().toEpochMilli());
      assertThat(v.path("params").path("d").asInt()).isEqualTo(s.getParams().getD());
      assertThat(v.path("params").path("seed").asLong()).isEqualTo(s.getParams().getSeed());
      assertThat(v.path("params").path("alpha").asDouble()).isEqualTo(s.getParams().getAlpha());
      assertThat(v.path("params").path("beta").asDouble()).isEqualTo(s.getParams().getBeta());
      assertThat(v.path("params").path("schemeVersion").asInt()).isEqualTo(s.getParams().getSchemeVersion());
      assertThat(floats(v.path("vector"))).containsExactlyElementsOf(s.getVector());
      assertThat(v.path("objectCount").asInt()).isEqualTo(s.getObjectCount());
      assertThat(v.path("complete").asBoolean()).isEqualTo(s.getComplete());
      assertThat(v.path("missingInputs").asInt()).isEqualTo(s.getMissingInputs());
      assertThat(JSON.convertValue(v.path("moduleCounts"), Map.class)).isEqualTo(s.getModuleCounts());
      assertThat(JSON.convertValue(v.path("attributeLengths"), Map.class)).isEqualTo(s.getAttributeLengths());
      assertThat(v.path("sketchedAt").asLong()).isEqualTo(s.getSketchedAt().toEpochMilli());
    }
  }

  private static InferenceSketch sketch(final String id, final int n, final boolean complete) {
    final List<Float> vector = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      vector.add((float) Math.sin(n * 7 + i) / 3f);
    }
    return InferenceSketch.newBuilder().setInferenceId(id).setSource("cam-" + n)
        .setEventTime(Instant.ofEpochMilli(1_735_689_600_000L + n))
        .setParams(SketchParams.newBuilder().setD(16).setSeed(-42L * n).setAlpha(0.5).setBeta(0.5).setSchemeVersion(1).build())
        .setVector(vector).setObjectCount(n * 2).setComplete(complete).setMissingInputs(complete ? 0 : n)
        .setModuleCounts(Map.of("cat_detector", n, "eye", 2 * n)).setAttributeLengths(Map.of("cat_detector", 4, "eye", 2))
        .setSketchedAt(Instant.ofEpochMilli(1_735_689_700_000L)).build();
  }

  /** Floats as Python printed them: doubles that Java narrows back to the same float32. */
  private static List<Float> floats(final JsonNode array) {
    final List<Float> out = new ArrayList<>();
    array.forEach(n -> out.add((float) n.asDouble()));
    return out;
  }

  private List<JsonNode> runScript(final String mode, final String... args) throws IOException, InterruptedException {
    final List<String> command = new ArrayList<>(List.of(PYTHON.toString(), SCRIPT.toString(), mode,
        "--bootstrap", KAFKA.bootstrapServers(), "--registry", KAFKA.registryUrl()));
    command.addAll(List.of(args));
    final Path stdout = tmp.resolve(mode + ".out");
    final Path stderr = tmp.resolve(mode + ".err");
    final Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
        .start();
    try {
      assertThat(process.waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
          .as("python %s finished within %s", mode, PROCESS_TIMEOUT).isTrue();
    } finally {
      process.destroyForcibly();
    }
    assertThat(process.exitValue()).as("python %s exit code; stderr:%n%s", mode, Files.readString(stderr)).isZero();
    final List<JsonNode> lines = new ArrayList<>();
    for (final String line : Files.readAllLines(stdout)) {
      if (!line.isBlank()) {
        lines.add(JSON.readTree(line));
      }
    }
    return lines;
  }
}
