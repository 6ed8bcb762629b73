package dev.rsk.stats;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * Keys of the {@link StatsStores#TIME_INDEX} store: 8 bytes of event time, sign bit flipped and
 * big-endian so that RocksDB's unsigned lexicographic order is time order, then the UTF-8 inference id.
 */
public final class TimeIndex {

  private TimeIndex() {}

  public static Bytes key(final long eventTime, final String inferenceId) {
    final byte[] id = inferenceId.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(ByteBuffer.allocate(8 + id.length).putLong(eventTime ^ Long.MIN_VALUE).put(id).array());
  }

  /** The smallest key at or after {@code eventTime} (for range scans). */
  public static Bytes lowerBound(final long eventTime) {
    return Bytes.wrap(ByteBuffer.allocate(8).putLong(eventTime ^ Long.MIN_VALUE).array());
  }

  public static long eventTime(final Bytes key) {
    return ByteBuffer.wrap(key.get()).getLong() ^ Long.MIN_VALUE;
  }

  public static String inferenceId(final Bytes key) {
    final byte[] k = key.get();
    return new String(k, 8, k.length - 8, StandardCharsets.UTF_8);
  }
}
