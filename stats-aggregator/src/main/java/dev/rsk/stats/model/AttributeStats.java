package dev.rsk.stats.model;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.datasketches.kll.KllFloatsSketch;
import org.apache.datasketches.memory.Memory;

/**
 * Running statistics of a module's attribute vectors: count, mean and variance per dimension
 * (Welford, merged with Chan's formula) and a KLL quantile sketch per dimension (Apache DataSketches).
 *
 * <p>Each observation is one inference's estimated mean attribute vector of the module, decoded from
 * its sketch, so the spread includes the sketch's readout noise (see docs/api.md). KLL rank error for
 * the default k = 200 is about 1.33% (99% confidence, DataSketches' single-sided bound).
 *
 * <p>Mutable, not thread-safe: one instance per update in the processor, or per merge in a query.
 */
public final class AttributeStats {

  /** Default KLL accuracy parameter. */
  public static final int DEFAULT_KLL_K = 200;

  private static final byte FORMAT = 1;

  private final int k;
  private final int kllK;
  private long n;
  private final double[] mean;
  private final double[] m2;
  private final KllFloatsSketch[] quantiles;

  public AttributeStats(final int attributeLength, final int kllK) {
    this.k = attributeLength;
    this.kllK = kllK;
    this.mean = new double[attributeLength];
    this.m2 = new double[attributeLength];
    this.quantiles = new KllFloatsSketch[attributeLength];
    for (int i = 0; i < attributeLength; i++) {
      quantiles[i] = KllFloatsSketch.newHeapInstance(kllK);
    }
  }

  public int attributeLength() {
    return k;
  }

  public long count() {
    return n;
  }

  public double mean(final int dim) {
    return mean[dim];
  }

  /** Sample variance (n - 1 denominator); 0 for fewer than 2 observations. */
  public double variance(final int dim) {
    return n > 1 ? m2[dim] / (n - 1) : 0.0;
  }

  public KllFloatsSketch quantiles(final int dim) {
    return quantiles[dim];
  }

  /** Adds one observation (length must equal the attribute length; finite values). */
  public void add(final double[] x) {
    if (x.length != k) {
      throw new IllegalArgumentException("observation length " + x.length + " != " + k);
    }
    n++;
    for (int i = 0; i < k; i++) {
      final double delta = x[i] - mean[i];
      mean[i] += delta / n;
      m2[i] += delta * (x[i] - mean[i]);
      quantiles[i].update((float) x[i]);
    }
  }

  /** Merges {@code other} into this (Chan et al. parallel variance; KLL merge). */
  public void merge(final AttributeStats other) {
    if (other.k != k) {
      throw new IllegalArgumentException("attribute length " + other.k + " != " + k);
    }
    if (other.n == 0) {
      return;
    }
    final long total = n + other.n;
    for (int i = 0; i < k; i++) {
      final double delta = other.mean[i] - mean[i];
      mean[i] += delta * other.n / total;
      m2[i] += other.m2[i] + delta * delta * ((double) n * other.n / total);
      quantiles[i].merge(other.quantiles[i]);
    }
    n = total;
  }

  /** Binary form: format, k, kllK, n, mean[], m2[], then length-prefixed KLL images per dimension. */
  public byte[] toBytes() {
    final byte[][] images = new byte[k][];
    int size = 1 + 4 + 4 + 8 + 16 * k;
    for (int i = 0; i < k; i++) {
      images[i] = quantiles[i].toByteArray();
      size += 4 + images[i].length;
    }
    final ByteBuffer buf = ByteBuffer.allocate(size);
    buf.put(FORMAT).putInt(k).putInt(kllK).putLong(n);
    for (int i = 0; i < k; i++) {
      buf.putDouble(mean[i]).putDouble(m2[i]);
    }
    for (final byte[] image : images) {
      buf.putInt(image.length).put(image);
    }
    return buf.array();
  }

  /** Reads {@link #toBytes()}; throws IllegalArgumentException on a foreign or corrupt image. */
  public static AttributeStats fromBytes(final byte[] bytes) {
    try {
      final ByteBuffer buf = ByteBuffer.wrap(bytes);
      final byte format = buf.get();
      if (format != FORMAT) {
        throw new IllegalArgumentException("unknown attribute-stats format " + format);
      }
      final int k = buf.getInt();
      final int kllK = buf.getInt();
      final AttributeStats s = new AttributeStats(k, kllK);
      s.n = buf.getLong();
      for (int i = 0; i < k; i++) {
        s.mean[i] = buf.getDouble();
        s.m2[i] = buf.getDouble();
      }
      for (int i = 0; i < k; i++) {
        final byte[] image = new byte[buf.getInt()];
        buf.get(image);
        s.quantiles[i] = KllFloatsSketch.heapify(Memory.wrap(image));
      }
      return s;
    } catch (RuntimeException e) {
      if (e instanceof IllegalArgumentException) {
        throw e;
      }
      throw new IllegalArgumentException("corrupt attribute-stats image: " + e, e);
    }
  }

  @Override
  public String toString() {
    return "AttributeStats{k=" + k + ", n=" + n + ", mean=" + Arrays.toString(mean) + "}";
  }
}
