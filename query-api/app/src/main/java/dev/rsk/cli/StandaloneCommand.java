package dev.rsk.cli;

import dev.rsk.api.server.StatsServer;
import dev.rsk.processor.ProcessorRunner;
import dev.rsk.standalone.StandaloneApi;
import dev.rsk.standalone.StandaloneOptions;
import dev.rsk.standalone.StandaloneProcessor;
import dev.rsk.standalone.StandaloneStack;
import dev.rsk.stats.StatsConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rsk standalone}: broker, schema registry, topics, sketch processor and stats + query API in one JVM,
 * for external producers; runs until Ctrl-C (or SIGTERM), which stops everything cleanly. Exit code 1 if the stack
 * cannot start.
 */
@Command(name = "standalone", mixinStandardHelpOptions = true,
    description = "Run the standalone stack (in-process Kafka, schema registry, processor, stats + HTTP API)"
        + " until Ctrl-C.")
public final class StandaloneCommand implements Callable<Integer> {

  /** Banner label of the broker's address (docs/foundation.md); {@code rsk soak} reads the port after it. */
  static final String BOOTSTRAP_LABEL = "  bootstrap.servers   ";
  /** Banner label of the registry's URL. */
  static final String REGISTRY_LABEL = "  schema.registry.url ";
  /** Banner label of the query API's URL. */
  static final String API_LABEL = "  query API           ";

  @Option(names = "--kafka-port", defaultValue = "" + StandaloneOptions.DEFAULT_KAFKA_PORT,
      description = "Kafka broker port, 0 = any free port (default: ${DEFAULT-VALUE}).")
  int kafkaPort;

  @Option(names = "--registry-port", defaultValue = "" + StandaloneOptions.DEFAULT_REGISTRY_PORT,
      description = "Schema registry port, 0 = any free port (default: ${DEFAULT-VALUE}).")
  int registryPort;

  @Option(names = "--http-port", defaultValue = "" + StandaloneOptions.DEFAULT_HTTP_PORT,
      description = "Query API port, 0 = any free port (default: ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(names = "--data-dir", defaultValue = "data",
      description = "Directory for Kafka logs and state; reuse it to keep data across restarts"
          + " (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--partitions", defaultValue = "" + StandaloneOptions.DEFAULT_PARTITIONS,
      description = "Partitions of each topic created (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--activations-topic", defaultValue = StandaloneOptions.DEFAULT_ACTIVATIONS_TOPIC,
      description = "Topic of ModuleActivation events (default: ${DEFAULT-VALUE}).")
  String activationsTopic;

  @Option(names = "--sketches-topic", defaultValue = StandaloneOptions.DEFAULT_SKETCHES_TOPIC,
      description = "Topic of InferenceSketch records (default: ${DEFAULT-VALUE}).")
  String sketchesTopic;

  @Option(names = "--dlq-topic", defaultValue = StandaloneOptions.DEFAULT_DLQ_TOPIC,
      description = "Dead-letter topic (default: ${DEFAULT-VALUE}).")
  String dlqTopic;

  @Option(names = "--log-file",
      description = "Log file (default: <data-dir>/rsk.log). The console shows progress and warnings only.")
  Path logFile;

  /** The options as given on the command line. */
  StandaloneOptions options() {
    return new StandaloneOptions(dataDir, kafkaPort, registryPort, httpPort, activationsTopic, sketchesTopic,
        dlqTopic, partitions);
  }

  @Override
  public Integer call() throws InterruptedException {
    final long t0 = System.nanoTime();
    final StandaloneStack stack;
    try {
      final StandaloneOptions options = options();
      final Path log = LogFile.redirect(logFile != null ? logFile : options.dataDir().resolve("rsk.log"));
      System.err.println("rsk standalone: logs in " + log);
      System.err.println("rsk standalone: starting Kafka and the schema registry (data in "
          + options.dataDir().toAbsolutePath() + ")...");
      stack = StandaloneStack.start(options);
    } catch (RuntimeException e) {
      System.err.println("rsk standalone: cannot start: " + e.getMessage());
      return 1;
    }
    final StatsServer api;
    final ProcessorRunner processor;
    try {
      api = StandaloneApi.attach(stack);
      // The processor's metrics join the API's /metrics.
      processor = StandaloneProcessor.attach(stack, api.registry());
    } catch (RuntimeException e) {
      // the broker and registry are up: stop them (and any part already attached) before exiting
      System.err.println("rsk standalone: cannot start the query API or the sketch processor: " + e.getMessage());
      stack.close();
      return 1;
    }
    final CountDownLatch stopped = new CountDownLatch(1);
    final StandaloneProgress progress = StandaloneProgress.start(stack, api.registry(), new ProgressLine(System.err));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      progress.close();
      System.err.println();
      System.err.println("rsk standalone: stopping...");
      stack.close();
      System.err.println("rsk standalone: stopped.");
      stopped.countDown();
    }, "rsk-standalone-shutdown"));
    printBanner(System.out, stack);
    System.out.println(API_LABEL + api.url() + "  (docs/api.md, " + api.url() + "/openapi.json)");
    System.out.println("  console             " + api.url() + "/");
    System.out.flush();
    printReady(api, processor, t0);
    stopped.await();
    return 0;
  }

  /**
   * Waits (at most {@link StandaloneProcessor#READY_TIMEOUT}) until the processor and the API's topology
   * are RUNNING and prints how long after the start of this command: the restart time of docs/foundation.md.
   */
  private static void printReady(final StatsServer api, final ProcessorRunner processor, final long t0)
      throws InterruptedException {
    final long deadline = System.nanoTime() + StandaloneProcessor.READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (api.streams().state() == KafkaStreams.State.RUNNING && processor.awaitReady(Duration.ZERO)) {
        System.out.printf("rsk standalone: ready (processor and API running) %.1f s after start%n",
            (System.nanoTime() - t0) / 1e9);
        System.out.flush();
        return;
      }
      Thread.sleep(100);
    }
    System.out.println("rsk standalone: not ready after " + StandaloneProcessor.READY_TIMEOUT + "; still trying");
  }

  static void printBanner(final PrintStream out, final StandaloneStack stack) {
    final StandaloneOptions o = stack.options();
    out.println("rsk standalone is up");
    out.println(BOOTSTRAP_LABEL + stack.bootstrapServers());
    out.println(REGISTRY_LABEL + stack.registryUrl());
    out.println("  topics              " + o.activationsTopic() + ", " + o.sketchesTopic() + ", " + o.dlqTopic()
        + ", " + StatsConfig.defaultDlqTopic(o.sketchesTopic()) + " (" + o.partitions() + " partitions each)");
    out.println("  schemas             " + o.activationsTopic() + "-value (ModuleActivation), "
        + o.sketchesTopic() + "-value (InferenceSketch)");
    out.println("  data                " + o.dataDir().toAbsolutePath());
    out.println("Press Ctrl-C to stop.");
    out.flush();
  }
}
