package dev.rsk.stats.testing;

import dev.rsk.stats.StatsConfig;
import dev.rsk.stats.StatsTopology;
import dev.rsk.stats.serde.StatsSerdes;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * A stats aggregator in its own JVM, for crash tests that kill a real process: args are bootstrap servers,
 * application id, state directory, input topic. Reads plain Avro binary sketches; runs until killed.
 */
public final class StatsNode {

  private StatsNode() {}

  public static void main(final String[] args) throws InterruptedException {
    final Properties p = properties(args[0], args[1], args[2]);
    final StatsConfig config = StatsConfig.defaults(StatsSerdes.inferenceSketchBinary()).withSketchesTopic(args[3]);
    final KafkaStreams streams = new KafkaStreams(StatsTopology.buildTopology(config), p);
    streams.start();
    Thread.sleep(Long.MAX_VALUE);
  }

  /** Exactly-once, fast commits, short sessions so a killed member leaves the group soon. */
  public static Properties properties(final String bootstrap, final String appId, final String stateDir) {
    final Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6_000);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1_000);
    p.put(StreamsConfig.producerPrefix("transaction.timeout.ms"), 10_000);
    return p;
  }
}
