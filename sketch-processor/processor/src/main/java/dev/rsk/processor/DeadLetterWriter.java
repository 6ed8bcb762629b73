package dev.rsk.processor;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Writes records of one task to the dead-letter sink ({@link ProcessorTopology#DLQ_SINK}): the
 * original key and value bytes, the original headers plus the {@link DeadLetters} ones (error class,
 * message, source topic, partition, offset, reason), and counts each in {@code rsk.processor.dlq}.
 * Must be called from process or a punctuation (not from init: the sinks are initialised after the processor).
 */
final class DeadLetterWriter {
  private final ProcessorContext<Object, Object> context;
  private final String topic;
  private final int partition;
  private final ProcessorMetrics metrics;

  /** {@code topic} and {@code partition}: the source of the records, written in the headers. */
  DeadLetterWriter(final ProcessorContext<Object, Object> context, final String topic, final int partition,
      final ProcessorMetrics metrics) {
    this.context = context;
    this.topic = topic;
    this.partition = partition;
    this.metrics = metrics;
  }

  /** {@code record}, rejected by one of the processor's own checks (error class {@link DeadLetters#REJECTED_CLASS}). */
  void reject(final Record<byte[], byte[]> record, final long offset, final Rejection rejection) {
    write(record, offset, DeadLetters.REJECTED_CLASS, rejection.reason(), rejection.message());
  }

  /** {@code record} (read at {@code offset}), with the given error class, reason and message. */
  void write(final Record<byte[], byte[]> record, final long offset, final String errorClass,
      final RejectReason reason, final String message) {
    send(record.key(), record.value(), record.timestamp(), DeadLetters.newHeaders(record.headers()), errorClass,
        reason, message, offset);
  }

  /** Every object of {@code a}, when the inference as a whole was rejected (e.g. a cycle). */
  void rejectAll(final InferenceAssembly a, final RejectReason reason, final String errorClass,
      final String message) {
    for (final Member m : a.members()) {
      send(a.rawKey(), m.rawValue(), m.timestamp(), DeadLetters.newHeaders(null), errorClass, reason,
          "inference " + a.inferenceId() + " rejected: " + message, m.offset());
    }
  }

  /**
   * A pending-store entry that could not be read back (reason {@code DESERIALIZATION}): with the
   * original value, offset and timestamp when its layout was readable, else the stored bytes as they
   * are, offset -1 and timestamp {@code nowMs}. Key: the inference id (UTF-8), else the store key.
   */
  void unreadable(final PendingObjects.Unreadable u, final long nowMs) {
    final PendingCodec.Entry e = u.entry();
    final byte[] key = u.inferenceId() != null ? u.inferenceId().getBytes(StandardCharsets.UTF_8) : u.key().get();
    send(key, e != null ? e.rawValue() : u.storedValue(), e != null ? e.timestamp() : nowMs,
        DeadLetters.newHeaders(null), u.cause().getClass().getName(), RejectReason.DESERIALIZATION,
        "pending object of inference " + u.inferenceId() + " could not be read back from "
            + ProcessorTopology.PENDING_STORE + ": " + u.cause().getMessage(),
        e != null ? e.offset() : -1L);
  }

  private void send(final byte[] key, final byte[] value, final long timestamp, final Headers headers,
      final String errorClass, final RejectReason reason, final String message, final long offset) {
    DeadLetters.addHeaders(headers, errorClass, reason, message, topic, partition, offset);
    context.forward(new Record<>(key, value, timestamp, headers), ProcessorTopology.DLQ_SINK);
    metrics.dlq(reason);
  }
}
