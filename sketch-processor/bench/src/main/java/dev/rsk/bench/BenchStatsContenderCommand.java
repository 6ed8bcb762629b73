package dev.rsk.bench;

import dev.rsk.bench.stats.StatsBenchmark;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rsk bench-stats-contender}, hidden: the child JVM of {@code rsk bench-stats --jvm-per-contender true}, one
 * contender's warm-up then measured run against the parent's broker; not meant to be typed. It ends with exit code
 * {@link #ORPHANED} as soon as it sees its parent process exit (a parent killed with SIGKILL runs no hook to kill
 * it): the broker was the parent's and nobody is left to read the result.
 */
@Command(name = "bench-stats-contender", hidden = true, mixinStandardHelpOptions = true,
    description = "One bench-stats contender (warm-up, then measured run) against a running broker; prints its"
        + " result as one 'RESULT <json>' line. Launched by bench-stats --jvm-per-contender true. Exits with code 3"
        + " when its parent process exits first.")
public final class BenchStatsContenderCommand implements Callable<Integer> {

  /** The exit code of a child whose parent process exited before the run was over. */
  static final int ORPHANED = 3;

  @Mixin StatsRunOptions run;

  @Option(names = "--bootstrap", required = true, description = "The broker's bootstrap servers.")
  String bootstrap;

  @Option(names = "--app", required = true,
      description = "rsk-stats, rsk-stats-no-index, rsk-stats-also or plain-windowed-count.")
  String app;

  @Option(names = "--round", required = true, description = "Round number (part of the application id).")
  int round;

  @Option(names = "--state-dir", required = true,
      description = "State directory of the measured run (the warm-up's goes beside it); made by the parent.")
  Path stateDir;

  @Option(names = "--parent-pid", defaultValue = "-1", description = "The process whose exit ends this one (default:"
      + " this process's parent when it starts). Given by the launcher, so that a parent that dies before this JVM"
      + " has started is still seen.")
  long parentPid;

  @Override
  public Integer call() throws Exception {
    return untilParentExits(() -> {
      StatsBenchmark.runContender(bootstrap, app, round, run.options(1, false, false), stateDir, System.out);
      return null;
    }, exitOf(parentPid), System.err);
  }

  /**
   * Completes when process {@code pid} exits (at once if it is gone already); for {@code pid < 0}, when this
   * JVM's parent does, and never if it has none. For a process that is not its child the JDK polls, so this
   * completes within a few seconds of the exit.
   *
   * @throws IllegalArgumentException for this JVM's own pid (the JDK refuses to watch it; it would never exit first)
   */
  static CompletableFuture<?> exitOf(final long pid) {
    if (pid == ProcessHandle.current().pid()) {
      throw new IllegalArgumentException("--parent-pid " + pid + " is this contender's own pid; give the parent's");
    }
    final Optional<ProcessHandle> watched = pid < 0 ? ProcessHandle.current().parent() : ProcessHandle.of(pid);
    if (watched.isEmpty()) {
      return pid < 0 ? new CompletableFuture<>() : CompletableFuture.completedFuture(null);
    }
    return watched.get().onExit();
  }

  /**
   * Runs {@code work} on a daemon thread: 0 when it is done, its exception if it fails, {@link #ORPHANED} (said on
   * {@code err}, the worker interrupted) as soon as {@code parentExit} completes first. The caller's exit then ends
   * the JVM without waiting for {@code work}, whose Kafka clients may retry a broker that is gone.
   */
  static int untilParentExits(final Callable<?> work, final CompletableFuture<?> parentExit, final PrintStream err)
      throws Exception {
    final CompletableFuture<Object> done = new CompletableFuture<>();
    final Thread worker = new Thread(() -> {
      try {
        done.complete(work.call());
      } catch (Exception | Error e) {
        done.completeExceptionally(e);
      }
    }, "rsk-bench-contender");
    worker.setDaemon(true);
    worker.start();
    try {
      CompletableFuture.anyOf(done, parentExit).get();
    } catch (ExecutionException failed) {
      // the work's failure, rethrown below as itself (a process's exit never fails)
    }
    if (!done.isDone()) {
      err.println("bench-stats-contender: the parent process exited before the run was over; stopping");
      worker.interrupt();
      return ORPHANED;
    }
    try {
      done.get();
    } catch (ExecutionException e) {
      throw rethrown(e.getCause());
    }
    return 0;
  }

  private static Exception rethrown(final Throwable cause) {
    if (cause instanceof Error error) {
      throw error;
    }
    return (Exception) cause;
  }
}
