package dev.rsk.bench.stats;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.bench.stats.ContenderRun.Broker;
import dev.rsk.bench.stats.ContenderRun.Spec;
import dev.rsk.bench.stats.StatsBenchmark.Options;
import dev.rsk.bench.stats.StatsBenchmark.Result;
import dev.rsk.kafka.EmbeddedKafka;
import dev.rsk.registry.InMemorySchemaRegistryClient;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.serialization.Serde;

/**
 * The child JVM's side of {@code --jvm-per-contender true} ({@code rsk bench-stats-contender}): one contender, its
 * warm-up then its measured run, against the parent's broker; the measured window and the result are announced on
 * {@code out} as {@link ResultLine} says. Its JIT profiles are its own: no other contender's code ran in this JVM.
 */
final class ContenderChild {

  private ContenderChild() {}

  /**
   * Runs {@code app}: first, unless {@code o.warmup()} is 0, unmeasured over the topic's first {@code o.warmup()}
   * sketches, under application id {@code warmup-<app>-<round>} (a new consumer group, so it reads from the topic's
   * start) and a state directory beside {@code stateDir} (which then holds the measured run's stores alone, for the
   * storage report); then measured, over the whole topic.
   */
  static Result run(final String bootstrap, final String app, final int round, final Options o,
      final Path stateDir, final PrintStream out) throws Exception {
    ContenderRun.known(app); // an unknown app fails here, before any client starts
    final Serde<InferenceSketch> serde = ContenderRun.sketchSerde(new InMemorySchemaRegistryClient());
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) EmbeddedKafka.ADMIN_TIMEOUT.toMillis(),
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) EmbeddedKafka.ADMIN_TIMEOUT.toMillis()))) {
      final Broker broker = new Broker(bootstrap, admin);
      if (o.warmup() > 0) {
        ContenderRun.run(new Spec(app, round, true, Math.min(o.warmup(), o.sketches())), broker, o,
            Files.createTempDirectory(stateDir.toAbsolutePath().getParent(), "warmup"), serde,
            ContenderRun.Window.NONE, out);
      }
      final Result r = ContenderRun.run(new Spec(app, round, false, o.sketches()), broker, o, stateDir, serde,
          announcing(out), out);
      out.println(ResultLine.encode(r));
      out.flush();
      return r;
    }
  }

  private static ContenderRun.Window announcing(final PrintStream out) {
    return new ContenderRun.Window() {
      @Override
      public void starting() {
        announce(out, ResultLine.STREAMS_START);
      }

      @Override
      public void opened() {
        announce(out, ResultLine.MEASURE_START);
      }

      @Override
      public void closed() {
        announce(out, ResultLine.MEASURE_END);
      }
    };
  }

  private static void announce(final PrintStream out, final String line) {
    out.println(line);
    out.flush();
  }
}
