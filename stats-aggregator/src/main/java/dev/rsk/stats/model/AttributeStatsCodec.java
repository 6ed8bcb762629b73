package dev.rsk.stats.model;

import java.nio.ByteBuffer;
import org.apache.datasketches.kll.KllFloatsSketch;
import org.apache.datasketches.memory.Memory;
import org.apache.datasketches.quantilescommon.QuantilesFloatsSketchIterator;

/**
 * The byte layout of {@link AttributeStats} in the attribute-statistics stores and their changelogs. Big-endian.
 *
 * <pre>
 * size  field
 * 1     format = 5
 * 1     flags: bit 0 set when the KLL fields hold only the pinned observations and the other items are in the
 *       repository ({@link AttributeStats#repositoryItems()}); other bits 0
 * 4     attribute length k
 * 4     tracked dimensions t (at most k)
 * 4     KLL accuracy parameter
 * 8     observations, 8 estimated, 8 objects
 * 16 t  (sum, square) per tracked dimension, float64
 * ..    t KLL fields: a u16 n; n &lt; 65,535: the sketch is not compacted (it holds each of its n items once)
 *       and its n items follow as float32 (the KLL sketch's own item type), in the sketch's order; n =
 *       65,535: a compacted sketch, its DataSketches image follows (i32 length, then the bytes)
 * </pre>
 *
 * A KLL image costs a 20-byte preamble, its level array and min and max before the 4-byte items (DataSketches
 * 6.2 {@code KllFloatsSketch}; {@code KllDoublesSketch} would take 8 per item): a day's row of the demo's room
 * holds 7 or 8 observations per dimension, so the items alone halve it. A sketch rebuilt from its items is an
 * uncompacted sketch of the same items: every quantile, rank, min and max reads the same.
 *
 * <p>Earlier formats are read: format 4 (no flags byte: every item kept), format 3 (a KLL image per dimension), format
 * 2 (every dimension tracked, no t field) and format 1 (Welford moments of decoded means: its observations become
 * estimated ones, one object each). Anything else, or a cut image, is an {@link IllegalArgumentException}.
 */
final class AttributeStatsCodec {

  /** Format 1 held Welford moments of per-inference decoded means; read and converted. */
  static final byte FORMAT_1 = 1;
  static final byte FORMAT_2 = 2;
  static final byte FORMAT_3 = 3;
  /** Format 5 without the flags byte: every item kept. */
  static final byte FORMAT_4 = 4;
  static final byte FORMAT = 5;
  /** Flags bit: the items are in the repository. */
  static final int REPOSITORY_ITEMS = 1;
  /** The u16 item count that says a DataSketches image follows instead of items. */
  static final int IMAGE = 0xFFFF;

  private AttributeStatsCodec() {}

  static byte[] encode(final AttributeStats s) {
    final int t = s.trackedDimensions();
    final float[][] items = new float[t][];
    final byte[][] images = new byte[t][];
    int size = 1 + 1 + 4 + 4 + 4 + 3 * 8 + 16 * t;
    for (int i = 0; i < t; i++) {
      final KllFloatsSketch q = s.quantiles(i);
      if (!q.isEstimationMode() && q.getN() < IMAGE) {
        items[i] = items(q);
        size += 2 + 4 * items[i].length;
      } else {
        images[i] = q.toByteArray();
        size += 2 + 4 + images[i].length;
      }
    }
    final ByteBuffer buf = ByteBuffer.allocate(size);
    buf.put(FORMAT).put((byte) (s.repositoryItems() ? REPOSITORY_ITEMS : 0)).putInt(s.attributeLength()).putInt(t)
        .putInt(s.kllK()).putLong(s.observations()).putLong(s.estimated()).putLong(s.objects());
    for (int i = 0; i < t; i++) {
      buf.putDouble(s.sums()[i]).putDouble(s.squares()[i]);
    }
    for (int i = 0; i < t; i++) {
      if (items[i] != null) {
        buf.putShort((short) items[i].length);
        for (final float x : items[i]) {
          buf.putFloat(x);
        }
      } else {
        buf.putShort((short) IMAGE).putInt(images[i].length).put(images[i]);
      }
    }
    return buf.array();
  }

  /** The items of an uncompacted sketch (each of weight 1). */
  private static float[] items(final KllFloatsSketch q) {
    final float[] out = new float[(int) q.getN()];
    final QuantilesFloatsSketchIterator it = q.iterator();
    int i = 0;
    while (it.next()) {
      out[i++] = it.getQuantile();
    }
    if (i != out.length) {
      throw new IllegalStateException("uncompacted KLL sketch of n = " + out.length + " retains " + i + " items");
    }
    return out;
  }

  static AttributeStats decode(final byte[] bytes) {
    try {
      final ByteBuffer buf = ByteBuffer.wrap(bytes);
      final byte format = buf.get();
      if (format < FORMAT_1 || format > FORMAT) {
        throw new IllegalArgumentException("unknown attribute-stats format " + format);
      }
      final int flags = format == FORMAT ? buf.get() : 0;
      if ((flags & ~REPOSITORY_ITEMS) != 0) {
        throw new IllegalArgumentException("unknown attribute-stats flags " + flags);
      }
      final int k = buf.getInt();
      final int tracked = format >= FORMAT_3 ? buf.getInt() : k;
      final int kllK = buf.getInt();
      final AttributeStats s = new AttributeStats(k, tracked, kllK);
      if (s.trackedDimensions() != tracked) {
        throw new IllegalArgumentException("tracked dimensions " + tracked + " > attribute length " + k);
      }
      if (format != FORMAT_1) {
        s.counters(buf.getLong(), buf.getLong(), buf.getLong());
        for (int i = 0; i < tracked; i++) {
          s.sums()[i] = buf.getDouble();
          s.squares()[i] = buf.getDouble();
        }
      } else {
        final long n = buf.getLong();
        s.counters(n, n, n);
        for (int i = 0; i < tracked; i++) {
          final double mean = buf.getDouble();
          final double m2 = buf.getDouble();
          s.sums()[i] = n * mean;
          s.squares()[i] = m2 + n * mean * mean;
        }
      }
      for (int i = 0; i < tracked; i++) {
        s.quantiles(i, format >= FORMAT_4 ? quantiles(buf, kllK) : image(buf, buf.getInt()));
      }
      if ((flags & REPOSITORY_ITEMS) != 0) {
        s.itemsInRepository();
      }
      return s;
    } catch (RuntimeException e) {
      if (e instanceof IllegalArgumentException) {
        throw e;
      }
      throw new IllegalArgumentException("corrupt attribute-stats image: " + e, e);
    }
  }

  private static KllFloatsSketch quantiles(final ByteBuffer buf, final int kllK) {
    final int n = Short.toUnsignedInt(buf.getShort());
    if (n == IMAGE) {
      return image(buf, buf.getInt());
    }
    final KllFloatsSketch q = KllFloatsSketch.newHeapInstance(kllK);
    for (int i = 0; i < n; i++) {
      q.update(buf.getFloat());
    }
    return q;
  }

  private static KllFloatsSketch image(final ByteBuffer buf, final int length) {
    final byte[] image = new byte[length];
    buf.get(image);
    return KllFloatsSketch.heapify(Memory.wrap(image));
  }
}
