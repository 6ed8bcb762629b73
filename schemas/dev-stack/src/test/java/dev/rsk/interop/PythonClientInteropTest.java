package dev.rsk.interop;

import dev.rsk.testing.KafkaExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Confluent Python client (Debian's python3-confluent-kafka, legacy {@code avro.AvroProducer} and
 * {@code AvroConsumer}) against our in-process broker, registry and serdes, in both directions. Skipped only
 * when {@code /usr/bin/python3} lacks the modules (CI installs them).
 */
class PythonClientInteropTest {

  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

  @TempDir Path tmp;

  @BeforeAll
  static void pythonClientIsInstalled() throws Exception {
    Assumptions.assumeTrue(PythonClient.available(),
        "/usr/bin/python3 with python3-confluent-kafka, python3-avro, python3-requests not installed");
  }

  @Test
  void pythonAvroProducerRecordsReadFieldForFieldByOurDeserializer() throws Exception {
    KAFKA.createTopic("py-activations", 2);
    new RoundTrip(KAFKA.bootstrapServers(), KAFKA.registryUrl(), tmp).pythonToJava("py-activations");
  }

  @Test
  void ourSerializerRecordsReadByPythonAvroConsumer() throws Exception {
    KAFKA.createTopic("py-sketches", 2);
    new RoundTrip(KAFKA.bootstrapServers(), KAFKA.registryUrl(), tmp).javaToPython("py-sketches");
  }
}
