package dev.rsk.standalone;

import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * A Streams application of the stack, closed by the stack: once its {@code KafkaStreams} reached NOT_RUNNING, the
 * stop was clean and is recorded ({@link UncleanState#markCleanStop}), so that the next start keeps its task state
 * instead of restoring it from the changelogs. A close that timed out or failed records nothing.
 */
final class CleanStop implements AutoCloseable {

  private final AutoCloseable app;
  private final Supplier<KafkaStreams> streams;
  private final Properties config;

  CleanStop(final AutoCloseable app, final Supplier<KafkaStreams> streams, final Properties config) {
    this.app = app;
    this.streams = streams;
    this.config = config;
  }

  @Override
  public void close() throws Exception {
    app.close();
    if (streams.get().state() == KafkaStreams.State.NOT_RUNNING) {
      UncleanState.markCleanStop(config);
    }
  }

  @Override
  public String toString() {
    return app.toString();
  }
}
