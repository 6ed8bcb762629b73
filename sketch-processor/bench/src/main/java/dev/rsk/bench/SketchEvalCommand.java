package dev.rsk.bench;

import dev.rsk.sketch.SketchSpec;
import dev.rsk.bench.eval.SketchEval;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rsk sketch-eval}: the accuracy table of the recursive sketch (every acceptance check of the
 * design, against the exact oracle). Exit code 0 when every check passes, 1 when one fails, 2 for
 * invalid parameters.
 */
@Command(name = "sketch-eval", mixinStandardHelpOptions = true,
    description = "Print the sketch accuracy table for a dimension and seed; exit 1 if a check fails.")
public final class SketchEvalCommand implements Callable<Integer> {

  @Option(names = "--d", defaultValue = "" + SketchSpec.DEFAULT_D,
      description = "Sketch dimension, " + SketchSpec.MIN_D + " to " + SketchSpec.MAX_D
          + " (default: ${DEFAULT-VALUE}).")
  int d;

  @Option(names = "--seed", defaultValue = "" + SketchSpec.DEFAULT_SEED,
      description = "Sketch seed (default: ${DEFAULT-VALUE}, the spec's default).")
  long seed;

  @Override
  public Integer call() {
    return SketchEval.run(System.out, d, seed);
  }
}
