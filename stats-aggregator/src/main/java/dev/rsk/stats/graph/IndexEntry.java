package dev.rsk.stats.graph;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.contract.SketchMapper;
import dev.rsk.sketch.SketchSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the similarity index keeps of one stored sketch: its parameter key (sketches of different keys
 * are never compared), event time, source, the modules present, and the vector. Its binary form is
 * the value of {@link GraphStores#ENTRIES}, from which the in-memory index is rebuilt.
 *
 * @param specKey {@link #specKey(SketchSpec, int)} of the sketch
 * @param modules modules with at least one object in the inference
 */
public record IndexEntry(String inferenceId, String specKey, long eventTime, String source, List<String> modules,
    float[] vector) {

  private static final byte FORMAT = 1;

  /** The entry of a valid record (validated by the caller). */
  public static IndexEntry of(final InferenceSketch s) {
    final List<String> modules = new ArrayList<>();
    for (final Map.Entry<String, Integer> e : s.getModuleCounts().entrySet()) {
      if (e.getValue() != null && e.getValue() > 0) {
        modules.add(e.getKey());
      }
    }
    final float[] v = SketchMapper.vector(s);
    return new IndexEntry(s.getInferenceId(), specKey(SketchMapper.spec(s.getParams()), v.length),
        s.getEventTime().toEpochMilli(), s.getSource(), List.copyOf(modules), v);
  }

  /** One index per value: every sketch parameter and the vector length. */
  public static String specKey(final SketchSpec spec, final int length) {
    return "d=" + spec.d() + ";len=" + length + ";seed=" + spec.seed() + ";alpha=" + spec.alpha()
        + ";beta=" + spec.beta() + ";v=" + spec.schemeVersion();
  }

  /** The store form. */
  public byte[] encode() {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 4 * vector.length);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.writeUTF(inferenceId);
      out.writeUTF(specKey);
      out.writeLong(eventTime);
      out.writeUTF(source);
      out.writeInt(modules.size());
      for (final String m : modules) {
        out.writeUTF(m);
      }
      out.writeInt(vector.length);
      for (final float f : vector) {
        out.writeFloat(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Reads {@link #encode()}'s form; IllegalArgumentException on anything else. */
  public static IndexEntry decode(final byte[] data) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      if (in.readByte() != FORMAT) {
        throw new IllegalArgumentException("unknown index entry format");
      }
      final String id = in.readUTF();
      final String key = in.readUTF();
      final long t = in.readLong();
      final String source = in.readUTF();
      final int n = in.readInt();
      final List<String> modules = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        modules.add(in.readUTF());
      }
      final float[] v = new float[in.readInt()];
      for (int i = 0; i < v.length; i++) {
        v[i] = in.readFloat();
      }
      return new IndexEntry(id, key, t, source, List.copyOf(modules), v);
    } catch (IOException e) {
      throw new IllegalArgumentException("corrupt index entry", e);
    }
  }
}
