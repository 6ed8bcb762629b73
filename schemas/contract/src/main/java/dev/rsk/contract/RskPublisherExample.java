package dev.rsk.contract;

import dev.rsk.sketch.SketchInput;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The Java publisher's example: {@code N} inferences {@code scene > cat_detector > eye} (two eyes), one
 * minute apart from 2026-01-01, to any Kafka + registry. Runs with rsk-contract and its dependencies alone:
 *
 * <pre>
 * java -cp rsk-contract.jar:... dev.rsk.contract.RskPublisherExample --bootstrap B --registry R [--count N] [--topic T]
 * </pre>
 *
 * <p>Prints each inference id, then {@code published N}. Exit code 0 on success, 1 on a {@link
 * PublishException} (message on stderr), 2 on bad arguments.
 */
public final class RskPublisherExample {

  /** Event time of the first inference. */
  public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private RskPublisherExample() {}

  public static void main(final String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** The example without {@code System.exit}: its exit code. */
  static int run(final String[] args, final PrintStream out, final PrintStream err) {
    final Map<String, String> options = new HashMap<>(Map.of("--count", "3", "--topic", RskPublisher.DEFAULT_TOPIC));
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i], args[i + 1]);
    }
    if (args.length % 2 != 0 || !options.containsKey("--bootstrap") || !options.containsKey("--registry")) {
      err.println("usage: RskPublisherExample --bootstrap B --registry R [--count N] [--topic T]");
      return 2;
    }
    final int count;
    try {
      count = Integer.parseInt(options.get("--count"));
    } catch (NumberFormatException e) {
      err.println("--count must be a number, got " + options.get("--count"));
      return 2;
    }
    try (RskPublisher publisher = RskPublisher.connect(
        RskPublisher.config(options.get("--bootstrap"), options.get("--registry")), options.get("--topic"))) {
      for (int i = 0; i < count; i++) {
        final InferenceEvents inference = scene("example-" + i, i);
        publisher.send(inference);
        out.println(inference.inferenceId());
      }
      publisher.flush(Duration.ofSeconds(30));
    } catch (PublishException e) {
      err.println("PublishException: " + e.getMessage());
      return 1;
    }
    out.println("published " + count);
    return 0;
  }

  /** One inference: a scene whose input is a cat detector, whose inputs are a left and a right eye. */
  static InferenceEvents scene(final String inferenceId, final int i) {
    return new InferenceEvents(inferenceId).eventTime(START.plus(Duration.ofMinutes(i))).source("java-example")
        .add("eye-l", "eye", new float[] {0.25f, 0.5f})
        .add("eye-r", "eye", new float[] {0.75f, -0.5f})
        .add("cat", "cat_detector", new float[] {0.5f, 0.125f * i, 1f},
            new SketchInput("eye-l", "left", 0.75f), new SketchInput("eye-r", "right", 1f))
        .add("scene", "scene", new float[] {1f, 0f}, new SketchInput("cat", null, 0.5f))
        .root("scene");
  }
}
