package dev.rsk.bench.stats;

import dev.rsk.avro.InferenceSketch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.TimeWindows;

/**
 * The plain Kafka Streams peer of the aggregator benchmark, written the way the DSL invites: decode each
 * sketch (Avro through the registry serde), emit (module, 1) per module present, and count per module and
 * hour of event time in a windowed store (repartition by module, default record cache). It keeps no sketch and
 * no statistics: it is the floor a stateful Streams app pays for an exact hourly count. Its windows are of the
 * sketch's event time, read from the decoded value, as rsk's hours are: a sketch's record timestamp is when its
 * inference's events were published (the processor forwards its last event's), so a year backfilled in seconds has
 * record timestamps seconds apart.
 */
final class PeerTopology {

  private PeerTopology() {}

  static Topology build(final String input, final Serde<InferenceSketch> values) {
    final StreamsBuilder b = new StreamsBuilder();
    b.stream(input, Consumed.with(Serdes.String(), values).withTimestampExtractor(PeerTopology::eventTime))
        .flatMap((id, s) -> {
          final List<KeyValue<String, Long>> out = new ArrayList<>();
          s.getModuleCounts().forEach((module, n) -> {
            if (n > 0) {
              out.add(KeyValue.pair(module, 1L));
            }
          });
          return out;
        })
        .groupByKey(Grouped.with(Serdes.String(), Serdes.Long()))
        // A year of grace: the input spans a year and the repartition topic mixes partitions; nothing is dropped.
        .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofHours(1), Duration.ofDays(400)))
        .count();
    return b.build();
  }

  /** The sketch's event time (Streams extracts it from the record it has already decoded). */
  static long eventTime(final ConsumerRecord<Object, Object> record, final long partitionTime) {
    return ((InferenceSketch) record.value()).getEventTime().toEpochMilli();
  }
}
