package dev.rsk.bench.processor;

import dev.rsk.avro.ModuleActivation;
import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The comparison app of the benchmark: the plain way to group records in Kafka Streams. Each event is
 * decoded (Avro in), appended to its inference's group kept in one RocksDB entry (changelogged, with
 * the default record cache), and the whole group is rewritten on every event; when the group holds
 * {@code groupSize} records it is written out and deleted. No sketch math: it only measures the
 * state layout.
 */
final class BaselineTopology {
  static final String STORE = "baseline-groups";

  private BaselineTopology() {}

  static Topology build(final String input, final String output, final Deserializer<ModuleActivation> values,
      final int groupSize) {
    final Topology t = new Topology();
    t.addSource("in", new ByteArrayDeserializer(), new ByteArrayDeserializer(), input);
    t.addProcessor("group", () -> new GroupAndRewrite(values, input, groupSize), "in");
    t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(),
        Serdes.ByteArray()), "group");
    t.addSink("out", output, new StringSerializer(), new ByteArraySerializer(), "group");
    return t;
  }

  private static final class GroupAndRewrite implements Processor<byte[], byte[], String, byte[]> {
    private final Deserializer<ModuleActivation> values;
    private final String topic;
    private final int groupSize;
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, byte[]> groups;

    GroupAndRewrite(final Deserializer<ModuleActivation> values, final String topic, final int groupSize) {
      this.values = values;
      this.topic = topic;
      this.groupSize = groupSize;
    }

    @Override
    public void init(final ProcessorContext<String, byte[]> context) {
      this.context = context;
      this.groups = context.getStateStore(STORE);
    }

    @Override
    public void process(final Record<byte[], byte[]> record) {
      final ModuleActivation ev = values.deserialize(topic, record.value());
      final String id = ev.getInferenceId();
      final byte[] old = groups.get(id);
      final byte[] raw = record.value();
      // Group layout: 4-byte count, then (4-byte length, bytes) per member.
      final int count = old == null ? 0 : ByteBuffer.wrap(old).getInt(0);
      final int oldLen = old == null ? 4 : old.length;
      final ByteBuffer next = ByteBuffer.allocate(oldLen + 4 + raw.length);
      next.putInt(count + 1);
      if (old != null) {
        next.put(old, 4, old.length - 4);
      }
      next.putInt(raw.length).put(raw);
      if (count + 1 >= groupSize) {
        groups.delete(id);
        context.forward(new Record<>(id, next.array(), record.timestamp()));
      } else {
        groups.put(id, next.array());
      }
    }
  }
}
