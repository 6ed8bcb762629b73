package dev.rsk.processor;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The processor's Micrometer meters, shared by every task of one topology (thread-safe: Micrometer
 * meters and the pending counter are). Names (Prometheus adds {@code _total}/{@code _seconds}):
 * <ul>
 *   <li>{@code rsk.processor.events.in}: activation records read (including bad ones)</li>
 *   <li>{@code rsk.processor.duplicates}: identical redeliveries ignored</li>
 *   <li>{@code rsk.processor.sketches.out{complete=true|false}}: sketches written</li>
 *   <li>{@code rsk.processor.dlq{reason=...}}: records written to the DLQ, by {@link RejectReason}</li>
 *   <li>{@code rsk.processor.inferences.pending}: inferences assembled but not yet sketched</li>
 *   <li>{@code rsk.processor.event.to.sketch.latency}: from the record timestamp of the last event of
 *       an inference to the moment its sketch is written</li>
 * </ul>
 */
public final class ProcessorMetrics {
  public static final String EVENTS_IN = "rsk.processor.events.in";
  public static final String DUPLICATES = "rsk.processor.duplicates";
  public static final String SKETCHES_OUT = "rsk.processor.sketches.out";
  public static final String DLQ = "rsk.processor.dlq";
  public static final String PENDING = "rsk.processor.inferences.pending";
  public static final String LATENCY = "rsk.processor.event.to.sketch.latency";

  private final Counter eventsIn;
  private final Counter duplicates;
  private final Counter complete;
  private final Counter incomplete;
  private final Map<RejectReason, Counter> dlq = new EnumMap<>(RejectReason.class);
  private final AtomicLong pending = new AtomicLong();
  private final Timer latency;

  public ProcessorMetrics(final MeterRegistry registry) {
    eventsIn = Counter.builder(EVENTS_IN).description("Activation records read").register(registry);
    duplicates = Counter.builder(DUPLICATES).description("Identical redeliveries ignored").register(registry);
    complete = Counter.builder(SKETCHES_OUT).tag("complete", "true")
        .description("Sketches written").register(registry);
    incomplete = Counter.builder(SKETCHES_OUT).tag("complete", "false")
        .description("Sketches written").register(registry);
    for (final RejectReason r : RejectReason.values()) {
      dlq.put(r, dlqCounter(registry, r));
    }
    Gauge.builder(PENDING, pending, AtomicLong::get)
        .description("Inferences assembled but not yet sketched").register(registry);
    latency = Timer.builder(LATENCY)
        .description("Record timestamp of an inference's last event to its sketch being written")
        .publishPercentiles(0.5, 0.99)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofMinutes(10))
        .register(registry);
  }

  /**
   * The {@link #DLQ} counter of {@code reason} in {@code registry}: the very counter a {@code ProcessorMetrics}
   * on that registry increments (Micrometer returns the registered meter). For code that counts dead letters
   * without owning the processor's meters ({@link DlqProcessingExceptionHandler}): building a second
   * {@code ProcessorMetrics} there would re-register the pending gauge, which Micrometer ignores with a warning.
   */
  static Counter dlqCounter(final MeterRegistry registry, final RejectReason reason) {
    return Counter.builder(DLQ).tag("reason", reason.name())
        .description("Records written to the dead-letter topic").register(registry);
  }

  void eventIn() {
    eventsIn.increment();
  }

  void duplicate() {
    duplicates.increment();
  }

  void sketchOut(final boolean isComplete, final long latencyMs) {
    (isComplete ? complete : incomplete).increment();
    latency.record(Math.max(0, latencyMs), TimeUnit.MILLISECONDS);
  }

  void dlq(final RejectReason reason) {
    dlq.get(reason).increment();
  }

  void pendingDelta(final long delta) {
    pending.addAndGet(delta);
  }
}
