package dev.rsk.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/** The handler counts its dead letters in the topology's registry without registering the processor's meters again. */
class DlqProcessingExceptionHandlerTest {

  @Test
  void configureRegistersOnlyTheProcessingErrorCounter() {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final DlqProcessingExceptionHandler handler = new DlqProcessingExceptionHandler();
    handler.configure(Map.of(ProcessorConfig.METRICS_REGISTRY, registry));

    assertThat(registry.getMeters()).hasSize(1);
    final Meter.Id id = registry.getMeters().get(0).getId();
    assertThat(id.getName()).isEqualTo(ProcessorMetrics.DLQ);
    assertThat(id.getTag("reason")).isEqualTo("PROCESSING_ERROR");
    assertThat(registry.find(ProcessorMetrics.PENDING).gauge()).isNull();
  }

  @Test
  void anUnexpectedFailureIncrementsTheTopologysDlqCounter() {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new ProcessorMetrics(registry); // as the topology does, before Kafka Streams configures the handler
    final int meters = registry.getMeters().size();
    final DlqProcessingExceptionHandler handler = new DlqProcessingExceptionHandler();
    handler.configure(Map.of(ProcessorConfig.METRICS_REGISTRY, registry));
    assertThat(registry.getMeters()).hasSize(meters);

    handler.handleError(new Context(), new Record<>("k", "v", 0L), new IllegalStateException("bug"));
    handler.handleError(new Context(), new Record<>("k", "v", 0L), new IllegalStateException("bug"));

    assertThat(registry.get(ProcessorMetrics.DLQ).tags("reason", "PROCESSING_ERROR").counter().count())
        .isEqualTo(2.0);
    assertThat(registry.get(ProcessorMetrics.DLQ).tags("reason", "DESERIALIZATION").counter().count()).isZero();
  }

  /** The record being processed when the exception was thrown: activations-0@7. */
  private static final class Context implements ErrorHandlerContext {
    private final Headers headers = new RecordHeaders();

    @Override
    public String topic() {
      return "activations";
    }

    @Override
    public int partition() {
      return 0;
    }

    @Override
    public long offset() {
      return 7;
    }

    @Override
    public Headers headers() {
      return headers;
    }

    @Override
    public String processorNodeId() {
      return ProcessorTopology.PROCESSOR;
    }

    @Override
    public TaskId taskId() {
      return new TaskId(0, 0);
    }

    @Override
    public long timestamp() {
      return 0;
    }

    @Override
    public byte[] sourceRawKey() {
      return "k".getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] sourceRawValue() {
      return "v".getBytes(StandardCharsets.UTF_8);
    }
  }
}
