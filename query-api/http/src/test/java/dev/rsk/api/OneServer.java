package dev.rsk.api;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.testing.KafkaExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

/** What the answer-cache tests share: one server instance on the extension's broker, and sketches sent to it. */
final class OneServer {

  private OneServer() {}

  /** The properties of one instance of {@code appId}: loopback HTTP on a free port, 100 ms commits. */
  static Properties props(final KafkaExtension kafka, final String appId) throws IOException {
    final Properties p = new Properties();
    p.put("kafka.bootstrap.servers", kafka.bootstrapServers());
    p.put("kafka.application.id", appId);
    p.put("kafka.state.dir", Files.createTempDirectory(kafka.tempDir(), "state").toString());
    p.put("kafka.commit.interval.ms", "100");
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
