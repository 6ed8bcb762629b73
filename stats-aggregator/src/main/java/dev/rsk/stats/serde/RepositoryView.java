package dev.rsk.stats.serde;

import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchException;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.sketch.Sketches;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A reusable read-only view of one encoded repository record ({@link RepositoryCodec}'s layout), for scans:
 * {@link #reset} points it at the next record without allocating, and each field is read only when asked
 * (the module and edge sections once per record, the int8 vector never unless {@link #sketch()} or {@link
 * #addVectorTo}). Module names are compared as UTF-8 bytes, so an exact-only query allocates nothing per
 * record; {@link RepositoryCodec#decode} costs about 1,024 float conversions, three sorted maps and a string
 * per module. Not thread-safe: one per scan.
 */
public final class RepositoryView {

  private static final int EVENT_TIME = 33;
  private static final int SOURCE = 62;
  private static final int NO_SUMS = -1;

  private byte[] b;
  private ByteBuffer buf;
  private boolean parsed;
  private int modules;
  private int[] nameAt = new int[16];
  private int[] counts = new int[16];
  private int[] lengths = new int[16];
  private int[] sumsAt = new int[16];
  private int[] sumCounts = new int[16];
  private int[] sumWidths = new int[16];
  private int edges;
  private int[] edgeAt = new int[32];
  private int int8At;

  /** Points the view at {@code bytes}; {@link SerializationException} when it is not this layout. */
  public RepositoryView reset(final byte[] bytes) {
    if (bytes.length < SOURCE + 2) {
      throw new SerializationException("corrupt sketch-repository value: " + bytes.length + " bytes");
    }
    RepositoryCodec.checkFormat(bytes[0]);
    this.b = bytes;
    this.buf = ByteBuffer.wrap(bytes);
    this.parsed = false;
    return this;
  }

  public long eventTime() {
    return buf.getLong(EVENT_TIME);
  }

  /** The source (allocates a string). */
  public String source() {
    return string(SOURCE);
  }

  /** Whether the source's UTF-8 bytes are {@code utf8}. */
  public boolean sourceIs(final byte[] utf8) {
    return equalsAt(SOURCE, utf8);
  }

  /** Objects of the module named by {@code utf8}, 0 when none. */
  public int count(final byte[] utf8) {
    final int i = module(utf8);
    return i < 0 ? 0 : counts[i];
  }

  /** Attribute length k of the module named by {@code utf8}, -1 when the record does not name the module. */
  public int attributeLength(final byte[] utf8) {
    final int i = module(utf8);
    return i < 0 ? -1 : lengths[i];
  }

  /**
   * Whether the record is marked {@link RepositoryCodec#STATS_PINNED} (format 6): the attribute statistics hold
   * an earlier version's items for this inference, not this record's, so a scan adding items must skip it.
   */
  public boolean statsPinned() {
    return b[0] == RepositoryCodec.FORMAT && (b[RepositoryCodec.FLAGS] & RepositoryCodec.STATS_PINNED) != 0;
  }

  /** Exact sum of attribute {@code index} of the module, NaN when the record carries no sums for it. */
  public double attributeSum(final byte[] utf8, final int index) {
    final int i = module(utf8);
    if (i < 0 || sumsAt[i] == NO_SUMS || index >= sumCounts[i]) {
      return Double.NaN;
    }
    final int at = sumsAt[i] + sumWidths[i] * index;
    return sumWidths[i] == RepositoryCodec.FLOAT32 ? buf.getFloat(at) : buf.getDouble(at);
  }

  /** Whether the record carries its structure's edges. */
  public boolean hasEdges() {
    parse();
    return edges > 0;
  }

  /** Whether some edge with a positive count goes from module {@code parent} to module {@code input}. */
  public boolean edge(final byte[] parent, final byte[] input) {
    parse();
    for (int e = 0; e < edges; e++) {
      int at = edgeAt[e];
      if (!equalsAt(at, parent)) {
        continue;
      }
      at = skip(skip(at));
      if (equalsAt(at, input) && buf.getInt(skip(at)) > 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * The modules with an edge (positive count) into module {@code input}: the modules some of whose objects have
   * an {@code input} object as an input. Allocates the set and its names.
   */
  public Set<String> parents(final byte[] input) {
    parse();
    final Set<String> out = new HashSet<>(4);
    for (int e = 0; e < edges; e++) {
      final int at = skip(skip(edgeAt[e]));
      if (equalsAt(at, input) && buf.getInt(skip(at)) > 0) {
        out.add(string(edgeAt[e]));
      }
    }
    return out;
  }

  /** The spec of the record's sketch (allocates). */
  public SketchSpec spec() {
    try {
      return new SketchSpec(buf.getInt(1), buf.getLong(5), buf.getDouble(13), buf.getDouble(21), buf.getInt(29));
    } catch (SketchException e) {
      throw new SerializationException("corrupt sketch-repository value: " + e.getMessage(), e);
    }
  }

  /** Stored vector length m. */
  public int vectorLength() {
    parse();
    return b.length - int8At - Sketches.INT8_HEADER_BYTES;
  }

  /** The decoded int8 sketch (allocates the float vector). */
  public Sketch sketch() {
    parse();
    try {
      return Sketches.fromInt8(spec(), Arrays.copyOfRange(b, int8At, b.length));
    } catch (SketchException e) {
      throw new SerializationException("corrupt sketch-repository value: " + e.getMessage(), e);
    }
  }

  /**
   * Adds the dequantized vector to {@code acc} (of length {@link #vectorLength()}), exactly the values {@link
   * #sketch()} would hold, without allocating them.
   */
  public void addVectorTo(final float[] acc) {
    parse();
    final float scale = buf.getFloat(int8At + 1);
    final int from = int8At + Sketches.INT8_HEADER_BYTES;
    for (int i = 0; i < acc.length; i++) {
      acc[i] += b[from + i] * scale;
    }
  }

  private int module(final byte[] utf8) {
    parse();
    for (int i = 0; i < modules; i++) {
      if (equalsAt(nameAt[i], utf8)) {
        return i;
      }
    }
    return -1;
  }

  /** Finds the module and edge sections and the int8 vector, once per record. */
  private void parse() {
    if (parsed) {
      return;
    }
    try {
      int at = skip(SOURCE);
      modules = Short.toUnsignedInt(buf.getShort(at));
      at += 2;
      if (modules > nameAt.length) {
        nameAt = new int[modules];
        counts = new int[modules];
        lengths = new int[modules];
        sumsAt = new int[modules];
        sumCounts = new int[modules];
        sumWidths = new int[modules];
      }
      for (int i = 0; i < modules; i++) {
        nameAt[i] = at;
        at = skip(at);
        counts[i] = buf.getInt(at);
        final int k = buf.getInt(at + 4);
        lengths[i] = k;
        final int n = RepositoryCodec.sumCount(buf.position(at + 8), b[0], k);
        final int width = n > 0 ? RepositoryCodec.sumWidth(buf, b[0]) : 0;
        at = buf.position();
        sumCounts[i] = n;
        sumWidths[i] = width;
        sumsAt[i] = n > 0 ? at : NO_SUMS;
        at += width * n;
      }
      edges = Short.toUnsignedInt(buf.getShort(at));
      at += 2;
      if (edges > edgeAt.length) {
        edgeAt = new int[edges];
      }
      for (int e = 0; e < edges; e++) {
        edgeAt[e] = at;
        at = skip(skip(skip(at))) + 4;
      }
      if (at + Sketches.INT8_HEADER_BYTES + 1 > b.length || b[at] != Sketches.INT8_FORMAT) {
        throw new SerializationException("corrupt sketch-repository value: no int8 sketch at " + at);
      }
      int8At = at;
      parsed = true;
    } catch (IndexOutOfBoundsException | BufferUnderflowException | IllegalArgumentException e) {
      throw new SerializationException("corrupt sketch-repository value: " + e.getMessage(), e);
    }
  }

  /** The offset after the u16-length string at {@code at}. */
  private int skip(final int at) {
    return at + 2 + Short.toUnsignedInt(buf.getShort(at));
  }

  /** The u16-length string at {@code at}. */
  private String string(final int at) {
    return new String(b, at + 2, Short.toUnsignedInt(buf.getShort(at)), StandardCharsets.UTF_8);
  }

  private boolean equalsAt(final int at, final byte[] utf8) {
    final int n = Short.toUnsignedInt(buf.getShort(at));
    return n == utf8.length && Arrays.equals(b, at + 2, at + 2 + n, utf8, 0, n);
  }
}
