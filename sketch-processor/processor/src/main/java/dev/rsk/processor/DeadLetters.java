package dev.rsk.processor;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Headers of records on the dead-letter topic. The key and value are the original bytes, unchanged;
 * the original headers are kept and these are added. The {@code __streams.errors.*} names are the ones
 * Kafka Streams' own dead-letter support (KIP-1034) writes, so tools that read one read the other.
 */
public final class DeadLetters {
  /** Class name of the error ({@code dev.rsk.processor.RejectedActivation} for validation failures). */
  public static final String EXCEPTION = "__streams.errors.exception";
  /** Human-readable message: what was wrong with which object. */
  public static final String MESSAGE = "__streams.errors.message";
  /** Source topic, partition and offset of the original record. */
  public static final String TOPIC = "__streams.errors.topic";
  public static final String PARTITION = "__streams.errors.partition";
  public static final String OFFSET = "__streams.errors.offset";
  /** Stack trace, only for unexpected exceptions. */
  public static final String STACKTRACE = "__streams.errors.stacktrace";
  /** The {@link RejectReason} name. */
  public static final String REASON = "rsk.error.reason";

  /** Error class written for validation failures detected by the processor itself. */
  public static final String REJECTED_CLASS = "dev.rsk.processor.RejectedActivation";

  private DeadLetters() {}

  /** Adds the error headers to {@code headers} (mutated and returned). */
  static Headers addHeaders(final Headers headers, final String errorClass, final RejectReason reason,
      final String message, final String topic, final int partition, final long offset) {
    headers.remove(EXCEPTION).remove(MESSAGE).remove(TOPIC).remove(PARTITION).remove(OFFSET).remove(REASON);
    headers.add(EXCEPTION, utf8(errorClass));
    headers.add(MESSAGE, utf8(message == null ? "" : message));
    headers.add(TOPIC, utf8(topic == null ? "" : topic));
    headers.add(PARTITION, utf8(Integer.toString(partition)));
    headers.add(OFFSET, utf8(Long.toString(offset)));
    headers.add(REASON, utf8(reason.name()));
    return headers;
  }

  static Headers newHeaders(final Headers original) {
    return original == null ? new RecordHeaders() : new RecordHeaders(original.toArray());
  }

  /** The value of header {@code name} as UTF-8, or null. */
  public static String header(final Headers headers, final String name) {
    final var h = headers.lastHeader(name);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static byte[] utf8(final String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
