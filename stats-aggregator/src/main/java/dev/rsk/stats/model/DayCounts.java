package dev.rsk.stats.model;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Exact counts per hour of one UTC day, {@code width} counters per hour (1: inferences; 2: inferences with a
 * module and its objects), kept in one row so a year of hourly counts is 365 rows per key and partition.
 *
 * <pre>
 * byte 0     format = 1
 * byte 1     width w (1 or 2)
 * bytes 2-5  big-endian mask: bit h set when hour h has a non-zero counter
 * then       for each set hour, ascending: w zigzag varints
 * </pre>
 *
 * A day of the demo's counts is 10 to 60 bytes. Mutable, not thread-safe.
 */
public final class DayCounts {

  public static final byte FORMAT = 1;
  public static final int HOURS = 24;

  private final int width;
  private final long[] counts;

  public DayCounts(final int width) {
    if (width < 1 || width > 2) {
      throw new IllegalArgumentException("width must be 1 or 2: " + width);
    }
    this.width = width;
    this.counts = new long[HOURS * width];
  }

  public int width() {
    return width;
  }

  /** Counter {@code column} of hour {@code hour} (0-23). */
  public long get(final int hour, final int column) {
    return counts[hour * width + column];
  }

  public void add(final int hour, final int column, final long delta) {
    counts[hour * width + column] += delta;
  }

  /** Whether any counter of {@code hour} is non-zero. */
  public boolean present(final int hour) {
    for (int c = 0; c < width; c++) {
      if (counts[hour * width + c] != 0) {
        return true;
      }
    }
    return false;
  }

  /** Receives the hours of a day row. */
  public interface HourVisitor {
    void visit(long hourStart, DayCounts day, int hourOfDay);
  }

  /** Visits the hours with a non-zero counter whose start (this row starting at {@code dayStart}) is in [from, to). */
  public void forEachHour(final long dayStart, final long fromMs, final long toMs, final HourVisitor f) {
    for (int h = 0; h < HOURS; h++) {
      final long hour = dayStart + h * 3_600_000L;
      if (hour >= fromMs && hour < toMs && present(h)) {
        f.visit(hour, this, h);
      }
    }
  }

  /** Adds {@code other} (same width) into this. */
  public DayCounts plus(final DayCounts other) {
    if (other.width != width) {
      throw new IllegalArgumentException("width " + other.width + " != " + width);
    }
    for (int i = 0; i < counts.length; i++) {
      counts[i] += other.counts[i];
    }
    return this;
  }

  public byte[] toBytes() {
    final ByteArrayOutputStream out = new ByteArrayOutputStream(6 + HOURS * width * 2);
    int mask = 0;
    for (int h = 0; h < HOURS; h++) {
      if (present(h)) {
        mask |= 1 << h;
      }
    }
    out.write(FORMAT);
    out.write(width);
    out.writeBytes(ByteBuffer.allocate(4).putInt(mask).array());
    for (int h = 0; h < HOURS; h++) {
      if ((mask & (1 << h)) != 0) {
        for (int c = 0; c < width; c++) {
          long z = (counts[h * width + c] << 1) ^ (counts[h * width + c] >> 63);
          while ((z & ~0x7FL) != 0) {
            out.write((int) ((z & 0x7F) | 0x80));
            z >>>= 7;
          }
          out.write((int) z);
        }
      }
    }
    return out.toByteArray();
  }

  /** Reads {@link #toBytes()}; IllegalArgumentException on a foreign or corrupt image. */
  public static DayCounts fromBytes(final byte[] bytes) {
    if (bytes.length < 6 || bytes[0] != FORMAT) {
      throw new IllegalArgumentException("unknown day-counts format " + (bytes.length > 0 ? bytes[0] : -1));
    }
    final DayCounts d = new DayCounts(bytes[1]);
    final int mask = ByteBuffer.wrap(bytes, 2, 4).getInt();
    int pos = 6;
    for (int h = 0; h < HOURS; h++) {
      if ((mask & (1 << h)) != 0) {
        for (int c = 0; c < d.width; c++) {
          long z = 0;
          int shift = 0;
          byte b;
          do {
            if (pos >= bytes.length || shift > 63) {
              throw new IllegalArgumentException("truncated day-counts image");
            }
            b = bytes[pos++];
            z |= (long) (b & 0x7F) << shift;
            shift += 7;
          } while ((b & 0x80) != 0);
          d.counts[h * d.width + c] = (z >>> 1) ^ -(z & 1);
        }
      }
    }
    return d;
  }

  @Override
  public boolean equals(final Object o) {
    return o instanceof DayCounts other && other.width == width && Arrays.equals(other.counts, counts);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(counts) * 31 + width;
  }
}
