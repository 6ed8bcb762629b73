package dev.rsk.cli;

import dev.rsk.avro.ModuleActivation;
import dev.rsk.serde.AvroSerdes;
import dev.rsk.sim.GroundTruth;
import dev.rsk.sim.Plant;
import dev.rsk.sim.RoomSimulator;
import dev.rsk.sim.SimulationConfig;
import dev.rsk.sim.SimulationPublisher;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rsk simulate}: the room simulator alone against any Kafka and schema registry, optionally writing the
 * ground truth as JSON. Exit code 0 when every event was acknowledged, 1 on a publishing error, 2 on a bad
 * {@code --plant}.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = "Publish a simulated camera's year of module activations (Avro, Confluent format) and write "
        + "the ground truth.")
public final class SimulateCommand implements Callable<Integer> {

  /** Closing the producer waits at most this long for in-flight requests. */
  static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  @Option(names = "--bootstrap", required = true, description = "Kafka bootstrap servers (host:port,...).")
  String bootstrap;

  @Option(names = "--registry", required = true, description = "Schema registry URL (Confluent REST API).")
  String registry;

  @Option(names = "--topic", defaultValue = "activations",
      description = "Topic to publish to (default: ${DEFAULT-VALUE}).")
  String topic;

  @Option(names = "--days", defaultValue = "" + SimulationConfig.DEFAULT_DAYS,
      description = "Days to simulate, 1 to " + SimulationConfig.MAX_DAYS + " (default: ${DEFAULT-VALUE}).")
  int days;

  @Option(names = "--interval-minutes", defaultValue = "" + SimulationConfig.DEFAULT_INTERVAL_MINUTES,
      description = "Minutes between two inferences (default: ${DEFAULT-VALUE}).")
  int intervalMinutes;

  @Option(names = "--seed", defaultValue = "" + SimulationConfig.DEFAULT_SEED,
      description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--start", description = "Time of the first inference, ISO-8601 (default: 2025-01-01T00:00:00Z).")
  Instant start = SimulationConfig.DEFAULT_START;

  @Option(names = "--zone", description = "Time zone of the room (default: UTC).")
  ZoneId zone = SimulationConfig.DEFAULT_ZONE;

  @Option(names = "--source", defaultValue = SimulationConfig.DEFAULT_SOURCE,
      description = "The events' source field (default: ${DEFAULT-VALUE}).")
  String source;

  @Option(names = "--plant", paramLabel = "KIND@DAY[:FROM-TO]",
      description = "Plant a new kind of scene from day DAY (0-based) on, between hours FROM and TO each day, e.g."
          + " party@200 (5 to 8 people, the lamp on; default hours 20-24). The truth of concept detection.")
  String plant;

  @Option(names = "--embedding", defaultValue = "0",
      description = "Append an embedding of N floats to every object's attributes (default: ${DEFAULT-VALUE}, none):"
          + " the embedding-sized workload of rsk bench-storage --embedding.")
  int embedding;

  @Option(names = "--truth", description = "Write the ground truth as JSON to this file.")
  Path truthFile;

  @Option(names = {"-X", "--property"}, paramLabel = "KEY=VALUE",
      description = "Extra producer or serde property (SASL, TLS, basic.auth.user.info...), repeatable.")
  Map<String, String> properties = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    final SimulationConfig config;
    try {
      config = new SimulationConfig(days, intervalMinutes, seed, start, zone, source,
          SimulationConfig.DEFAULT_ID_PREFIX, plant == null ? null : Plant.parse(plant), embedding);
    } catch (final IllegalArgumentException e) {
      System.err.println("rsk simulate: " + e.getMessage());
      return 2;
    }
    final Map<String, Object> producerConfig = SimulationPublisher.producerConfig(bootstrap);
    producerConfig.putAll(properties);
    final Map<String, Object> serdeConfig = new HashMap<>(properties);
    serdeConfig.put("schema.registry.url", registry);
    System.err.printf("rsk simulate: %d days, one inference every %d min (%d inferences), seed %d%s -> %s on %s%n",
        days, intervalMinutes, config.inferenceCount(), seed, plant == null ? "" : ", plant " + config.plant(), topic,
        bootstrap);
    final GroundTruth truth = new GroundTruth(config, truthFile != null);
    final SimulationPublisher.Progress done;
    try {
      final ProgressLine line = new ProgressLine(System.err);
      done = publish(config, truth, producerConfig, serdeConfig, topic, p -> line.update(describe(p)));
      line.done(describe(done));
    } catch (final KafkaException e) {
      System.err.println();
      System.err.println("rsk simulate: " + e.getMessage());
      return 1;
    }
    if (truthFile != null) {
      truth.writeJson(truthFile);
      System.err.println("ground truth written to " + truthFile.toAbsolutePath());
    }
    System.out.printf("published %d events of %d inferences in %.1f s (%.0f events/s)%n", done.eventsAcked(),
        done.inferencesSent(), done.elapsedNanos() / 1e9, done.eventsPerSecond());
    return 0;
  }

  /** Publishes the whole simulation with a producer and serde of its own; used by {@code rsk demo} too. */
  static SimulationPublisher.Progress publish(final SimulationConfig config, final GroundTruth truth,
      final Map<String, Object> producerConfig, final Map<String, Object> serdeConfig, final String topic,
      final SimulationPublisher.ProgressListener listener) throws InterruptedException {
    try (Serde<ModuleActivation> serde = AvroSerdes.specific(ModuleActivation.class, serdeConfig, false);
        KafkaProducer<String, ModuleActivation> producer =
            new KafkaProducer<>(producerConfig, new StringSerializer(), serde.serializer())) {
      try {
        return SimulationPublisher.publish(new RoomSimulator(config), truth, producer, topic, listener);
      } finally {
        producer.close(CLOSE_TIMEOUT);
      }
    }
  }

  static String describe(final SimulationPublisher.Progress p) {
    return String.format("published %,d / %,d inferences, %,d events acknowledged (%.0f events/s, %.1f s)",
        p.inferencesSent(), p.inferencesTotal(), p.eventsAcked(), p.eventsPerSecond(), p.elapsedNanos() / 1e9);
  }
}
