package dev.rsk.stats.serde;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchException;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.sketch.Sketches;
import dev.rsk.stats.model.RepositoryRecord;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The byte layout of a {@link RepositoryRecord} in the {@code sketch-repository} store and its changelog
 * (the key is the inference id). Big-endian; strings are a u16 byte length and UTF-8; modules sorted by name,
 * so equal records have equal bytes.
 *
 * <pre>
 * offset  size  field
 * 0       1     format = 2 (format 1 was the Avro InferenceSketch: not read, see docs/api.md "Migration")
 * 1       4     d             \
 * 5       8     seed           |
 * 13      8     alpha          | the SketchSpec
 * 21      8     beta           |
 * 29      4     schemeVersion /
 * 33      8     eventTime (epoch ms)
 * 41      8     sketchedAt (epoch ms)
 * 49      4     objectCount
 * 53      4     missingInputs
 * 57      1     complete (0 or 1)
 * 58      4     arrivedLength: the vector length as it arrived (the hourly sums are keyed by it)
 * 62      2+n   source
 * ..      2     number of modules M, then M times: name (2+n), count (4), attributeLength (4)
 * ..      1     int8 format = Sketches.INT8_FORMAT
 * ..      4     scale (float32)                       the int8 sketch of Sketches.toInt8; its length is the
 * ..      m     m signed bytes, m in [1, d]           rest of the record, so any prefix m is a valid record
 * </pre>
 *
 * For d = 1024 and the demo's eight modules a record is about 1,150 bytes (an Avro InferenceSketch with its
 * float vector and attribute sums was about 5,200). {@link #age} cuts the vector to a prefix by cutting bytes.
 */
public final class RepositoryCodec {

  /** The format byte of this layout. */
  public static final byte FORMAT = 2;

  private RepositoryCodec() {}

  /** Encodes {@code s} (validated), whose sketch is {@code sketch}, in int8 form. */
  public static byte[] encode(final InferenceSketch s, final Sketch sketch) {
    return encode(s.getSource(), s.getEventTime().toEpochMilli(), s.getSketchedAt().toEpochMilli(),
        s.getObjectCount(), s.getComplete(), s.getMissingInputs(), new TreeMap<>(s.getModuleCounts()),
        s.getAttributeLengths(), Sketches.toInt8(sketch), sketch.spec());
  }

  private static byte[] encode(final String source, final long eventTime, final long sketchedAt,
      final int objectCount, final boolean complete, final int missingInputs,
      final SortedMap<String, Integer> counts, final Map<String, Integer> lengths, final byte[] int8,
      final SketchSpec spec) {
    final byte[] src = utf8(source);
    final byte[][] names = new byte[counts.size()][];
    int size = 62 + 2 + src.length + 2 + int8.length;
    int i = 0;
    for (final String m : counts.keySet()) {
      names[i] = utf8(m);
      size += 2 + names[i].length + 8;
      i++;
    }
    final ByteBuffer b = ByteBuffer.allocate(size);
    b.put(FORMAT).putInt(spec.d()).putLong(spec.seed()).putDouble(spec.alpha()).putDouble(spec.beta())
        .putInt(spec.schemeVersion()).putLong(eventTime).putLong(sketchedAt).putInt(objectCount)
        .putInt(missingInputs).put((byte) (complete ? 1 : 0)).putInt(int8.length - Sketches.INT8_HEADER_BYTES);
    b.putShort((short) src.length).put(src).putShort((short) counts.size());
    i = 0;
    for (final Map.Entry<String, Integer> e : counts.entrySet()) {
      b.putShort((short) names[i].length).put(names[i]).putInt(e.getValue()).putInt(lengths.get(e.getKey()));
      i++;
    }
    return b.put(int8).array();
  }

  /** Reads a record of any vector prefix; throws {@link SerializationException} on a foreign or corrupt image. */
  public static RepositoryRecord decode(final byte[] bytes) {
    try {
      final ByteBuffer b = ByteBuffer.wrap(bytes);
      checkFormat(b.get());
      final SketchSpec spec = new SketchSpec(b.getInt(), b.getLong(), b.getDouble(), b.getDouble(), b.getInt());
      final long eventTime = b.getLong();
      final long sketchedAt = b.getLong();
      final int objectCount = b.getInt();
      final int missing = b.getInt();
      final boolean complete = b.get() != 0;
      final int arrivedLength = b.getInt();
      final String source = string(b);
      final int modules = Short.toUnsignedInt(b.getShort());
      final SortedMap<String, Integer> counts = new TreeMap<>();
      final SortedMap<String, Integer> lengths = new TreeMap<>();
      for (int i = 0; i < modules; i++) {
        final String m = string(b);
        counts.put(m, b.getInt());
        lengths.put(m, b.getInt());
      }
      final Sketch sketch = Sketches.fromInt8(spec, Arrays.copyOfRange(bytes, b.position(), bytes.length));
      return new RepositoryRecord(source, eventTime, sketch, arrivedLength, objectCount, complete, missing, counts,
          lengths, sketchedAt);
    } catch (BufferUnderflowException | SketchException | IllegalArgumentException e) {
      throw new SerializationException("corrupt sketch-repository value: " + e.getMessage(), e);
    }
  }

  /** Only the sketch of an encoded record (for scans); {@link SerializationException} as {@link #decode}. */
  public static Sketch sketch(final byte[] bytes) {
    try {
      final ByteBuffer b = ByteBuffer.wrap(bytes);
      checkFormat(b.get());
      final SketchSpec spec = new SketchSpec(b.getInt(), b.getLong(), b.getDouble(), b.getDouble(), b.getInt());
      return Sketches.fromInt8(spec, Arrays.copyOfRange(bytes, int8Offset(bytes), bytes.length));
    } catch (BufferUnderflowException | SketchException | IllegalArgumentException e) {
      throw new SerializationException("corrupt sketch-repository value: " + e.getMessage(), e);
    }
  }

  /**
   * Throws {@link SerializationException} unless {@code format} is this layout's: a store written by an earlier
   * version is never read as this one (docs/api.md, Migration).
   */
  public static void checkFormat(final byte format) {
    if (format != FORMAT) {
      throw new SerializationException("sketch-repository value has format " + format + ", this build reads "
          + FORMAT + " (a store of an earlier version must be rebuilt by replay: docs/api.md, Migration)");
    }
  }

  /** The event time of an encoded record, without decoding the rest. */
  public static long eventTime(final byte[] bytes) {
    return ByteBuffer.wrap(bytes).getLong(33);
  }

  /** The stored vector length m of an encoded record. */
  public static int vectorLength(final byte[] bytes) {
    return bytes.length - int8Offset(bytes) - Sketches.INT8_HEADER_BYTES;
  }

  /**
   * The record with its vector cut to the first {@code m} coordinates (graceful erasure); the same bytes if it
   * is already that short.
   */
  public static byte[] age(final byte[] bytes, final int m) {
    final int offset = int8Offset(bytes);
    final int keep = offset + Sketches.INT8_HEADER_BYTES + Math.max(1, m);
    return keep >= bytes.length ? bytes : Arrays.copyOf(bytes, keep);
  }

  private static int int8Offset(final byte[] bytes) {
    final ByteBuffer b = ByteBuffer.wrap(bytes);
    b.position(62);
    b.position(b.position() + 2 + Short.toUnsignedInt(b.getShort()));
    final int modules = Short.toUnsignedInt(b.getShort());
    for (int i = 0; i < modules; i++) {
      b.position(b.position() + 2 + Short.toUnsignedInt(b.getShort()) + 8);
    }
    return b.position();
  }

  private static byte[] utf8(final String s) {
    final byte[] out = s.getBytes(StandardCharsets.UTF_8);
    if (out.length > 0xFFFF) {
      throw new IllegalArgumentException("string longer than 65535 bytes");
    }
    return out;
  }

  private static String string(final ByteBuffer b) {
    final byte[] out = new byte[Short.toUnsignedInt(b.getShort())];
    b.get(out);
    return new String(out, StandardCharsets.UTF_8);
  }
}
