package dev.rsk.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rsk.avro.ModuleActivation;
import dev.rsk.avro.ModuleInput;
import dev.rsk.serde.AvroSerdes;
import dev.rsk.serde.JavaProperties;
import dev.rsk.testing.KafkaExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Python publisher library (schemas/python/rsk_publisher) as a real process with Debian's
 * {@code /usr/bin/python3}: its events read back by our deserializer field for field, its clear and bounded
 * failures when Kafka or the registry is down, and its own unit tests. Skipped only when /usr/bin/python3
 * lacks confluent_kafka and avro (.ci/run installs them).
 */
class PythonPublisherTest {

  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

  private static final Path PROBE = PythonScript.inRepository("schemas/python/tests/publisher_probe.py");
  private static final Duration RUN_TIMEOUT = Duration.ofSeconds(120);
  /** The library's default bound when Kafka is down: 3 attempts of 5 s and 0.5 + 1 s of backoff, plus start-up. */
  private static final Duration BROKER_DOWN_BOUND = Duration.ofSeconds(40);

  @TempDir Path tmp;

  @BeforeAll
  static void pythonClientIsInstalled() throws Exception {
    assumeTrue(PythonScript.hasModules("confluent_kafka", "avro"),
        "/usr/bin/python3 with python3-confluent-kafka and python3-avro not installed (.ci/run installs them)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"legacy", "serializing"})
  void publishedInferencesAreReadFieldForFieldByOurDeserializer(final String backend) throws Exception {
    if ("serializing".equals(backend)) {
      assumeTrue(PythonScript.hasModules("confluent_kafka.schema_registry.avro", "fastavro"),
          "fastavro is not installed: the SerializingProducer backend is not available (Debian 12 ships no fastavro)");
    }
    final String topic = "py-publisher-" + backend;
    KAFKA.createTopic(topic, 2);
    final int schemaId = KAFKA.registryClient().register(topic + "-value",
        JavaProperties.strip(ModuleActivation.getClassSchema()));

    final PythonScript.Result run = PythonScript.run(tmp, RUN_TIMEOUT, PROBE.toString(), "--bootstrap",
        KAFKA.bootstrapServers(), "--registry", KAFKA.registryUrl(), "--topic", topic, "--backend", backend,
        "--count", "3").succeeded();
    final JsonNode summary = run.json().get(0);
    assertThat(summary.path("backend").asText()).isEqualTo(backend);
    assertThat(summary.path("schemaId").asInt()).isEqualTo(schemaId);
    assertThat(summary.path("events").asInt()).isEqualTo(12);

    final List<ConsumerRecord<String, ModuleActivation>> records = KAFKA.consume(topic, new StringDeserializer(),
        AvroSerdes.specific(ModuleActivation.class, KAFKA.serdeConfig(), false).deserializer(), 12,
        Duration.ofSeconds(60));
    final Map<String, ConsumerRecord<String, ModuleActivation>> byId = records.stream().collect(Collectors.toMap(
        r -> r.value().getInferenceId() + "/" + r.value().getObjectId(), Function.identity()));
    assertThat(byId).hasSize(12);
    for (int n = 0; n < 3; n++) {
      for (final ModuleActivation expected : expected(n)) {
        final ConsumerRecord<String, ModuleActivation> record = byId.get(expected.getInferenceId() + "/"
            + expected.getObjectId());
        assertThat(record).as("%s/%s", expected.getInferenceId(), expected.getObjectId()).isNotNull();
        assertThat(record.key()).isEqualTo(expected.getInferenceId());
        assertThat(record.value()).isEqualTo(expected);
      }
    }
  }

  /** The events publisher_probe.py's build(n) describes, stated here independently of the library. */
  private static List<ModuleActivation> expected(final int n) {
    final String id = "py-pub-" + n;
    final Instant time = Instant.ofEpochMilli(1_767_225_600_000L + n * 60_000L);
    final String source = "probe-été-" + n;
    final List<ModuleActivation> out = new ArrayList<>();
    out.add(activation(id, "eye-l", "eye", List.of(0.25f * n, -0.5f), List.of(), false, time, source));
    out.add(activation(id, "eye-r", "eye", List.of(0.75f, 1024f), List.of(), false, time, source));
    out.add(activation(id, "cat", "cat_detector", List.of(0.5f, -1.25f, 0.125f * n),
        List.of(input("eye-l", "left", 0.75f), input("eye-r", "right", 1f)), false, time, source));
    out.add(activation(id, "scene", "scene", List.of(1f), List.of(input("cat", null, 0.5f)), true, time, source));
    return out;
  }

  private static ModuleActivation activation(final String inference, final String object, final String module,
      final List<Float> attributes, final List<ModuleInput> inputs, final boolean root, final Instant time,
      final String source) {
    return ModuleActivation.newBuilder().setInferenceId(inference).setObjectId(object).setModule(module)
        .setAttributes(attributes).setInputs(inputs).setRoot(root).setEventTime(time).setSource(source).build();
  }

  private static ModuleInput input(final String object, final String slot, final float weight) {
    return ModuleInput.newBuilder().setObjectId(object).setSlot(slot).setWeight(weight).build();
  }

  @Test
  void kafkaDownFailsWithAClearExceptionWithinTheBound() throws Exception {
    final PythonScript.Result run = PythonScript.run(tmp, RUN_TIMEOUT, PROBE.toString(), "--bootstrap",
        "127.0.0.1:" + Ports.closed(), "--registry", registered("py-down"), "--topic", "py-down");
    assertThat(run.exitCode()).as("stderr: %s", run.stderr()).isEqualTo(1);
    assertThat(run.stderr()).contains("BrokerUnavailableError: Kafka at 127.0.0.1:")
        .contains("unreachable after 3 attempts");
    assertThat(run.elapsed()).isLessThan(BROKER_DOWN_BOUND);
    assertThat(run.stdout()).isEmpty();
  }

  @Test
  void registryDownFailsWithAClearExceptionWithinTheBound() throws Exception {
    final PythonScript.Result run = PythonScript.run(tmp, RUN_TIMEOUT, PROBE.toString(), "--bootstrap",
        KAFKA.bootstrapServers(), "--registry", "http://127.0.0.1:" + Ports.closed());
    assertThat(run.exitCode()).as("stderr: %s", run.stderr()).isEqualTo(1);
    assertThat(run.stderr()).contains("RegistryUnavailableError: schema registry http://127.0.0.1:")
        .contains("unreachable after 3 attempts");
    assertThat(run.elapsed()).isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void pythonUnitTestsPass() throws Exception {
    final Path root = PythonScript.inRepository("schemas/python");
    final PythonScript.Result run = PythonScript.run(tmp, RUN_TIMEOUT, "-m", "unittest", "discover", "-v",
        "-s", root.resolve("tests").toString(), "-t", root.toString()).succeeded();
    assertThat(run.stderr()).containsPattern("Ran [1-9][0-9]+ tests").contains("\nOK");
  }

  /** The registry URL, with the ModuleActivation schema registered under {@code <topic>-value}. */
  private static String registered(final String topic) {
    KAFKA.registryClient().register(topic + "-value", JavaProperties.strip(ModuleActivation.getClassSchema()));
    return KAFKA.registryUrl();
  }
}
