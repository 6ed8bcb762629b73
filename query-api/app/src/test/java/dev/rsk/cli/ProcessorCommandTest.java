package dev.rsk.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.avro.ModuleActivation;
import dev.rsk.processor.testing.ActivationDag;
import dev.rsk.serde.AvroSerdes;
import dev.rsk.testing.KafkaExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code rsk processor --config F} against a real broker and registry: readiness, sketches, metrics, stop. */
@Timeout(180)
class ProcessorCommandTest {
  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

  @TempDir Path dir;

  @Test
  void runsFromAPropertiesFileReportsReadinessWritesSketchesAndStopsCleanly() throws Exception {
    KAFKA.createTopic("cmd-activations", 2);
    KAFKA.createTopic("cmd-sketches", 2);
    KAFKA.createTopic("cmd-dlq", 1);
    final Path ready = dir.resolve("ready");
    final Path config = dir.resolve("processor.properties");
    Files.writeString(config, String.join("\n",
        "kafka.bootstrap.servers=" + KAFKA.bootstrapServers(),
        "kafka.schema.registry.url=" + KAFKA.registryUrl(),
        "kafka.application.id=cmd-test",
        "kafka.state.dir=" + dir.resolve("state"),
        "kafka.commit.interval.ms=100",
        "kafka.consumer.auto.offset.reset=earliest",
        "rsk.topic.activations=cmd-activations",
        "rsk.topic.sketches=cmd-sketches",
        "rsk.topic.dlq=cmd-dlq",
        "rsk.sketch.d=64",
        "rsk.ready.file=" + ready,
        ""));
    final ProcessorCommand command = new ProcessorCommand();
    final CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() ->
        new CommandLine(command).execute("--config", config.toString(), "--http-port", "0"));
    await().atMost(Duration.ofSeconds(90)).until(() -> Files.exists(ready) || exit.isDone());
    assertThat(exit).isNotDone();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final String base = "http://localhost:" + command.status.port();
    assertThat(get(http, base + "/ready").statusCode()).isEqualTo(200);

    final ActivationDag dag = ActivationDag.builder("cmd-1")
        .root("r", "scene", new float[] {1f, 2f}, "c").object("c", "cat", new float[] {3f}).build();
    try (KafkaProducer<String, ModuleActivation> producer = new KafkaProducer<>(KAFKA.producerProps(),
        new StringSerializer(), AvroSerdes.specific(ModuleActivation.class, KAFKA.serdeConfig(), false).serializer())) {
      for (final ModuleActivation a : dag.activations()) {
        producer.send(new ProducerRecord<>("cmd-activations", a.getInferenceId(), a));
      }
    }
    final List<ConsumerRecord<String, InferenceSketch>> sketches = KAFKA.consume("cmd-sketches",
        new StringDeserializer(), AvroSerdes.specific(InferenceSketch.class, KAFKA.serdeConfig(), false).deserializer(),
        1, Duration.ofSeconds(60));
    assertThat(sketches.get(0).value().getComplete()).isTrue();
    assertThat(sketches.get(0).value().getVector()).hasSize(64);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(get(http, base + "/metrics").body())
        .contains("rsk_processor_sketches_out_total{complete=\"true\"} 1.0")
        .contains("rsk_processor_events_in_total 2.0"));

    command.stopRequested.countDown();
    assertThat(exit.get()).isZero();
    assertThat(ready).doesNotExist();
  }

  @Test
  void aBadConfigurationExitsWithCode2() throws Exception {
    final Path config = dir.resolve("bad.properties");
    Files.writeString(config, "rsk.gap.ms=soon\n");
    assertThat(new CommandLine(new ProcessorCommand()).execute("--config", config.toString())).isEqualTo(2);
    assertThat(new CommandLine(new ProcessorCommand()).execute("--config", dir.resolve("missing").toString()))
        .isEqualTo(2);
  }

  private static HttpResponse<String> get(final HttpClient http, final String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
