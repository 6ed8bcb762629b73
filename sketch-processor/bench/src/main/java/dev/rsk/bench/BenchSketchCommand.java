package dev.rsk.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code rsk bench-sketch [jmh args]}: the JMH benchmarks of the sketch engine ({@code
 * dev.rsk.bench.sketch}) from the shaded jar. Arguments go to JMH unchanged (e.g. {@code SketchBench
 * -p d=1024 -p k=16}, {@code -f 0}, {@code -h}); with no benchmark pattern every engine benchmark runs
 * (about 3 minutes). Exit code 0 when all ran, 1 on a benchmark error, 2 for bad JMH options.
 */
@Command(name = "bench-sketch", mixinStandardHelpOptions = false,
    description = "Run the sketch engine's JMH benchmarks (arguments are passed to JMH, try -h).")
public final class BenchSketchCommand implements Callable<Integer> {
  /** Package of the engine's benchmarks: the default include pattern. */
  static final String BENCH_PACKAGE = "dev.rsk.bench.sketch";

  /** Everything after {@code bench-sketch}, unparsed: JMH's own options and benchmark patterns. */
  @Unmatched
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() {
    final CommandLineOptions options;
    try {
      options = new CommandLineOptions(withDefaultInclude(args).toArray(String[]::new));
    } catch (final CommandLineOptionException e) {
      System.err.println("bench-sketch: " + e.getMessage());
      return 2;
    }
    try {
      if (options.shouldHelp()) {
        options.showHelp();
        return 0;
      }
      if (options.shouldList()) {
        new Runner(options).list();
        return 0;
      }
      final Collection<RunResult> results = new Runner(options).run();
      return results.isEmpty() ? 1 : 0;
    } catch (final RunnerException | IOException e) {
      System.err.println("bench-sketch: " + e.getMessage());
      return 1;
    }
  }

  /** Adds the engine's package as the include pattern unless the user named benchmarks. */
  static List<String> withDefaultInclude(final List<String> args) {
    final List<String> out = new ArrayList<>(args);
    boolean pattern = false;
    for (int i = 0; i < args.size(); i++) {
      final String a = args.get(i);
      if (!a.startsWith("-")) {
        final boolean optionValue = i > 0 && args.get(i - 1).startsWith("-") && takesValue(args.get(i - 1));
        pattern |= !optionValue;
      }
    }
    if (!pattern) {
      out.add(BENCH_PACKAGE);
    }
    return out;
  }

  private static boolean takesValue(final String option) {
    // JMH options that take a value as the next argument
    return List.of("-bm", "-bs", "-e", "-f", "-foe", "-gc", "-i", "-jvm", "-jvmArgs", "-jvmArgsAppend",
        "-jvmArgsPrepend", "-o", "-opi", "-p", "-prof", "-r", "-rf", "-rff", "-si", "-t", "-tg", "-tu",
        "-to", "-v", "-w", "-wbs", "-wf", "-wi", "-wm").contains(option);
  }
}
