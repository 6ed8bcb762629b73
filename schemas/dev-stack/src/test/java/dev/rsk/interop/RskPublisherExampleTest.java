package dev.rsk.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.avro.ModuleActivation;
import dev.rsk.contract.RskPublisherExample;
import dev.rsk.serde.AvroSerdes;
import dev.rsk.testing.KafkaExtension;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * "A JVM program publishes with only the contract artifact on its classpath": {@link RskPublisherExample} runs
 * in a child JVM whose classpath is rsk-contract, the engine and the contract's own dependencies (Avro, Jackson,
 * kafka-clients and its compression codecs, slf4j-api), taken from this test's classpath: no broker, no Kafka
 * server, no Streams, no HTTP server, no dev stack.
 */
class RskPublisherExampleTest {

  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

  /** The contract's runtime closure: its two rsk artifacts and the Maven coordinates of its dependencies. */
  private static final Pattern CONTRACT_CLOSURE = Pattern.compile(
      ".*/(schemas/contract/target/classes|sketch-processor/sketch-engine/target/classes"
      + "|rsk-contract-[^/]*(?<!-tests)\\.jar|rsk-sketch-engine-[^/]*(?<!-tests)\\.jar"
      + "|org/apache/avro/avro/[^/]+/[^/]+\\.jar|com/fasterxml/jackson/core/[^/]+/[^/]+/[^/]+\\.jar"
      + "|org/apache/kafka/kafka-clients/[^/]+/kafka-clients-[^/]+(?<!-test)\\.jar"
      + "|com/github/luben/zstd-jni/.*|org/lz4/.*|at/yawk/lz4/.*|org/xerial/snappy/.*"
      + "|org/apache/commons/commons-compress/.*|commons-io/commons-io/.*|org/slf4j/slf4j-api/.*)");
  private static final Pattern FORBIDDEN = Pattern.compile(
      ".*(kafka_2\\.13|kafka-server|kafka-metadata|kafka-raft|kafka-streams|javalin|jetty|dev-stack).*");

  @TempDir Path tmp;

  @Test
  void theExamplePublishesWithOnlyTheContractOnItsClasspath() throws Exception {
    KAFKA.createTopic("java-example", 2);
    final List<String> classpath = contractClasspath();
    assertThat(classpath).noneMatch(e -> FORBIDDEN.matcher(e).matches())
        .anyMatch(e -> e.contains("contract")).anyMatch(e -> e.contains("kafka-clients"));

    final Path out = tmp.resolve("example.out");
    final Path err = tmp.resolve("example.err");
    final Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", String.join(File.pathSeparator, classpath), RskPublisherExample.class.getName(),
        "--bootstrap", KAFKA.bootstrapServers(), "--registry", KAFKA.registryUrl(), "--count", "2",
        "--topic", "java-example").redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try {
      assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("example finished").isTrue();
    } finally {
      process.destroyForcibly();
    }
    assertThat(process.exitValue()).as("exit code; stderr:%n%s", Files.readString(err)).isZero();
    assertThat(Files.readAllLines(out)).containsExactly("example-0", "example-1", "published 2");

    final List<ConsumerRecord<String, ModuleActivation>> records = KAFKA.consume("java-example",
        new StringDeserializer(), AvroSerdes.specific(ModuleActivation.class, KAFKA.serdeConfig(), false)
            .deserializer(), 8, java.time.Duration.ofSeconds(60));
    assertThat(records).hasSize(8);
    assertThat(records).filteredOn(r -> r.value().getRoot())
        .extracting(r -> r.key() + "/" + r.value().getObjectId() + "/" + r.value().getModule())
        .containsExactlyInAnyOrder("example-0/scene/scene", "example-1/scene/scene");
    assertThat(records).filteredOn(r -> r.value().getObjectId().equals("cat") && r.key().equals("example-1"))
        .singleElement().satisfies(r -> {
          assertThat(r.value().getAttributes()).containsExactly(0.5f, 0.125f, 1f);
          assertThat(r.value().getInputs()).extracting(i -> i.getObjectId() + ":" + i.getSlot() + ":" + i.getWeight())
              .containsExactly("eye-l:left:0.75", "eye-r:right:1.0");
          assertThat(r.value().getSource()).isEqualTo("java-example");
          assertThat(r.value().getEventTime()).isEqualTo(java.time.Instant.parse("2026-01-01T00:01:00Z"));
        });
  }

  /** The entries of this JVM's classpath that belong to the contract's runtime closure. */
  private static List<String> contractClasspath() {
    final String full = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    final List<String> kept = new ArrayList<>();
    for (final String entry : full.split(File.pathSeparator)) {
      if (CONTRACT_CLOSURE.matcher(entry.replace(File.separatorChar, '/')).matches()) {
        kept.add(entry);
      }
    }
    return kept;
  }
}
