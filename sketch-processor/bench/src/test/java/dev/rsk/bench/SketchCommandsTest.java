package dev.rsk.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SketchCommandsTest {

  @Test
  void sketchEvalRejectsAnInvalidDimension() {
    assertThat(new CommandLine(new RskBench()).execute("sketch-eval", "--d", "8")).isEqualTo(2);
  }

  @Test
  void benchSketchDefaultsToTheEnginePackageUnlessBenchmarksAreNamed() {
    assertThat(BenchSketchCommand.withDefaultInclude(List.of()))
        .containsExactly(BenchSketchCommand.BENCH_PACKAGE);
    assertThat(BenchSketchCommand.withDefaultInclude(List.of("-f", "0", "-p", "d=1024")))
        .endsWith(BenchSketchCommand.BENCH_PACKAGE);
    assertThat(BenchSketchCommand.withDefaultInclude(List.of("-f", "0", "DecodeBench")))
        .containsExactly("-f", "0", "DecodeBench");
  }

  @Test
  void benchSketchRunsARealBenchmarkInProcess() {
    final int rc = new CommandLine(new RskBench()).execute("bench-sketch", "-f", "0", "-wi", "0", "-i", "1",
        "-r", "200ms", "-p", "d=256", "-p", "k=4", "SketchBench.recursive");
    assertThat(rc).isZero();
  }

  @Test
  void benchSketchReportsBadJmhOptions() {
    assertThat(new CommandLine(new RskBench()).execute("bench-sketch", "-i", "notanumber")).isEqualTo(2);
  }
}
