package dev.rsk.cli;

import dev.rsk.api.client.RskClient;
import dev.rsk.api.server.ServerConfig;
import dev.rsk.api.server.SketchesPurge;
import dev.rsk.api.server.StatsServer;
import dev.rsk.processor.ProcessorConfig;
import dev.rsk.processor.ProcessorRunner;
import dev.rsk.sketch.SketchException;
import dev.rsk.sketch.SketchSpec;
import org.apache.kafka.streams.StreamsConfig;
import dev.rsk.demo.Check;
import dev.rsk.demo.DemoQuestions;
import dev.rsk.sim.GroundTruth;
import dev.rsk.sim.Plant;
import dev.rsk.stats.concepts.ConceptParams;
import dev.rsk.sim.SimulationConfig;
import dev.rsk.standalone.FastRestart;
import dev.rsk.standalone.StandaloneApi;
import dev.rsk.standalone.StandaloneOptions;
import dev.rsk.standalone.StandaloneStack;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rsk demo}: the standalone stack plus the room simulator; shows progress while publishing and processing,
 * then the answers to the seed questions read from the HTTP API beside the ground truth, then leaves the API
 * running. With {@code --exit}: exit code 0 iff every answer agrees with the truth within its stated tolerance,
 * 1 if one does not, 2 if the stack did not start or did not process everything in time, 3 if {@code --data-dir}
 * already holds data.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Standalone stack + a simulated year of a camera watching a room; answers beside the truth.")
public final class DemoCommand implements Callable<Integer> {

  /** Exit code when an answer is outside its tolerance. */
  static final int EXIT_WRONG_ANSWER = 1;
  /** Exit code when the stack did not start, or did not process every inference within {@code --timeout}. */
  static final int EXIT_STACK = 2;
  /** Parent of temporary data directories and their logs: not /tmp, which the OS may clean. */
  static final Path CACHE = Path.of(System.getProperty("user.home"), ".cache", "rsk");
  /**
   * Shortest demo that plants a party by default: a warm-up of 3 days before it and 3 party evenings (a concept
   * needs 12 members within 30 h; docs/concepts.md).
   */
  static final int MIN_PLANT_DAYS = 7;
  /** Exit code for a data directory that already holds data. */
  static final int EXIT_USAGE = 3;

  @Option(names = "--days", defaultValue = "" + SimulationConfig.DEFAULT_DAYS,
      description = "Days to simulate (default: ${DEFAULT-VALUE}).")
  int days;

  @Option(names = "--interval-minutes", defaultValue = "" + SimulationConfig.DEFAULT_INTERVAL_MINUTES,
      description = "Minutes between two inferences (default: ${DEFAULT-VALUE}).")
  int intervalMinutes;

  @Option(names = "--seed", defaultValue = "" + SimulationConfig.DEFAULT_SEED,
      description = "Simulation seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--plant", paramLabel = "KIND@DAY[:FROM-TO]",
      description = "The new kind of scene the concept question looks for (default: party@<11/20 of --days>, 20-24 h,"
          + " from 7 days on; none for a shorter demo; 'none' for none). See rsk simulate --plant.")
  String plant;

  @Option(names = "--exit", description = "Exit after the answers: 0 iff every answer is within its tolerance.")
  boolean exit;

  @Option(names = "--data-dir",
      description = "Data directory (default: a fresh directory under ~/.cache/rsk, deleted when the demo stops;"
          + " not under /tmp, which the OS may clean under Kafka Streams' state).")
  Path dataDir;

  @Option(names = "--log-file",
      description = "Log file (default: <data-dir>/rsk.log, or ~/.cache/rsk/<demo-dir>.log beside a temporary "
          + "data directory, so it outlives it). The console shows progress and warnings only.")
  Path logFile;

  @Option(names = "--http-port", defaultValue = "" + StandaloneOptions.DEFAULT_HTTP_PORT,
      description = "HTTP API port, 0 for any free port (default: ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(names = "--kafka-port", defaultValue = "0", description = "Kafka port (default: any free port).")
  int kafkaPort;

  @Option(names = "--registry-port", defaultValue = "0", description = "Schema registry port (default: any free port).")
  int registryPort;

  @Option(names = "--sketch-d",
      description = "Sketch dimension d of the processor (default: the processor's, 1024). Larger is more accurate "
          + "(errors shrink as 1/sqrt(d)) and costs proportionally more CPU and storage.")
  Integer sketchD;

  @Option(names = "--timeout", defaultValue = "PT10M",
      description = "Longest wait for every inference to be processed and queryable (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() throws Exception {
    final PrintStream out = System.out;
    final Plant planted;
    try {
      planted = "none".equalsIgnoreCase(plant) ? null
          : plant != null ? Plant.parse(plant)
          : days >= MIN_PLANT_DAYS ? new Plant(Plant.PARTY, days * 11 / 20, 20, 24) : null;
    } catch (final IllegalArgumentException e) {
      System.err.println("rsk demo: " + e.getMessage());
      return EXIT_USAGE;
    }
    final SimulationConfig sim;
    final SketchSpec spec;
    try {
      sim = SimulationConfig.defaults().withDays(days).withIntervalMinutes(intervalMinutes).withSeed(seed)
          .withPlant(planted);
      spec = sketchD == null ? null : SketchSpec.defaults().withD(sketchD); // checked before anything starts
    } catch (final IllegalArgumentException | SketchException e) {
      System.err.println("rsk demo: " + e.getMessage());
      return EXIT_USAGE;
    }
    // The concept warm-up (the baseline) ends at the plant, or after the server's default if that is sooner.
    final Duration warmup = planted == null ? ConceptParams.DEFAULT_WARMUP
        : Duration.ofDays(Math.max(1, Math.min(ConceptParams.DEFAULT_WARMUP.toDays(), planted.day())));
    final boolean temporary = dataDir == null;
    if (!temporary && Files.isDirectory(dataDir.resolve("kafka"))) {
      // Publishing the same simulation twice would count every inference twice.
      System.err.println("rsk demo: " + dataDir + " already holds a stack's data; give a fresh --data-dir "
          + "(or none for a temporary one)");
      return EXIT_USAGE;
    }
    final Path dir = temporary ? Files.createTempDirectory(Files.createDirectories(CACHE), "demo-") : dataDir;
    final Path log = LogFile.redirect(logFile != null ? logFile
        : temporary ? dir.resolveSibling(dir.getFileName() + ".log") : dir.resolve("rsk.log"));
    final StandaloneOptions options = StandaloneOptions.defaults().withDataDir(dir)
        .withPorts(kafkaPort, registryPort, httpPort);
    out.printf("rsk demo: a camera watching a living room for %d days, one inference every %d minutes "
        + "(%,d inferences, seed %d)%s%n", days, intervalMinutes, sim.inferenceCount(), seed,
        planted == null ? "" : ", a " + planted.kind() + " every evening from day " + planted.day());
    out.printf("starting the standalone stack in %s%s ...%n", dir, temporary ? " (temporary)" : "");
    out.printf("logs: %s%n", log);
    final Started started;
    try {
      // the purge of the sketches topic waits for the demo's progress counter too (SketchCounter)
      started = startStack(options, spec, Map.of(ServerConfig.CONCEPTS_WARMUP, warmup.toString(), SketchesPurge.GROUPS,
          StandaloneApi.APPLICATION_ID + "," + dev.rsk.demo.SketchCounter.GROUP));
    } catch (final RuntimeException e) {
      if (temporary) {
        deleteRecursively(dir);
      }
      System.err.println("rsk demo: the stack did not start: " + e.getMessage()
          + (httpPort != 0 ? " (is port " + httpPort + " free? --http-port 0 picks a free one)" : ""));
      return EXIT_STACK;
    }
    final StandaloneStack stack = started.stack();
    final Runnable stop = () -> {
      stack.close();
      if (temporary) {
        deleteRecursively(dir);
      }
    };
    boolean keepRunning = false;
    try {
      final String api = started.apiUrl();
      out.printf("Kafka %s, schema registry %s, HTTP API %s%n%n", stack.bootstrapServers(), stack.registryUrl(), api);
      // With RSK_API_TOKENS set, the demo's own client sends the first token, like any client.
      final RskClient client = new RskClient(api, RskClient.DEFAULT_TIMEOUT, started.token());
      final GroundTruth truth = new GroundTruth(sim, true);
      final DemoPublisher.Timings timings = new DemoPublisher(stack, client, sim, truth, timeout).publishAndProcess();
      if (timings == null) {
        return EXIT_STACK;
      }
      out.printf("published %,d events of %,d inferences in %.1f s; all sketched after %.1f s, all queryable after "
          + "%.1f s (publishing and processing overlap)%n%n", truth.events(), truth.inferences(),
          timings.published(), timings.sketched(), timings.queryable());
      dev.rsk.demo.StorageFigure.print(out, stack, truth.inferences());

      final List<Check> checks = new java.util.ArrayList<>(new DemoQuestions(client, truth).askAll());
      checks.add(dev.rsk.demo.ErasureCurve.ask(client, truth)); // decoded error against the fraction kept
      checks.addAll(new dev.rsk.demo.DemoQueries(client, truth).askAll());
      int passed = 0;
      for (int i = 0; i < checks.size(); i++) {
        print(out, i + 1, checks.get(i));
        passed += checks.get(i).passed() ? 1 : 0;
      }
      out.printf("%d of %d answers agree with the truth within their stated tolerance.%n", passed, checks.size());
      if (exit) {
        return passed == checks.size() ? 0 : EXIT_WRONG_ANSWER;
      }
      printCurl(out, api, sim, DemoQuestions.example(truth.inferenceList()).inferenceId());
      if (started.token() != null) {
        out.println("  (RSK_API_TOKENS is set: add -H 'Authorization: Bearer <one of its tokens>' to the /v1 calls)");
      }
      keepRunning = true;
    } finally {
      if (!keepRunning) {
        stop.run();
      }
    }
    // Leave the API running until Ctrl-C; the hook stops the stack (and removes a temporary data dir).
    Runtime.getRuntime().addShutdownHook(new Thread(stop, "rsk-demo-shutdown"));
    out.println("The API keeps running; press Ctrl-C to stop"
        + (temporary ? " (the data directory is removed)." : "."));
    new CountDownLatch(1).await();
    return 0;
  }

  /** The running stack, where its API answers and the token its clients send (null: none needed). */
  private record Started(StandaloneStack stack, String apiUrl, String token) {}

  /**
   * The standalone stack with one stats + API instance and the sketch processor attached (the processor's metrics
   * join the API's {@code /metrics}); everything closes with the stack, the processor first.
   *
   * @param spec the processor's sketch parameters, null for its default
   */
  private Started startStack(final StandaloneOptions options, final SketchSpec spec,
      final Map<String, String> serverKeys) {
    final StandaloneStack stack = StandaloneStack.start(options);
    try {
      final ServerConfig apiConfig = StandaloneApi.config(stack, serverKeys);
      final StatsServer stats = StandaloneApi.attach(stack, apiConfig);
      final ProcessorConfig.Builder processor = ProcessorConfig.builder()
          .activationsTopic(options.activationsTopic())
          .sketchesTopic(options.sketchesTopic())
          .dlqTopic(options.dlqTopic())
          .kafka(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers())
          .kafka("schema.registry.url", stack.registryUrl())
          .kafka(StreamsConfig.STATE_DIR_CONFIG, options.dataDir().resolve("processor").toAbsolutePath().toString());
      FastRestart.kafka(options.dataDir(), "processor").forEach(processor::kafka);
      if (spec != null) {
        processor.spec(spec);
      }
      stack.attach(ProcessorRunner.start(processor.build(), stats.registry()));
      return new Started(stack, stats.url(), StandaloneApi.clientToken(apiConfig));
    } catch (final RuntimeException e) {
      stack.close();
      throw e;
    }
  }

  private static void print(final PrintStream out, final int n, final Check c) {
    out.printf("%d. %s%n", n, c.question());
    out.printf("   API:       %s%n", c.answer());
    out.printf("   truth:     %s%n", c.truth());
    out.printf("   tolerance: %s%n", c.tolerance());
    for (final String d : c.details()) {
      out.printf("     %s%n", d);
    }
    out.printf("   -> %s%n%n", c.passed() ? "AGREES" : "DISAGREES");
  }

  private static void printCurl(final PrintStream out, final String api, final SimulationConfig sim,
      final String example) {
    final String range = "from=" + sim.start() + "&to=" + sim.end();
    out.printf("Console: %s/%n", api);
    out.println("Try:");
    out.printf("  curl '%s/v1/modules/cat/hours?%s&zone=%s'%n", api, range, sim.zone().getId());
    out.printf("  curl '%s/v1/inferences/%s'%n", api, example);
    out.printf("  curl -X POST -H 'Content-Type: application/json' -d '{\"inferenceId\":\"%s\",\"k\":5}'"
        + " '%s/v1/similar'%n", example, api);
    out.println("(more in docs/api.md and docs/queries.md; metrics on " + api + "/metrics)");
  }

  private static void deleteRecursively(final Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (final IOException e) {
          // best effort: a temporary directory
        }
      });
    } catch (final IOException e) {
      System.err.println("rsk demo: could not remove " + root + ": " + e.getMessage());
    }
  }
}
