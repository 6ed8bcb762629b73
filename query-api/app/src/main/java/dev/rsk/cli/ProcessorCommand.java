package dev.rsk.cli;

import dev.rsk.processor.ProcessorConfig;
import dev.rsk.processor.ProcessorRunner;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rsk processor --config F}: the sketch processor against an existing Kafka and schema registry.
 * Settings come from the properties file, overridden by {@code RSK_*} environment variables (see
 * docs/processor.md). Runs until SIGTERM / Ctrl-C, then closes within {@code rsk.close.timeout.ms}.
 * Exit codes: 0 after a requested stop, 1 if the processor stopped by itself (fatal error), 2 for a bad
 * or unreadable configuration.
 */
@Command(name = "processor", mixinStandardHelpOptions = true,
    description = "Run the sketch processor (activations -> sketches) against an existing Kafka and registry.")
public final class ProcessorCommand implements Callable<Integer> {

  @Option(names = "--config", required = true,
      description = "Properties file: rsk.* settings and kafka.* (or plain) Kafka / Streams / registry properties.")
  Path config;

  @Spec CommandSpec spec;

  @Option(names = "--http-port", defaultValue = "-1",
      description = "Serve /ready, /health and /metrics (Prometheus) on this port; -1 = off, 0 = any free port"
          + " (default: ${DEFAULT-VALUE}).")
  int httpPort;

  /** Counted down by the shutdown hook (SIGTERM, Ctrl-C); tests count it down directly. */
  final CountDownLatch stopRequested = new CountDownLatch(1);
  /** The status endpoint while running with {@code --http-port}. */
  volatile StatusServer status;

  @Override
  public Integer call() throws Exception {
    final ProcessorConfig processorConfig;
    try {
      processorConfig = ProcessorConfig.fromProperties(ConfigFile.load(config), System.getenv());
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("rsk processor: bad configuration: " + e.getMessage());
      return 2;
    }
    final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final ProcessorRunner runner = ProcessorRunner.start(processorConfig, meters);
    if (httpPort >= 0) {
      status = StatusServer.start(httpPort, runner::isReady, meters::scrape);
      System.err.println("rsk processor: status on http://localhost:" + status.port() + "/ready");
    }
    final CountDownLatch closed = new CountDownLatch(1);
    final long closeWaitMs = processorConfig.closeTimeout().toMillis() + 5_000;
    // The hook only signals and waits: the JVM exits when hooks return, so the close happens below.
    final Thread hook = new Thread(() -> {
      stopRequested.countDown();
      try {
        closed.await(closeWaitMs, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "rsk-processor-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    int exit = 0;
    try {
      while (!stopRequested.await(1, TimeUnit.SECONDS)) {
        if (runner.awaitStopped(Duration.ZERO)) {
          System.err.println("rsk processor: Kafka Streams stopped (" + runner.streams().state() + "); exiting");
          exit = 1;
          break;
        }
      }
    } finally {
      if (status != null) {
        status.close();
      }
      runner.close();
      closed.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // Shutting down already: the hook is running.
      }
    }
    return exit;
  }
}
