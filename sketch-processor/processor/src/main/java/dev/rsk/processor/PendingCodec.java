package dev.rsk.processor;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * Layout of the pending store: one entry per received object of an inference that was still
 * incomplete at a commit. Key: 4-byte length of the UTF-8 inference id, the id, the UTF-8 object id.
 * Value: 8-byte record timestamp, 8-byte source offset, then the original record value bytes
 * (Confluent-framed Avro, kept as received so the DLQ can still forward them unchanged).
 */
final class PendingCodec {
  private static final int VALUE_HEADER = 16;

  private PendingCodec() {}

  static Bytes key(final String inferenceId, final String objectId) {
    final byte[] inf = inferenceId.getBytes(StandardCharsets.UTF_8);
    final byte[] obj = objectId.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(ByteBuffer.allocate(4 + inf.length + obj.length).putInt(inf.length).put(inf).put(obj).array());
  }

  static String inferenceId(final Bytes key) {
    final ByteBuffer b = ByteBuffer.wrap(key.get());
    final int len = b.getInt();
    return new String(key.get(), 4, len, StandardCharsets.UTF_8);
  }

  static byte[] value(final Member m) {
    return ByteBuffer.allocate(VALUE_HEADER + m.rawValue().length).putLong(m.timestamp()).putLong(m.offset())
        .put(m.rawValue()).array();
  }

  static long timestamp(final byte[] value) {
    return ByteBuffer.wrap(value).getLong(0);
  }

  static long offset(final byte[] value) {
    return ByteBuffer.wrap(value).getLong(8);
  }

  static byte[] rawValue(final byte[] value) {
    final byte[] raw = new byte[value.length - VALUE_HEADER];
    System.arraycopy(value, VALUE_HEADER, raw, 0, raw.length);
    return raw;
  }
}
