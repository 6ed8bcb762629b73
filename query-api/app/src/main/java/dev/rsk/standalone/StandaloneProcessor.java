package dev.rsk.standalone;

import dev.rsk.processor.ProcessorConfig;
import dev.rsk.processor.ProcessorRunner;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Runs the sketch processor on a {@link StandaloneStack}: its broker, registry and topics, Kafka
 * Streams state under {@code <dataDir>/processor}, the default sketch spec and limits. Attached to the
 * stack, so closing the stack closes it first.
 */
public final class StandaloneProcessor {
  /** Longest wait for the processor to reach RUNNING before {@link #attach} gives up waiting (it keeps starting). */
  public static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private StandaloneProcessor() {}

  /** The processor configuration for {@code stack}. */
  public static ProcessorConfig config(final StandaloneStack stack) {
    final StandaloneOptions o = stack.options();
    final ProcessorConfig.Builder b = ProcessorConfig.builder();
    FastRestart.kafka(o.dataDir(), "processor").forEach(b::kafka);
    return b
        .activationsTopic(o.activationsTopic())
        .sketchesTopic(o.sketchesTopic())
        .dlqTopic(o.dlqTopic())
        .kafka(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers())
        .kafka("schema.registry.url", stack.registryUrl())
        .kafka(StreamsConfig.STATE_DIR_CONFIG, o.dataDir().resolve("processor").toAbsolutePath().toString())
        .build();
  }

  /**
   * Starts the processor (after deleting the task state an unclean stop left, {@link UncleanState}), attaches it to
   * the stack and waits (bounded) until it is RUNNING.
   */
  public static ProcessorRunner attach(final StandaloneStack stack, final MeterRegistry meters)
      throws InterruptedException {
    final ProcessorConfig config = config(stack);
    UncleanState.wipe(config.streamsProperties());
    final ProcessorRunner runner = ProcessorRunner.start(config, meters);
    stack.attach(new CleanStop(runner, runner::streams, config.streamsProperties()));
    if (!runner.awaitReady(READY_TIMEOUT)) {
      System.err.println("rsk standalone: the sketch processor is not RUNNING after " + READY_TIMEOUT
          + "; it keeps trying (see the log)");
    }
    return runner;
  }
}
