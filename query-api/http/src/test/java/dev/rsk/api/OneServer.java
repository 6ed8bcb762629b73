package dev.rsk.api;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.testing.KafkaExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

/** What the API tests share: one server instance's properties on the extension's broker, and sketches sent to it. */
final class OneServer {

  private OneServer() {}

  /** The properties of one instance of {@code appId}: loopback HTTP on a free port, 100 ms commits. */
  static Properties props(final KafkaExtension kafka, final String appId) throws IOException {
    return props(kafka, appId, Files.createTempDirectory(kafka.tempDir(), "state"), 100);
  }

  /**
   * The properties of one instance of {@code appId}: loopback HTTP on a free port, its state in {@code stateDir},
   * commits every {@code commitMs}; the rest the server's defaults.
   */
  static Properties props(final KafkaExtension kafka, final String appId, final Path stateDir, final int commitMs) {
    final Properties p = new Properties();
    p.put("kafka.bootstrap.servers", kafka.bootstrapServers());
    p.put("kafka.application.id", appId);
    p.put("kafka.state.dir", stateDir.toString());
    p.put("kafka.commit.interval.ms", String.valueOf(commitMs));
    p.put("rsk.http.port", "0");
    p.put("rsk.http.bind", "127.0.0.1");
    p.put("rsk.http.advertised.host", "127.0.0.1");
    return p;
  }

  /** Sends {@code s} to the sketches topic, keyed by its inference id. */
  static void send(final KafkaProducer<String, byte[]> producer, final Serializer<InferenceSketch> serializer,
      final InferenceSketch s) {
    producer.send(new ProducerRecord<>("sketches", s.getInferenceId(), serializer.serialize("sketches", s)));
  }
}
