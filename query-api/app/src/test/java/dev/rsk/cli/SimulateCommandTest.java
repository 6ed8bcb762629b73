package dev.rsk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rsk.avro.ModuleActivation;
import dev.rsk.serde.AvroSerdes;
import dev.rsk.testing.KafkaExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimulateCommandTest {

  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

  @Test
  void publishesThroughTheRegistryAndWritesTheTruth(@TempDir final Path dir) throws Exception {
    KAFKA.createTopic("cam", 2);
    final Path truthFile = dir.resolve("truth.json");
    final int code = new CommandLine(new Rsk()).execute("simulate", "--bootstrap", KAFKA.bootstrapServers(),
        "--registry", KAFKA.registryUrl(), "--topic", "cam", "--days", "1", "--interval-minutes", "30",
        "--seed", "3", "--truth", truthFile.toString());
    assertThat(code).isZero();

    final JsonNode truth = new ObjectMapper().readTree(truthFile.toFile());
    assertThat(truth.get("inferences").asInt()).isEqualTo(48);
    assertThat(truth.get("generator").get("seed").asLong()).isEqualTo(3);
    final int events = truth.get("events").asInt();
    // A reader that knows nothing but the registry URL decodes every event.
    assertThat(KAFKA.registryClient().latest("cam-value").schema())
        .isEqualTo(dev.rsk.serde.JavaProperties.strip(ModuleActivation.getClassSchema()));
    final List<ConsumerRecord<String, ModuleActivation>> records;
    try (Serde<ModuleActivation> serde = AvroSerdes.specific(ModuleActivation.class, KAFKA.serdeConfig(), false)) {
      records = KAFKA.consume("cam", new StringDeserializer(), serde.deserializer(), events, Duration.ofSeconds(60));
    }
    assertThat(records).hasSize(events);
    assertThat(records.stream().filter(r -> r.value().getRoot()).count()).isEqualTo(48);
  }

  @Test
  void anUnreachableRegistryFailsWithAClearMessage() {
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final PrintStream saved = System.err;
    final int code;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      code = new CommandLine(new Rsk()).execute("simulate", "--bootstrap", KAFKA.bootstrapServers(),
          "--registry", "http://127.0.0.1:9", "--topic", "never", "--days", "1", "-X", "max.retries=0");
    } finally {
      System.setErr(saved);
    }
    assertThat(code).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("rsk simulate: publishing to 'never' failed")
        .contains("127.0.0.1:9");
  }
}
