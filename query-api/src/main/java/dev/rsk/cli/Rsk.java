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
        SketchEvalCommand.class, BenchSketchCommand.class,
        ServerCommand.class,
        ProcessorCommand.class, BenchProcessorCommand.class})
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
