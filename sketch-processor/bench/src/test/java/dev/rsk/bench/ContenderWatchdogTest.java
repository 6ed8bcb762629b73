package dev.rsk.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hidden {@code bench-stats-contender} ends when its parent process does: on the waiting logic itself, and with
 * real processes, its parent killed with SIGKILL.
 */
class ContenderWatchdogTest {

  private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
  private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

  @Test
  @Timeout(10)
  void workThatEndsFirstGivesZero() throws Exception {
    assertThat(BenchStatsContenderCommand.untilParentExits(() -> "done", new CompletableFuture<>(), err)).isZero();
    assertThat(errBytes.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  @Timeout(10)
  void workThatFailsFailsTheCommandWithItsOwnException() {
    final IllegalStateException boom = new IllegalStateException("boom");
    assertThatThrownBy(() -> BenchStatsContenderCommand.untilParentExits(() -> {
      throw boom;
    }, new CompletableFuture<>(), err)).isSameAs(boom);
    final AssertionError error = new AssertionError("an error");
    assertThatThrownBy(() -> BenchStatsContenderCommand.untilParentExits(() -> {
      throw error;
    }, new CompletableFuture<>(), err)).isSameAs(error);
  }

  @Test
  @Timeout(10)
  void aParentThatExitsFirstEndsTheWaitAndInterruptsTheWork() throws Exception {
    final CountDownLatch started = new CountDownLatch(1);
    final CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
    final CompletableFuture<Void> parent = new CompletableFuture<>();
    final CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> {
      try {
        return BenchStatsContenderCommand.untilParentExits(() -> {
          started.countDown();
          try {
            Thread.sleep(60_000);
            interrupted.complete(false);
          } catch (InterruptedException e) {
            interrupted.complete(true);
          }
          return null;
        }, parent, err);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    started.await();
    assertThat(code).isNotDone();
    parent.complete(null);
    assertThat(code.get(5, TimeUnit.SECONDS)).isEqualTo(BenchStatsContenderCommand.ORPHANED).isEqualTo(3);
    assertThat(interrupted.get(5, TimeUnit.SECONDS)).isTrue();
    assertThat(errBytes.toString(StandardCharsets.UTF_8))
        .contains("the parent process exited before the run was over");
  }

  @Test
  @Timeout(10)
  void theWatchedProcessIsTheGivenOneOrElseTheParent() throws Exception {
    final Process done = new ProcessBuilder("true").start();
    done.waitFor();
    assertThat(BenchStatsContenderCommand.exitOf(done.pid())).isDone();
    final Process alive = new ProcessBuilder("sleep", "30").start();
    try {
      final CompletableFuture<?> exit = BenchStatsContenderCommand.exitOf(alive.pid());
      assertThat(exit).isNotDone();
      alive.destroyForcibly();
      assertThat(exit).succeedsWithin(5, TimeUnit.SECONDS);
    } finally {
      alive.destroyForcibly();
    }
    // this JVM's parent (Maven's surefire or the IDE) is alive while the test runs
    assertThat(BenchStatsContenderCommand.exitOf(-1)).isNotDone();
    final long own = ProcessHandle.current().pid();
    assertThatThrownBy(() -> BenchStatsContenderCommand.exitOf(own)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--parent-pid " + own + " is this contender's own pid; give the parent's");
  }

  /**
   * A child contender against a broker that is not there waits (its admin calls time out after 30 s, its Kafka
   * clients keep retrying); killing its parent with SIGKILL must end it within seconds, not then.
   */
  @Test
  @Timeout(120)
  void aChildWhoseParentIsKilledEndsWithinSeconds(@TempDir final Path dir) throws Exception {
    final int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    final String java = ProcessHandle.current().info().command().orElseThrow();
    // the parent: a shell that starts the child as the launcher would (its own pid as --parent-pid), says the
    // child's pid, and waits for it
    final List<String> command = new ArrayList<>(List.of("bash", "-c",
        "\"$@\" --parent-pid $$ & echo \"pid $!\"; wait", "parent",
        java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), RskBench.class.getName(),
        "bench-stats-contender", "--bootstrap", "127.0.0.1:" + closedPort, "--app", "plain-windowed-count",
        "--round", "1", "--sketches", "10", "--warmup", "0", "--state-dir", dir.toString()));
    final Process parent = new ProcessBuilder(command).redirectErrorStream(true).start();
    parent.getOutputStream().close();
    ProcessHandle child = null;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(),
        StandardCharsets.UTF_8))) {
      final List<String> seen = new ArrayList<>();
      for (String line = out.readLine(); line != null && !line.equals("STREAMS-START"); line = out.readLine()) {
        seen.add(line);
        if (line.startsWith("pid ")) {
          child = ProcessHandle.of(Long.parseLong(line.substring(4))).orElseThrow();
        }
      }
      assertThat(child).as("the child's pid, then its run under way; printed: %s", seen).isNotNull();
      assertThat(child.isAlive()).as("the child is running when its parent is killed").isTrue();
      parent.destroyForcibly(); // SIGKILL: the parent runs nothing on its way out
      parent.waitFor();
      assertThat(child.onExit()).succeedsWithin(20, TimeUnit.SECONDS);
    } finally {
      if (child != null) {
        child.destroyForcibly();
      }
      parent.destroyForcibly();
    }
  }
}
