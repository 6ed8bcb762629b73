package dev.rsk.stats.serde;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.contract.NetworkStructure;
import dev.rsk.sketch.ModuleEdge;
import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchException;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.sketch.Sketches;
import dev.rsk.stats.model.RepositoryRecord;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 * 0       1     format = 6 (format 1 was the Avro InferenceSketch, 2 had no sums nor edges: not read, see
 *               docs/api.md "Migration"; formats 3, 4 and 5 are read: format 3's sums field is a 0/1 flag for all
 *               k float64 sums, format 4's a u16 count s and s float64 sums, without the width byte; format 5
 *               is format 6 whose byte 57 is only complete, 0 or 1)
 * 1       4     d             \
 * 5       8     seed           |
 * 13      8     alpha          | the SketchSpec
 * 21      8     beta           |
 * 29      4     schemeVersion /
 * 33      8     eventTime (epoch ms)
 * 41      8     sketchedAt (epoch ms)
 * 49      4     objectCount
 * 53      4     missingInputs
 * 57      1     flags: bit 0 complete, bit 1 {@link #STATS_PINNED} (format 6; the other bits 0)
 * 58      4     arrivedLength: the vector length as it arrived (the hourly sums are keyed by it)
 * 62      2+n   source
 * ..      2     number of modules M, then M times: name (2+n), count (4), attributeLength k (4),
 *               sums s (u16, 0 or min(k, rsk.attributes.exact.dims)), then when s > 0 the width w of a sum
 *               (1 byte: 4 when every one of the module's s sums is exactly a float32, else 8) and s exact
 *               attribute sums of the first s dimensions (float32 or float64 as w says; either way the same
 *               double value: queries' exact terms, the others are decoded)
 * ..      2     number of edges E, then E times: module (2+n), slot (2+n), input (2+n), count (4)
 *               (the structure fields of a complete inference: queries' exact paths; E = 0 unless the
 *               record's edges are NetworkStructure#trustedEdges, whatever structure it claims)
 * ..      1     int8 format = Sketches.INT8_FORMAT
 * ..      4     scale (float32)                       the int8 sketch of Sketches.toInt8; its length is the
 * ..      m     m signed bytes, m in [1, d]           rest of the record, so any prefix m is a valid record
 * </pre>
 *
 * For d = 1024 and the demo's eight modules a record is about 1,150 bytes (an Avro InferenceSketch with its
 * float vector and attribute sums was about 5,200). {@link #age} cuts the vector to a prefix by cutting bytes.
 *
 * <p>Longer than 300 lines because it is the one class that knows this layout: the encoder, the full decoder,
 * the partial views scans use ({@link #sketch}, {@link #header}, {@link #eventTime}) and ageing must agree byte
 * for byte, so they stay together.
 */
public final class RepositoryCodec {

  /** The format byte of this layout. */
  public static final byte FORMAT = 6;
  /** A previous layout, still read: format 6 whose byte 57 is only the complete flag (0 or 1). */
  static final byte FORMAT_5 = 5;
  /** A previous layout, still read: a u16 sum count, float64 sums, no width byte. */
  static final byte FORMAT_4 = 4;
  /** A previous layout, still read: its sums field is one byte, 1 for all k float64 sums. */
  static final byte FORMAT_3 = 3;
  /** Width byte of float32 sums. */
  static final byte FLOAT32 = 4;
  /** Width byte of float64 sums. */
  static final byte FLOAT64 = 8;
  /** Offset of the flags byte (format 6; the complete flag alone in formats 3 to 5). */
  static final int FLAGS = 57;
  /** Flags bit 0: the inference is complete. */
  static final int COMPLETE = 1;
  /**
   * Flags bit 1 (format 6): the attribute statistics do not hold this version's KLL items; they hold a pinned
   * copy of an earlier version's (attribute statistics keep an inference's first version), so a scan that adds
   * repository items to the statistics ({@code LocalStatsQueries#attributeStatsByLength}) must skip this record.
   */
  public static final int STATS_PINNED = 2;

  private RepositoryCodec() {}

  /** {@link #encode(InferenceSketch, Sketch, int)} with every carried attribute sum. */
  public static byte[] encode(final InferenceSketch s, final Sketch sketch) {
    return encode(s, sketch, Integer.MAX_VALUE);
  }

  /**
   * Encodes {@code s} (validated), whose sketch is {@code sketch}, in int8 form, with the exact attribute sums of
   * at most the first {@code exactDims} dimensions of each module.
   */
  public static byte[] encode(final InferenceSketch s, final Sketch sketch, final int exactDims) {
    return encode(s, sketch, exactDims, NetworkStructure.trustedEdges(s));
  }

  /**
   * {@link #encode(InferenceSketch, Sketch, int)} keeping the record's edges only when {@code keepEdges}: queries
   * answer paths exactly from them, so the caller passes {@link NetworkStructure#trustedEdges} (computed once).
   */
  public static byte[] encode(final InferenceSketch s, final Sketch sketch, final int exactDims,
      final boolean keepEdges) {
    final SortedMap<String, Integer> counts = new TreeMap<>(s.getModuleCounts());
    final byte[] src = utf8(s.getSource());
    final byte[] int8 = Sketches.toInt8(sketch);
    final List<ModuleEdge> edges = keepEdges ? NetworkStructure.edges(s) : List.of();
    final ByteArrayOutputStream out = new ByteArrayOutputStream(256 + int8.length);
    final DataOutputStream d = new DataOutputStream(out);
    final SketchSpec spec = sketch.spec();
    try {
      d.writeByte(FORMAT);
      d.writeInt(spec.d());
      d.writeLong(spec.seed());
      d.writeDouble(spec.alpha());
      d.writeDouble(spec.beta());
      d.writeInt(spec.schemeVersion());
      d.writeLong(s.getEventTime().toEpochMilli());
      d.writeLong(s.getSketchedAt().toEpochMilli());
      d.writeInt(s.getObjectCount());
      d.writeInt(s.getMissingInputs());
      d.writeByte(s.getComplete() ? COMPLETE : 0); // STATS_PINNED clear: see withStatsPinned
      d.writeInt(int8.length - Sketches.INT8_HEADER_BYTES);
      writeString(d, src);
      d.writeShort(counts.size());
      for (final Map.Entry<String, Integer> e : counts.entrySet()) {
        writeString(d, utf8(e.getKey()));
        d.writeInt(e.getValue());
        final int k = s.getAttributeLengths().getOrDefault(e.getKey(), 0);
        d.writeInt(k);
        final List<Double> sums = s.getAttributeSums().get(e.getKey());
        final int n = sums == null || sums.size() != k ? 0 : Math.min(k, Math.min(exactDims, 0xFFFF));
        d.writeShort(n);
        if (n > 0) {
          final boolean narrow = float32Exact(sums, n);
          d.writeByte(narrow ? FLOAT32 : FLOAT64);
          for (int i = 0; i < n; i++) {
            if (narrow) {
              d.writeFloat(sums.get(i).floatValue());
            } else {
              d.writeDouble(sums.get(i));
            }
          }
        }
      }
      d.writeShort(edges.size());
      for (final ModuleEdge e : edges) {
        writeString(d, utf8(e.module()));
        writeString(d, utf8(e.slot()));
        writeString(d, utf8(e.input()));
        d.writeInt(e.count());
      }
      d.write(int8);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
    }
    return out.toByteArray();
  }

  /** Whether each of the first {@code n} sums is exactly a float32 value (so float32 storage loses nothing). */
  static boolean float32Exact(final List<Double> sums, final int n) {
    for (int i = 0; i < n; i++) {
      final double x = sums.get(i);
      if ((double) (float) x != x) {
        return false;
      }
    }
    return true;
  }

  private static void writeString(final DataOutputStream d, final byte[] utf8) throws IOException {
    d.writeShort(utf8.length);
    d.write(utf8);
  }

  /** Reads a record of any vector prefix; throws {@link SerializationException} on a foreign or corrupt image. */
  public static RepositoryRecord decode(final byte[] bytes) {
    try {
      final ByteBuffer b = ByteBuffer.wrap(bytes);
      final byte format = b.get();
      checkFormat(format);
      final SketchSpec spec = new SketchSpec(b.getInt(), b.getLong(), b.getDouble(), b.getDouble(), b.getInt());
      final long eventTime = b.getLong();
      final long sketchedAt = b.getLong();
      final int objectCount = b.getInt();
      final int missing = b.getInt();
      final byte flags = b.get();
      final boolean complete = format == FORMAT ? (flags & COMPLETE) != 0 : flags != 0;
      final int arrivedLength = b.getInt();
      final String source = string(b);
      final int modules = Short.toUnsignedInt(b.getShort());
      final SortedMap<String, Integer> counts = new TreeMap<>();
      final SortedMap<String, Integer> lengths = new TreeMap<>();
      final SortedMap<String, double[]> sums = new TreeMap<>();
      for (int i = 0; i < modules; i++) {
        final String m = string(b);
        counts.put(m, b.getInt());
        final int k = b.getInt();
        lengths.put(m, k);
        final int n = sumCount(b, format, k);
        if (n > 0) {
          final int width = sumWidth(b, format);
          final double[] x = new double[n];
          for (int j = 0; j < n; j++) {
            x[j] = width == FLOAT32 ? b.getFloat() : b.getDouble();
          }
          sums.put(m, x);
        }
      }
      final int edgeCount = Short.toUnsignedInt(b.getShort());
      final List<ModuleEdge> edges = new ArrayList<>(edgeCount);
      for (int i = 0; i < edgeCount; i++) {
        edges.add(new ModuleEdge(string(b), string(b), string(b), b.getInt()));
      }
      final Sketch sketch = Sketches.fromInt8(spec, Arrays.copyOfRange(bytes, b.position(), bytes.length));
      return new RepositoryRecord(source, eventTime, sketch, arrivedLength, objectCount, complete, missing, counts,
          lengths, sketchedAt, sums, edges);
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
   * What the similarity index and its scans read of an encoded record, without decoding the counts, sums and
   * edges: the spec, event time, source, the modules with at least one object, and where the int8 sketch
   * starts ({@code bytes[vectorOffset]} is its format byte). {@link SerializationException} as {@link #decode}.
   */
  public static Header header(final byte[] bytes) {
    try {
      final ByteBuffer b = ByteBuffer.wrap(bytes);
      final byte format = b.get();
      checkFormat(format);
      final SketchSpec spec = new SketchSpec(b.getInt(), b.getLong(), b.getDouble(), b.getDouble(), b.getInt());
      final long eventTime = b.getLong();
      b.position(62);
      final String source = string(b);
      final int modules = Short.toUnsignedInt(b.getShort());
      final List<String> present = new ArrayList<>(modules);
      for (int i = 0; i < modules; i++) {
        final String m = string(b);
        final int count = b.getInt();
        final int k = b.getInt();
        skipSums(b, format, k);
        if (count > 0) {
          present.add(m);
        }
      }
      final int edges = Short.toUnsignedInt(b.getShort());
      for (int i = 0; i < edges; i++) {
        skipString(b);
        skipString(b);
        skipString(b);
        b.position(b.position() + 4);
      }
      if (bytes.length - b.position() < Sketches.INT8_HEADER_BYTES + 1) {
        throw new IllegalArgumentException("no int8 sketch");
      }
      return new Header(spec, eventTime, source, present, b.position());
    } catch (BufferUnderflowException | SketchException | IllegalArgumentException e) {
      throw new SerializationException("corrupt sketch-repository value: " + e.getMessage(), e);
    }
  }

  /**
   * {@link #header}'s view of a record.
   *
   * @param modules the modules with count > 0, sorted by name
   * @param vectorOffset offset of the int8 sketch ({@link Sketches#toInt8}'s form) in the record
   */
  public record Header(SketchSpec spec, long eventTime, String source, List<String> modules, int vectorOffset) {

    /** The stored (int8-rounded, possibly aged) sketch of {@code bytes}, the record this header was read from. */
    public Sketch sketch(final byte[] bytes) {
      return Sketches.fromInt8(spec, Arrays.copyOfRange(bytes, vectorOffset, bytes.length));
    }

    /** The stored vector length of {@code bytes}. */
    public int length(final byte[] bytes) {
      return bytes.length - vectorOffset - Sketches.INT8_HEADER_BYTES;
    }
  }

  /**
   * Throws {@link SerializationException} unless {@code format} is this layout's: a store written by an earlier
   * version is never read as this one (docs/api.md, Migration).
   */
  public static void checkFormat(final byte format) {
    if (format != FORMAT && format != FORMAT_5 && format != FORMAT_4 && format != FORMAT_3) {
      throw new SerializationException("sketch-repository value has format " + format + ", this build reads "
          + FORMAT_3 + " to " + FORMAT + " (a store of an earlier version must be rebuilt by replay: docs/api.md,"
          + " Migration)");
    }
  }

  /**
   * A copy of the format-6 {@code record} with {@link #STATS_PINNED} set (the same bytes otherwise, so ageing and
   * every reader see the same record).
   *
   * @throws IllegalArgumentException when {@code record} is not a format-6 record (earlier formats have no flag)
   */
  public static byte[] withStatsPinned(final byte[] record) {
    if (record.length <= FLAGS || record[0] != FORMAT) {
      throw new IllegalArgumentException("only a format-" + FORMAT + " sketch-repository record has the "
          + "stats-pinned flag; got " + (record.length == 0 ? "an empty value" : "format " + record[0]));
    }
    final byte[] out = record.clone();
    out[FLAGS] |= STATS_PINNED;
    return out;
  }

  /**
   * Whether the encoded record has {@link #STATS_PINNED} set; false for earlier formats (their attribute
   * statistics hold every item) and for a value too short to be a record.
   */
  public static boolean statsPinned(final byte[] record) {
    return record.length > FLAGS && record[0] == FORMAT && (record[FLAGS] & STATS_PINNED) != 0;
  }

  /**
   * Whether {@code a} and {@code b} are the same bytes but perhaps for {@link #STATS_PINNED} of format-6 records:
   * the processor's duplicate check compares a fresh encode (flag clear) with the stored bytes (flag perhaps set).
   */
  public static boolean sameIgnoringStatsPinned(final byte[] a, final byte[] b) {
    if (a.length != b.length) {
      return false;
    }
    if (a.length <= FLAGS || a[0] != FORMAT || b[0] != FORMAT) {
      return Arrays.equals(a, b);
    }
    return Arrays.equals(a, 0, FLAGS, b, 0, FLAGS)
        && ((a[FLAGS] ^ b[FLAGS]) & ~STATS_PINNED) == 0
        && Arrays.equals(a, FLAGS + 1, a.length, b, FLAGS + 1, b.length);
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
   * is already that short. The header, flags included ({@link #STATS_PINNED}), is kept as it is.
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
      skipString(b);
      b.position(b.position() + 4);
      final int k = b.getInt();
      skipSums(b, bytes[0], k);
    }
    final int edges = Short.toUnsignedInt(b.getShort());
    for (int i = 0; i < edges; i++) {
      skipString(b);
      skipString(b);
      skipString(b);
      b.position(b.position() + 4);
    }
    return b.position();
  }

  /**
   * Reads the count of a module's sums field at {@code b}'s position, advancing past it: how many exact sums
   * follow (format 3: a 0/1 flag for all {@code k}; formats 4 to 6: a u16 count, at most {@code k}). In formats 5
   * and 6 a width byte ({@link #sumWidth}) follows a positive count.
   */
  static int sumCount(final ByteBuffer b, final byte format, final int k) {
    if (format == FORMAT_3) {
      return b.get() != 0 ? k : 0;
    }
    final int n = Short.toUnsignedInt(b.getShort());
    if (n > k) {
      throw new IllegalArgumentException(n + " attribute sums for attribute length " + k);
    }
    return n;
  }

  /**
   * The bytes of each sum of a module with a positive count, read after {@link #sumCount} (advancing past the
   * width byte in formats 5 and 6): {@link #FLOAT32} or {@link #FLOAT64}.
   *
   * @throws IllegalArgumentException on another width byte
   */
  static int sumWidth(final ByteBuffer b, final byte format) {
    if (format < FORMAT_5) {
      return FLOAT64;
    }
    final byte width = b.get();
    if (width != FLOAT32 && width != FLOAT64) {
      throw new IllegalArgumentException("attribute sum width " + width + " (4 or 8)");
    }
    return width;
  }

  /** Advances {@code b} past a module's sums field (count, width and sums). */
  static void skipSums(final ByteBuffer b, final byte format, final int k) {
    final int n = sumCount(b, format, k);
    if (n > 0) {
      final int width = sumWidth(b, format);
      b.position(b.position() + width * n);
    }
  }

  private static void skipString(final ByteBuffer b) {
    final int length = Short.toUnsignedInt(b.getShort());
    b.position(b.position() + length);
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
