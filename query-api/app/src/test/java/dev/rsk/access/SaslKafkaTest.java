package dev.rsk.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.api.client.RskClient;
import dev.rsk.api.model.FrequencyResponse;
import dev.rsk.api.server.ServerConfig;
import dev.rsk.api.server.StatsServer;
import dev.rsk.avro.ModuleActivation;
import dev.rsk.avro.ModuleInput;
import dev.rsk.kafka.EmbeddedKafka;
import dev.rsk.processor.ProcessorConfig;
import dev.rsk.processor.ProcessorRunner;
import dev.rsk.registry.server.SchemaRegistryServer;
import dev.rsk.serde.AvroSerdes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 6: Kafka's SASL settings pass through rsk's {@code kafka.*} keys. The in-process broker gets
 * a second listener that takes {@code SASL_PLAINTEXT} with {@code PLAIN} (user {@code rsk}); the processor,
 * the aggregator and the API server's admin clients reach Kafka only through it. Inferences published over
 * SASL are sketched and counted exactly; a wrong password is refused by the broker.
 */
@Tag("long") // 72 s at load 16 here; not in CI: mvn verify -Prsk-long (docs/testing.md)
@Timeout(180)
class SaslKafkaTest {

  static final String USER = "rsk";
  static final String PASSWORD = "rsk-secret";
  static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");

  @TempDir Path dir;

  @Test
  void theProcessorAndTheServerWorkOverSaslPlain() throws Exception {
    final int plain = freePort();
    final int sasl = freePort();
    final int controller = freePort();
    final Map<String, String> broker = new HashMap<>();
    broker.put("listeners", "PLAINTEXT://127.0.0.1:" + plain + ",SASL://127.0.0.1:" + sasl
        + ",CONTROLLER://127.0.0.1:" + controller);
    broker.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + plain + ",SASL://127.0.0.1:" + sasl);
    broker.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,SASL:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT");
    broker.put("controller.quorum.voters", "1@127.0.0.1:" + controller);
    broker.put("sasl.enabled.mechanisms", "PLAIN");
    broker.put("listener.name.sasl.plain.sasl.jaas.config",
        "org.apache.kafka.common.security.plain.PlainLoginModule required user_" + USER + "=\"" + PASSWORD + "\";");
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), plain, broker);
        SchemaRegistryServer registry = SchemaRegistryServer.start(kafka.bootstrapServers(), 0)) {
      for (final String topic : List.of("activations", "sketches", "activations-dlq", "sketches-dlq")) {
        kafka.createTopic(topic, 2, Map.of());
      }
      final String saslServers = "127.0.0.1:" + sasl;
      final Map<String, String> client = client(saslServers, PASSWORD);

      assertThat(refused(client(saslServers, "wrong-password")))
          .as("the SASL listener refuses a wrong password").isTrue();

      final ProcessorConfig.Builder processor = ProcessorConfig.builder()
          .kafka("schema.registry.url", registry.url())
          .kafka("state.dir", dir.resolve("processor").toString())
          .kafka("commit.interval.ms", "200");
      client.forEach(processor::kafka);
      final Properties server = new Properties();
      client.forEach((k, v) -> server.put("kafka." + k, v));
      server.put("kafka.schema.registry.url", registry.url());
      server.put("kafka.state.dir", dir.resolve("stats").toString());
      server.put("kafka.commit.interval.ms", "200");
      server.put("rsk.http.port", "0");
      server.put("rsk.http.bind", "127.0.0.1");
      server.put("rsk.http.advertised.host", "127.0.0.1");

      try (ProcessorRunner runner = ProcessorRunner.start(processor.build(), new SimpleMeterRegistry());
          StatsServer stats = StatsServer.start(new ServerConfig(server))) {
        assertThat(runner.awaitReady(Duration.ofSeconds(90))).as("processor RUNNING over SASL").isTrue();
        final int n = 30;
        publish(client, registry.url(), n);
        final RskClient api = new RskClient(stats.url());
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
            .until(() -> api.frequency("scene", T0, T0.plus(Duration.ofDays(1)), null).inferences() == n);
        final FrequencyResponse cat = api.frequency("cat", T0, T0.plus(Duration.ofDays(1)), null);
        assertThat(cat.withModule()).isEqualTo(10);
        assertThat(cat.objects()).isEqualTo(10);
        assertThat(cat.stale()).isFalse();
      }
    }
  }

  private static Map<String, String> client(final String servers, final String password) {
    final Map<String, String> c = new HashMap<>();
    c.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, servers);
    c.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
    c.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
    c.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
        + USER + "\" password=\"" + password + "\";");
    return c;
  }

  private static boolean refused(final Map<String, String> config) throws Exception {
    final Map<String, Object> admin = new HashMap<>(config);
    admin.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    admin.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
    try (Admin a = Admin.create(admin)) {
      a.describeCluster().nodes().get(20, TimeUnit.SECONDS);
      return false;
    } catch (ExecutionException e) {
      return e.getCause() instanceof SaslAuthenticationException;
    }
  }

  /** {@code n} inferences: a scene root, with a cat under it in every third. */
  private static void publish(final Map<String, String> client, final String registryUrl, final int n) {
    final Map<String, Object> config = new HashMap<>(client);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    final Serializer<ModuleActivation> values = AvroSerdes.specific(ModuleActivation.class,
        Map.of("schema.registry.url", registryUrl), false).serializer();
    try (KafkaProducer<String, ModuleActivation> producer =
        new KafkaProducer<>(config, new StringSerializer(), values)) {
      for (int i = 0; i < n; i++) {
        final String id = "sasl-" + i;
        final boolean cat = i % 3 == 0;
        if (cat) {
          producer.send(record(id, id + "-cat", "cat", List.of(), false, i));
        }
        producer.send(record(id, id + "-root", "scene", cat ? List.of(id + "-cat") : List.of(), true, i));
      }
      producer.flush();
    }
  }

  private static ProducerRecord<String, ModuleActivation> record(final String id, final String objectId,
      final String module, final List<String> inputs, final boolean root, final int i) {
    final ModuleActivation a = ModuleActivation.newBuilder().setInferenceId(id).setObjectId(objectId)
        .setModule(module).setAttributes(List.of(0.5f, 1f))
        .setInputs(inputs.stream().map(o -> ModuleInput.newBuilder().setObjectId(o).setSlot(null).setWeight(1f)
            .build()).toList())
        .setRoot(root).setEventTime(T0.plusSeconds(60L * i)).setSource("sasl-test").build();
    return new ProducerRecord<>("activations", id, a);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
