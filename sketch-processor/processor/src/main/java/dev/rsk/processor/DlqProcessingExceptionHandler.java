package dev.rsk.processor;

import dev.rsk.registry.RegistryUnavailableException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Safety net for exceptions the processor did not expect (a bug, an engine failure): the record that
 * was being processed goes to the DLQ with its original bytes (KIP-1034's {@code Response.resume} with
 * dead-letter records, written in the same transaction) and reason {@code PROCESSING_ERROR}, and
 * processing continues. Infrastructure failures that a retry can fix (schema registry unreachable,
 * retriable Kafka errors) are not bad input: the handler answers {@code fail} so the stream thread is
 * replaced and the record reprocessed from the last commit, never dead-lettered.
 *
 * <p>Configured by {@link ProcessorConfig#streamsProperties()}; reads the DLQ topic from
 * {@value ProcessorConfig#DLQ_TOPIC}.
 */
public final class DlqProcessingExceptionHandler implements ProcessingExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(DlqProcessingExceptionHandler.class);

  private String dlqTopic = "activations-dlq";
  private Counter processingErrors;

  @Override
  public void configure(final Map<String, ?> configs) {
    final Object topic = configs.get(ProcessorConfig.DLQ_TOPIC);
    if (topic != null) {
      dlqTopic = topic.toString();
    }
    // Only the one counter, not a second ProcessorMetrics: Micrometer returns the counter the topology's
    // ProcessorMetrics registered already, and the topology's pending gauge is not registered twice.
    if (configs.get(ProcessorConfig.METRICS_REGISTRY) instanceof MeterRegistry registry) {
      processingErrors = ProcessorMetrics.dlqCounter(registry, RejectReason.PROCESSING_ERROR);
    }
  }

  @Override
  public Response handleError(final ErrorHandlerContext context, final Record<?, ?> record,
      final Exception exception) {
    if (isTransient(exception)) {
      LOG.warn("Transient failure processing {}-{}@{}; the thread will be replaced and the record retried",
          context.topic(), context.partition(), context.offset(), exception);
      return Response.fail();
    }
    LOG.error("Unexpected failure processing {}-{}@{}; the record goes to {}", context.topic(),
        context.partition(), context.offset(), dlqTopic, exception);
    final var headers = DeadLetters.newHeaders(context.headers());
    DeadLetters.addHeaders(headers, exception.getClass().getName(), RejectReason.PROCESSING_ERROR,
        String.valueOf(exception.getMessage()), context.topic(), context.partition(), context.offset());
    final StringWriter trace = new StringWriter();
    exception.printStackTrace(new PrintWriter(trace));
    headers.add(DeadLetters.STACKTRACE, trace.toString().getBytes(StandardCharsets.UTF_8));
    if (processingErrors != null) {
      processingErrors.increment();
    }
    return Response.resume(List.of(new ProducerRecord<>(dlqTopic, null, context.timestamp(),
        context.sourceRawKey(), context.sourceRawValue(), headers)));
  }

  static boolean isTransient(final Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof RegistryUnavailableException || t instanceof RetriableException) {
        return true;
      }
    }
    return false;
  }
}
