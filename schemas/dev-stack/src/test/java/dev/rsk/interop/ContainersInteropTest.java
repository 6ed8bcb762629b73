package dev.rsk.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.registry.HttpSchemaRegistryClient;
import dev.rsk.registry.SchemaRegistryException;
import dev.rsk.serde.AvroSerdes;
import dev.rsk.serde.JavaProperties;
import dev.rsk.registry.UnknownSchemaIdException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The same round trip against real images: Apache Kafka and Confluent's Schema Registry. Our registry client
 * and serdes talk to the real registry; the Python client checks both directions. Skipped without Docker.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainersInteropTest {

  static final String KAFKA_IMAGE = "apache/kafka:4.0.0";
  static final String REGISTRY_IMAGE = "confluentinc/cp-schema-registry:7.9.0";

  static final Network NETWORK = Network.newNetwork();

  @Container
  static final KafkaContainer KAFKA = new KafkaContainer(KAFKA_IMAGE)
      .withNetwork(NETWORK).withNetworkAliases("kafka").withListener("kafka:19092")
      .withStartupTimeout(Duration.ofMinutes(3));

  @Container
  static final GenericContainer<?> REGISTRY = new GenericContainer<>(REGISTRY_IMAGE)
      .withNetwork(NETWORK).dependsOn(KAFKA).withExposedPorts(8081)
      .withEnv("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
      .withEnv("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:8081")
      .withEnv("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://kafka:19092")
      .waitingFor(Wait.forHttp("/subjects").forStatusCode(200))
      .withStartupTimeout(Duration.ofMinutes(3));

  @TempDir Path tmp;

  @BeforeAll
  static void topics() throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic("tc-activations", 2, (short) 1),
          new NewTopic("tc-sketches", 2, (short) 1), new NewTopic("tc-java", 1, (short) 1)))
          .all().get(60, TimeUnit.SECONDS);
    }
  }

  private static String registryUrl() {
    return "http://" + REGISTRY.getHost() + ":" + REGISTRY.getMappedPort(8081);
  }

  @Test
  void ourClientAndSerdeAgainstConfluentSchemaRegistry() {
    final HttpSchemaRegistryClient client = HttpSchemaRegistryClient.forUrl(registryUrl());
    final Serde<InferenceSketch> serde = AvroSerdes.specific(InferenceSketch.class,
        Map.of("schema.registry.url", registryUrl()), false);
    final InferenceSketch sketch = RoundTrip.sketch("inf-x", 4, true);

    final byte[] bytes = serde.serializer().serialize("tc-java", sketch);
    final int id = client.latest("tc-java-value").id();

    assertThat(bytes[0]).isZero();
    assertThat(java.nio.ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
    assertThat(client.byId(id)).isEqualTo(JavaProperties.strip(InferenceSketch.getClassSchema()));
    assertThat(serde.deserializer().deserialize("tc-java", bytes)).isEqualTo(sketch);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.byId(987_654))
        .isInstanceOf(UnknownSchemaIdException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.latest("no-such-subject"))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40401));
  }

  @Test
  void pythonToJava() throws Exception {
    Assumptions.assumeTrue(PythonClient.available(), "Python confluent_kafka client not installed");
    new RoundTrip(KAFKA.getBootstrapServers(), registryUrl(), tmp).pythonToJava("tc-activations");
  }

  @Test
  void javaToPython() throws Exception {
    Assumptions.assumeTrue(PythonClient.available(), "Python confluent_kafka client not installed");
    new RoundTrip(KAFKA.getBootstrapServers(), registryUrl(), tmp).javaToPython("tc-sketches");
  }
}
