package dev.rsk.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code rsk} launcher: one subcommand per role. Kept thin: each subcommand delegates to its package. */
@Command(
    name = "rsk",
    mixinStandardHelpOptions = true,
    version = "rsk 0.1.0",
    description = "Recursive sketches of modular deep-network inferences over Kafka Streams.",
    subcommands = {CommandLine.HelpCommand.class, SimulateCommand.class, DemoCommand.class, StandaloneCommand.class,
        ServerCommand.class, ProcessorCommand.class, BenchRecoveryCommand.class, SoakCommand.class,
        BenchStorageCommand.class},
    footer = {"", "Benchmarks and the accuracy evaluation live in a separate jar (sketch-processor/bench), which",
        "./rsk builds and runs for these commands:",
        "  sketch-eval      the sketch's accuracy table; non-zero exit if a check fails",
        "  bench-sketch     JMH benchmarks of the sketch engine, beside a dense baseline",
        "  bench-processor  throughput and latency of the processor topology, beside a baseline app"})
public final class Rsk implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(final String[] args) {
    System.exit(new CommandLine(new Rsk()).execute(args));
  }
}
