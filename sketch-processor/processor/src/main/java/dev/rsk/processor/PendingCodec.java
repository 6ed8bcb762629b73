package dev.rsk.processor;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * The whole byte layout of the pending store ({@link ProcessorTopology#PENDING_STORE}), in one place:
 * one entry per received object of an inference that was still incomplete at a commit. All integers
 * are big-endian (as {@link ByteBuffer} writes them); strings are UTF-8.
 *
 * <p>Key (no version byte: a key must be rebuilt from {@code (inferenceId, objectId)} alone to delete
 * the entry, so a new key layout would need a new store name, not a new version):
 * <pre>
 * Byte  ||  0 .. 3            |  4 .. 3+n     |  4+n .. end        |
 *       ||  n: byte length of |  inferenceId  |  objectId          |
 *       ||  inferenceId (int) |  (n bytes)    |  (rest of the key) |
 * </pre>
 *
 * <p>Value, serial version 1 (what {@link #value} writes):
 * <pre>
 * Byte  ||    0    |    1 .. 8         |    9 .. 16     |    17 .. end                          |
 *       || SerVer  | record timestamp  | source offset  | original record value, as received     |
 *       ||  = 1    | (long, epoch ms)  | (long)         | (Confluent-framed Avro, kept unchanged |
 *       ||         |                   |                |  so the DLQ can forward it as it came) |
 * </pre>
 *
 * <p>Serial version 0 is the layout written before the version byte existed (read, never written, so
 * pending entries survive an upgrade):
 * <pre>
 * Byte  ||    0 .. 7         |    8 .. 15     |    16 .. end            |
 *       || record timestamp  | source offset  | original record value   |
 * </pre>
 * It is recognised by its first byte, the high byte of the timestamp: Kafka timestamps are
 * non-negative, so that byte is 0 below 2^56 ms (about two million years after 1970).
 *
 * <p>Error behaviour: decoding an entry that is too short or has any other version byte throws
 * {@link UnreadableEntryException}; nothing else is thrown. Stateless and thread-safe.
 */
final class PendingCodec {
  /** Serial version written by {@link #value}. */
  static final byte SERIAL_VERSION = 1;
  /** The layout before the version byte (read only). */
  static final byte LEGACY_VERSION = 0;

  private static final int SER_VER_BYTE = 0;
  private static final int TIMESTAMP_LONG_V1 = 1;
  private static final int OFFSET_LONG_V1 = 9;
  private static final int RAW_VALUE_V1 = 17;
  private static final int TIMESTAMP_LONG_V0 = 0;
  private static final int OFFSET_LONG_V0 = 8;
  private static final int RAW_VALUE_V0 = 16;
  private static final int KEY_LENGTH_INT = 4;

  private PendingCodec() {}

  /** A decoded value: where the original record came from and its bytes. */
  record Entry(long timestamp, long offset, byte[] rawValue) {}

  /** A pending-store key or value that this version cannot read. */
  static final class UnreadableEntryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnreadableEntryException(final String message) {
      super(message);
    }
  }

  static Bytes key(final String inferenceId, final String objectId) {
    final byte[] inf = inferenceId.getBytes(StandardCharsets.UTF_8);
    final byte[] obj = objectId.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(ByteBuffer.allocate(KEY_LENGTH_INT + inf.length + obj.length).putInt(inf.length).put(inf)
        .put(obj).array());
  }

  /** The inference id of a key; {@link UnreadableEntryException} if its length prefix does not fit. */
  static String inferenceId(final Bytes key) {
    final byte[] k = key.get();
    if (k.length < KEY_LENGTH_INT) {
      throw new UnreadableEntryException("pending-store key of " + k.length + " bytes, shorter than its "
          + KEY_LENGTH_INT + "-byte length prefix");
    }
    final int len = ByteBuffer.wrap(k).getInt(0);
    if (len < 0 || len > k.length - KEY_LENGTH_INT) {
      throw new UnreadableEntryException("pending-store key of " + k.length + " bytes announces an inference id"
          + " of " + len + " bytes");
    }
    return new String(k, KEY_LENGTH_INT, len, StandardCharsets.UTF_8);
  }

  /** The value for {@code m}, in serial version {@value #SERIAL_VERSION}. */
  static byte[] value(final Member m) {
    return ByteBuffer.allocate(RAW_VALUE_V1 + m.rawValue().length).put(SERIAL_VERSION).putLong(m.timestamp())
        .putLong(m.offset()).put(m.rawValue()).array();
  }

  /**
   * Decodes a value of serial version 1 (or the legacy version 0).
   *
   * @throws UnreadableEntryException if the version byte is unknown or the value is shorter than its header
   */
  static Entry decode(final byte[] value) {
    if (value == null || value.length == 0) {
      throw new UnreadableEntryException("empty pending-store value: no serial version byte");
    }
    final byte version = value[SER_VER_BYTE];
    final int header = switch (version) {
      case SERIAL_VERSION -> RAW_VALUE_V1;
      case LEGACY_VERSION -> RAW_VALUE_V0;
      default -> throw new UnreadableEntryException("pending-store value has serial version " + (version & 0xff)
          + "; this processor reads versions " + LEGACY_VERSION + " and " + SERIAL_VERSION
          + " (was it written by a newer release?)");
    };
    if (value.length < header) {
      throw new UnreadableEntryException("pending-store value of serial version " + version + " has "
          + value.length + " bytes, shorter than its " + header + "-byte header");
    }
    final ByteBuffer b = ByteBuffer.wrap(value);
    final int timestampAt = version == SERIAL_VERSION ? TIMESTAMP_LONG_V1 : TIMESTAMP_LONG_V0;
    final int offsetAt = version == SERIAL_VERSION ? OFFSET_LONG_V1 : OFFSET_LONG_V0;
    final byte[] raw = new byte[value.length - header];
    System.arraycopy(value, header, raw, 0, raw.length);
    return new Entry(b.getLong(timestampAt), b.getLong(offsetAt), raw);
  }
}
