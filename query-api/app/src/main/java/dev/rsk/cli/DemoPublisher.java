package dev.rsk.cli;

import dev.rsk.api.client.RskClient;
import dev.rsk.api.client.RskClientException;
import dev.rsk.api.model.ModuleInfo;
import dev.rsk.demo.SketchCounter;
import dev.rsk.sim.GroundTruth;
import dev.rsk.sim.RoomModel;
import dev.rsk.sim.SimulationConfig;
import dev.rsk.sim.SimulationPublisher;
import dev.rsk.standalone.StandaloneStack;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The publishing phase of {@code rsk demo}: publishes the simulation into the standalone stack and waits, at most
 * {@code timeout} from the start of publishing, until every inference is sketched (counted on the sketches topic)
 * and queryable (counted by the HTTP API), showing progress on one line of stderr meanwhile.
 */
final class DemoPublisher {

  private static final Duration POLL = Duration.ofMillis(500);

  /** Seconds from the start of publishing until everything was published, sketched, and queryable. */
  record Timings(double published, double sketched, double queryable) {}

  private final StandaloneStack stack;
  private final RskClient client;
  private final SimulationConfig sim;
  private final GroundTruth truth;
  private final Duration timeout;
  /** Inferences stored before this simulation (a later one publishes into a filled stack: rsk bench-storage). */
  private final long base;

  DemoPublisher(final StandaloneStack stack, final RskClient client, final SimulationConfig sim,
      final GroundTruth truth, final Duration timeout) {
    this(stack, client, sim, truth, timeout, 0);
  }

  DemoPublisher(final StandaloneStack stack, final RskClient client, final SimulationConfig sim,
      final GroundTruth truth, final Duration timeout, final long base) {
    this.stack = stack;
    this.client = client;
    this.sim = sim;
    this.truth = truth;
    this.timeout = timeout;
    this.base = base;
  }

  /**
   * Publishes every inference of the simulation and waits until all are queryable.
   *
   * @return the timings, or null (said on stderr) if not every inference was queryable within the timeout
   * @throws Exception if publishing fails or the wait is interrupted
   */
  Timings publishAndProcess() throws Exception {
    final ProgressLine line = new ProgressLine(System.err);
    final int total = sim.inferenceCount();
    final long start = System.nanoTime();
    final AtomicReference<SimulationPublisher.Progress> published = new AtomicReference<>();
    final Map<String, Object> producer = SimulationPublisher.producerConfig(stack.bootstrapServers());
    final Map<String, Object> serde = new HashMap<>();
    serde.put("schema.registry.url", stack.registryUrl());
    final long deadline = start + timeout.toNanos();
    try (SketchCounter counter = new SketchCounter(stack.bootstrapServers(), stack.options().sketchesTopic())) {
      final ScheduledExecutorService monitor = Executors.newSingleThreadScheduledExecutor(r -> {
        final Thread t = new Thread(r, "rsk-demo-progress");
        t.setDaemon(true);
        return t;
      });
      final double[] sketchedAt = {Double.NaN};
      final double[] queryableAt = {Double.NaN};
      final long[] stored = {0};
      final double[] queryableSince = {Double.NaN};
      try {
        monitor.scheduleAtFixedRate(() -> {
          final int sketched = counter.count();
          stored[0] = Math.max(0, storedInferences(client) - base);
          final double t = (System.nanoTime() - start) / 1e9;
          if (sketched >= total && Double.isNaN(sketchedAt[0])) {
            sketchedAt[0] = t;
          }
          if (stored[0] > 0 && Double.isNaN(queryableSince[0])) {
            queryableSince[0] = t;
          }
          final SimulationPublisher.Progress p = published.get();
          line.update(ProgressBar.format(total, p == null ? 0 : p.inferencesSent(), sketched, stored[0], t,
              queryableSince[0]));
        }, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
        final SimulationPublisher.Progress done = SimulateCommand.publish(sim, truth, producer, serde,
            stack.options().activationsTopic(), published::set);
        published.set(done);
        final double publishedAt = (System.nanoTime() - start) / 1e9;
        while (System.nanoTime() < deadline) {
          if (counter.count() >= total && storedInferences(client) - base >= total) {
            queryableAt[0] = (System.nanoTime() - start) / 1e9;
            break;
          }
          Thread.sleep(POLL.toMillis() / 5);
        }
        monitor.shutdownNow();
        monitor.awaitTermination(5, TimeUnit.SECONDS);
        final double t = (System.nanoTime() - start) / 1e9;
        line.done(ProgressBar.format(total, done.inferencesSent(), counter.count(), storedInferences(client) - base, t,
            queryableSince[0]));
        if (Double.isNaN(queryableAt[0])) {
          System.err.printf("rsk demo: only %,d of %,d inferences sketched and %,d queryable after %s; giving up "
              + "(raise --timeout, or see the logs)%n", counter.count(), total, storedInferences(client) - base,
              timeout);
          return null;
        }
        return new Timings(publishedAt, Double.isNaN(sketchedAt[0]) ? queryableAt[0] : sketchedAt[0], queryableAt[0]);
      } finally {
        monitor.shutdownNow();
      }
    }
  }

  /** Inferences stored by the aggregator: every simulated inference has exactly one scene root. */
  private static long storedInferences(final RskClient client) {
    try {
      return client.modules().modules().stream().filter(m -> RoomModel.SCENE.equals(m.module()))
          .mapToLong(ModuleInfo::inferences).findFirst().orElse(0L);
    } catch (final RskClientException e) { // 503 while the stores start or migrate
      return 0L;
    }
  }
}
