package dev.rsk.api.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rebinding Kafka Streams meters keeps every meter bound, with one refresh thread, and closing leaves none.
 * (The race it prevents, a refresh in flight during a rebind, cannot be forced from here: Micrometer refreshes
 * every 60 s; StreamsMeterBinding's javadoc gives the argument.)
 */
class StreamsMeterBindingTest {

  @TempDir
  Path stateDir;

  @Test
  void concurrentRebindsLeaveOneBindingsMetersAndCloseRemovesThemAll() throws Exception {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final KafkaStreams streams = unstartedStreams();
    try {
      final StreamsMeterBinding binding = new StreamsMeterBinding(streams, registry);
      final List<String> once = kafkaMeters(registry);
      assertThat(once).as("the client's own meters are bound at once")
          .anyMatch(m -> m.startsWith("kafka.stream.alive.stream.threads["));

      final ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        final List<Future<?>> rebinds = IntStream.range(0, 8)
            .mapToObj(i -> pool.submit(binding::rebind)).collect(java.util.stream.Collectors.toList());
        for (Future<?> f : rebinds) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
      // The unstarted client's admin keeps adding per-node meters while it retries its bootstrap, so the set
      // may grow, but every meter of the first binding is still there, bound once.
      assertThat(kafkaMeters(registry)).containsAll(once).doesNotHaveDuplicates();
      assertThat(Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().equals("rsk-streams-meters") && t.isAlive()))
          .as("one refresh thread, not one per rebind").hasSizeLessThanOrEqualTo(1);

      binding.close();
      binding.rebind();
      assertThat(kafkaMeters(registry)).as("closed: no Kafka meter left, and a late rebind binds nothing")
          .isEmpty();
    } finally {
      streams.close(java.time.Duration.ofSeconds(1));
    }
  }

  private KafkaStreams unstartedStreams() {
    final StreamsBuilder builder = new StreamsBuilder();
    builder.stream("in").to("out");
    final Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "meters-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
    props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
    return new KafkaStreams(builder.build(), props);
  }

  private static List<String> kafkaMeters(final SimpleMeterRegistry registry) {
    return registry.getMeters().stream().map(Meter::getId)
        .filter(id -> id.getName().startsWith("kafka."))
        .map(id -> id.getName() + id.getTags()).sorted().collect(java.util.stream.Collectors.toList());
  }
}
