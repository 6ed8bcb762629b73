package dev.rsk.sketch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Acceptance check 7: same parameters, same bits, in this JVM, another JVM, and pinned forever. */
class DeterminismTest {
  /** Changing this means every stored sketch is incompatible: bump SketchSpec.CURRENT_SCHEME instead. */
  private static final String GOLDEN =
      "bd9d42b4 bbcba590 3db62694 bda84a9a bd6b533c bd405542 3cec74de bb350500 crc=6b0b20fc";

  @Test
  void theDefaultSpecSketchIsPinned() {
    assertThat(GoldenSketch.fingerprint(GoldenSketch.sketch())).isEqualTo(GOLDEN);
  }

  @Test
  void anotherJvmProducesTheSameBits() throws IOException, InterruptedException {
    final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    final Process p = new ProcessBuilder(
            List.of(java.toString(), "-Xint", "-cp", System.getProperty("java.class.path"),
                GoldenSketch.class.getName()))
        .redirectErrorStream(true)
        .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("second JVM finished in time").isTrue();
    final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.exitValue()).as(out).isZero();
    // -Xint: the interpreter, so this also compares unvectorised with JIT-compiled loops
    assertThat(out).isEqualTo(GoldenSketch.fingerprint(GoldenSketch.sketch()));
  }

  @Test
  void concurrentSketchingWithOneSketcherGivesIdenticalBits() throws InterruptedException {
    final RecursiveSketcher shared = new RecursiveSketcher(SketchSpec.defaults());
    final ObjectDag dag = ObjectDag.of(TestDags.smallDag(), "scene");
    final Sketch reference = new RecursiveSketcher(SketchSpec.defaults()).sketch(dag);
    final Sketch[] results = new Sketch[8];
    final Thread[] threads = new Thread[results.length];
    for (int t = 0; t < threads.length; t++) {
      final int i = t;
      threads[t] = new Thread(() -> results[i] = shared.sketch(dag));
      threads[t].start();
    }
    for (final Thread t : threads) {
      t.join(30_000);
    }
    for (final Sketch s : results) {
      assertThat(s).isEqualTo(reference);
    }
  }
}
