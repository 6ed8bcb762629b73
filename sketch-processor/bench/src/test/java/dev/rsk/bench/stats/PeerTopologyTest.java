package dev.rsk.bench.stats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.registry.InMemorySchemaRegistryClient;
import dev.rsk.sketch.SketchSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.Test;

/** The bench's plain peer counts per module and hour of the sketches' event time, whatever their record time. */
class PeerTopologyTest {

  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  @Test
  void countsPerModuleAndHourOfEventTimeNotOfRecordTime() {
    final Serde<InferenceSketch> serde = ContenderRun.sketchSerde(new InMemorySchemaRegistryClient());
    final InferenceSketch base = new SketchData(SketchSpec.defaults().withD(64), T0, Duration.ofHours(1), 1)
        .sketch(0);
    final String module = base.getModuleCounts().entrySet().stream().filter(e -> e.getValue() > 0).findFirst()
        .orElseThrow().getKey();
    final Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "peer-test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    try (TopologyTestDriver driver = new TopologyTestDriver(PeerTopology.build("sketches", serde), p)) {
      final TestInputTopic<String, InferenceSketch> in = driver.createInputTopic("sketches", new StringSerializer(),
          serde.serializer());
      final Instant published = Instant.parse("2027-01-01T00:00:00Z"); // the same record time for all three
      in.pipeInput("a", at(base, T0.plusSeconds(60)), published);
      in.pipeInput("b", at(base, T0.plusSeconds(3540)), published);
      in.pipeInput("c", at(base, T0.plusSeconds(3600 * 5 + 1)), published);
      final String store = driver.getAllStateStores().keySet().stream().filter(n -> n.contains("STATE-STORE"))
          .findFirst().orElseThrow(); // the count's, named by the DSL
      final WindowStore<String, Long> counts = driver.getWindowStore(store);
      final Map<Instant, Long> byHour = new TreeMap<>();
      try (KeyValueIterator<Windowed<String>, Long> it = counts.all()) {
        it.forEachRemaining((KeyValue<Windowed<String>, Long> kv) -> {
          if (kv.key.key().equals(module)) {
            byHour.put(kv.key.window().startTime(), kv.value);
          }
        });
      }
      assertThat(byHour).containsExactly(Map.entry(T0, 2L), Map.entry(T0.plusSeconds(3600 * 5), 1L));
    }
  }

  private static InferenceSketch at(final InferenceSketch s, final Instant eventTime) {
    return InferenceSketch.newBuilder(s).setEventTime(eventTime).build();
  }
}
