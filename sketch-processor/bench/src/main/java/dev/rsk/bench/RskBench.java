package dev.rsk.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The benchmark and evaluation launcher ({@code target/rsk-bench.jar}), kept out of the production jar. The
 * {@code ./rsk} script runs it for {@code sketch-eval}, {@code bench-sketch} and {@code bench-processor}, so the
 * commands are the same as before the split.
 */
@Command(
    name = "rsk",
    mixinStandardHelpOptions = true,
    version = "rsk-bench 0.1.0",
    description = "Benchmarks and the sketch's accuracy evaluation (run through ./rsk).",
    subcommands = {CommandLine.HelpCommand.class, SketchEvalCommand.class, BenchSketchCommand.class,
        BenchProcessorCommand.class, BenchStatsCommand.class, BenchApiCommand.class,
        BenchSimilarCommand.class, BenchQueryCommand.class, BenchStatsContenderCommand.class})
public final class RskBench implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(final String[] args) {
    System.exit(new CommandLine(new RskBench()).execute(args));
  }
}
