package dev.rsk.stats.serde;

import dev.rsk.stats.model.NetworkEntry;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The network store's value ({@link NetworkEntry}) in its internal binary form: a format byte
 * ({@value #FORMAT}), then module, k, inferences, objects, roots, the depth counts and the inputs by
 * slot (strings as modified UTF-8, big-endian numbers). Lives only in the store and its changelog; a
 * later format gets a new byte and keeps reading this one. Unknown formats and corrupt bytes raise
 * {@link SerializationException}.
 */
public final class NetworkEntrySerde {

  /** The format byte this build writes. */
  public static final byte FORMAT = 1;

  private NetworkEntrySerde() {}

  public static Serde<NetworkEntry> serde() {
    final Serializer<NetworkEntry> ser = (topic, v) -> v == null ? null : write(v);
    final Deserializer<NetworkEntry> de = (topic, b) -> b == null ? null : read(b);
    return Serdes.serdeFrom(ser, de);
  }

  static byte[] write(final NetworkEntry v) {
    try {
      final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
      final DataOutputStream out = new DataOutputStream(bytes);
      out.writeByte(FORMAT);
      out.writeUTF(v.module());
      out.writeInt(v.attributeLength());
      out.writeLong(v.inferences());
      out.writeLong(v.objects());
      out.writeLong(v.roots());
      out.writeInt(v.depths().size());
      for (final Map.Entry<Integer, Long> d : v.depths().entrySet()) {
        out.writeInt(d.getKey());
        out.writeLong(d.getValue());
      }
      out.writeInt(v.inputs().size());
      for (final Map.Entry<String, SortedMap<String, Long>> slot : v.inputs().entrySet()) {
        out.writeUTF(slot.getKey());
        out.writeInt(slot.getValue().size());
        for (final Map.Entry<String, Long> in : slot.getValue().entrySet()) {
          out.writeUTF(in.getKey());
          out.writeLong(in.getValue());
        }
      }
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new SerializationException("cannot encode network entry of " + v.module(), e);
    }
  }

  static NetworkEntry read(final byte[] b) {
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(b))) {
      final byte format = in.readByte();
      if (format != FORMAT) {
        throw new SerializationException("unknown network entry format " + format);
      }
      final String module = in.readUTF();
      final int k = in.readInt();
      final long inferences = in.readLong();
      final long objects = in.readLong();
      final long roots = in.readLong();
      final TreeMap<Integer, Long> depths = new TreeMap<>();
      for (int i = count(in); i > 0; i--) {
        depths.put(in.readInt(), in.readLong());
      }
      final TreeMap<String, SortedMap<String, Long>> inputs = new TreeMap<>();
      for (int s = count(in); s > 0; s--) {
        final String slot = in.readUTF();
        final TreeMap<String, Long> m = new TreeMap<>();
        for (int i = count(in); i > 0; i--) {
          m.put(in.readUTF(), in.readLong());
        }
        inputs.put(slot, m);
      }
      if (in.available() > 0) {
        throw new SerializationException("corrupt network entry: " + in.available() + " trailing bytes");
      }
      return new NetworkEntry(module, k, inferences, objects, roots, depths, inputs);
    } catch (IOException e) {
      throw new SerializationException("corrupt network entry: " + e, e);
    }
  }

  private static int count(final DataInputStream in) throws IOException {
    final int n = in.readInt();
    if (n < 0 || n > in.available()) {
      throw new SerializationException("corrupt network entry: count " + n);
    }
    return n;
  }
}
