package dev.rsk.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rsk.avro.InferenceSketch;
import dev.rsk.avro.ModuleActivation;
import dev.rsk.avro.ModuleInput;
import dev.rsk.avro.SketchParams;
import dev.rsk.registry.HttpSchemaRegistryClient;
import dev.rsk.serde.AvroSerdes;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The interoperability round trip, against any Kafka and Confluent-compatible registry: Python's legacy
 * AvroProducer writes ModuleActivations that our deserializer reads field for field; our serializer writes
 * InferenceSketches that Python's AvroConsumer reads field for field. Topics must exist beforehand.
 */
final class RoundTrip {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String bootstrap;
  private final String registryUrl;
  private final Path workDir;

  RoundTrip(final String bootstrap, final String registryUrl, final Path workDir) {
    this.bootstrap = bootstrap;
    this.registryUrl = registryUrl;
    this.workDir = workDir;
  }

  void pythonToJava(final String topic) throws Exception {
    final List<JsonNode> out = PythonClient.run(workDir, bootstrap, registryUrl, "produce", "--topic", topic,
        "--schema", PythonClient.ACTIVATION_AVSC.toString(), "--count", "6");
    final List<JsonNode> sent = out.subList(0, out.size() - 1);
    final int pythonSchemaId = out.get(out.size() - 1).path("schemaId").asInt();
    assertThat(sent).hasSize(6);

    final Serde<ModuleActivation> serde = AvroSerdes.specific(ModuleActivation.class,
        Map.of("schema.registry.url", registryUrl), false);
    final Map<String, ConsumerRecord<String, ModuleActivation>> byObject = new HashMap<>();
    try (KafkaConsumer<String, ModuleActivation> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG, "java-" + topic,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), serde.deserializer())) {
      consumer.subscribe(List.of(topic));
      final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (byObject.size() < sent.size() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> byObject.put(r.value().getObjectId(), r));
      }
    }
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
    final HttpSchemaRegistryClient registry = HttpSchemaRegistryClient.forUrl(registryUrl);
    assertThat(registry.latest(topic + "-value").id()).isEqualTo(pythonSchemaId);
    assertThat(registry.latest(topic + "-value").version()).isEqualTo(1);
  }

  void javaToPython(final String topic) throws Exception {
    final List<InferenceSketch> sketches = List.of(sketch("inf-a", 1, true), sketch("inf-b", 2, false),
        sketch("inf-c", 3, true));
    final Serde<InferenceSketch> serde = AvroSerdes.specific(InferenceSketch.class,
        Map.of("schema.registry.url", registryUrl), false);
    try (KafkaProducer<String, InferenceSketch> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
        new StringSerializer(), serde.serializer())) {
      for (final InferenceSketch s : sketches) {
        producer.send(new ProducerRecord<>(topic, s.getInferenceId(), s)).get(30, TimeUnit.SECONDS);
      }
    }

    final List<JsonNode> read = PythonClient.run(workDir, bootstrap, registryUrl, "consume", "--topic", topic,
        "--count", "3", "--timeout", "60", "--group", "python-" + topic);

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
      assertThat(JSON.convertValue(v.path("attributeSums"), Map.class)).isEqualTo(s.getAttributeSums());
      assertThat(JSON.convertValue(v.path("attributeSquares"), Map.class)).isEqualTo(s.getAttributeSquares());
    }
  }

  static InferenceSketch sketch(final String id, final int n, final boolean complete) {
    final List<Float> vector = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      vector.add((float) Math.sin(n * 7 + i) / 3f);
    }
    return InferenceSketch.newBuilder().setInferenceId(id).setSource("cam-" + n)
        .setEventTime(Instant.ofEpochMilli(1_735_689_600_000L + n))
        .setParams(SketchParams.newBuilder().setD(16).setSeed(-42L * n).setAlpha(0.5).setBeta(0.5)
            .setSchemeVersion(1).build())
        .setVector(vector).setObjectCount(n * 2).setComplete(complete).setMissingInputs(complete ? 0 : n)
        .setModuleCounts(Map.of("cat_detector", n, "eye", 2 * n))
        .setAttributeLengths(Map.of("cat_detector", 4, "eye", 2))
        .setSketchedAt(Instant.ofEpochMilli(1_735_689_700_000L))
        .setAttributeSums(Map.of("cat_detector", List.of(0.25 * n, -1.5 * n, 0.0, 3.0), "eye", List.of(n * 0.5, 1.0)))
        .setAttributeSquares(Map.of("cat_detector", List.of(0.0625 * n, 2.25 * n, 0.0, 9.0), "eye", List.of(0.25, 1.0)))
        .build();
  }

  /** Floats as Python printed them: doubles that Java narrows back to the same float32. */
  private static List<Float> floats(final JsonNode array) {
    final List<Float> out = new ArrayList<>();
    array.forEach(n -> out.add((float) n.asDouble()));
    return out;
  }
}
