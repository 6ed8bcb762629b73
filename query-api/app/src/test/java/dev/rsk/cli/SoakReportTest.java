package dev.rsk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.cli.SoakProbe.Sample;
import java.util.List;
import org.junit.jupiter.api.Test;

class SoakReportTest {

  private static Sample rss(final long rss) {
    return new Sample(0, 0, 10, rss, -1, -1, -1, -1, -1);
  }

  private static Sample disk(final long queryable, final long disk) {
    return new Sample(0, 0, queryable, -1, -1, -1, -1, -1, disk);
  }

  @Test
  void aMeasureThatFillsAndStaysIsBoundedOneThatKeepsGrowingIsNot() {
    // first half peaks at 200; 220 is the most the second half may reach (10% more)
    final SoakReport.Measure filled = SoakReport.peak("rss", List.of(rss(100), rss(200), rss(210), rss(220)),
        Sample::rssBytes);
    assertThat(filled.firstHalf()).isEqualTo(200);
    assertThat(filled.secondHalf()).isEqualTo(220);
    assertThat(filled.bounded()).isTrue();
    assertThat(filled.line()).contains("bounded").contains("+10.0%");
    final SoakReport.Measure leaking = SoakReport.peak("rss", List.of(rss(100), rss(200), rss(210), rss(221)),
        Sample::rssBytes);
    assertThat(leaking.bounded()).isFalse();
    assertThat(leaking.line()).contains("GROWING");
  }

  @Test
  void unreadValuesAreLeftOutAndAMeasureNeverReadIsUnknownNotBounded() {
    final SoakReport.Measure partly = SoakReport.peak("rss", List.of(rss(-1), rss(200), rss(-1), rss(150)),
        Sample::rssBytes);
    assertThat(partly.firstHalf()).isEqualTo(200);
    assertThat(partly.secondHalf()).isEqualTo(150);
    assertThat(partly.bounded()).isTrue();
    final SoakReport.Measure never = SoakReport.peak("heap", List.of(rss(100), rss(100)), Sample::heapBytes);
    assertThat(never.bounded()).isFalse();
    assertThat(never.line()).contains("unknown");
  }

  @Test
  void diskIsJudgedByTheBytesEachAddedInferenceCostsInEachHalf() {
    // an empty stack's 5,000 B cancel out; the first half adds 100 B per inference, the second may add 110
    assertThat(SoakReport.diskPerInference(List.of(disk(0, 5_000), disk(10, 6_000), disk(20, 7_100))).bounded())
        .isTrue();
    final SoakReport.Measure growing = SoakReport.diskPerInference(
        List.of(disk(0, 5_000), disk(10, 6_000), disk(20, 7_200)));
    assertThat(growing.firstHalf()).isEqualTo(100);
    assertThat(growing.secondHalf()).isEqualTo(120);
    assertThat(growing.bounded()).isFalse();
    // compaction may give bytes back: fewer bytes per inference is bounded
    assertThat(SoakReport.diskPerInference(List.of(disk(0, 5_000), disk(10, 6_000), disk(20, 5_900))).bounded())
        .isTrue();
    assertThat(SoakReport.diskPerInference(List.of(disk(0, 400), disk(0, 1_000), disk(0, 1_500))).bounded())
        .isFalse();
    assertThat(SoakReport.measures(List.of(disk(5, 400), disk(10, 1_000)), 1_000)).hasSize(4);
  }

  @Test
  void aCacheFillingUpToItsConfiguredBoundIsBoundedOnePastItIsNot() {
    final List<Sample> filling = List.of(rocks(100), rocks(200), rocks(250), rocks(270));
    // the halves alone would call it growing (200 -> 270), the bound of 256 (+10%: 281) says bounded
    assertThat(SoakReport.peak("rocks", filling, Sample::rocksDbBytes).bounded()).isFalse();
    assertThat(SoakReport.withinBound("rocks", filling, Sample::rocksDbBytes, 256).bounded()).isTrue();
    assertThat(SoakReport.withinBound("rocks", List.of(rocks(100), rocks(282)), Sample::rocksDbBytes, 256).bounded())
        .isFalse();
    assertThat(SoakReport.withinBound("rocks", List.of(rocks(-1), rocks(-1)), Sample::rocksDbBytes, 256).bounded())
        .isFalse();
  }

  private static Sample rocks(final long bytes) {
    return new Sample(0, 0, 10, -1, -1, -1, -1, bytes, -1);
  }

  @Test
  void prometheusSeriesAreSummedOverTheirLabels() {
    final String metrics = String.join("\n",
        "# HELP jvm_memory_used_bytes The amount of used memory",
        "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Eden Space\"} 1.5E7",
        "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Old Gen\"} 5000000.0",
        "jvm_memory_used_bytes{area=\"nonheap\",id=\"Metaspace\"} 9.0E7",
        "rsk_rocksdb_memory_used_bytes{role=\"processor\"} 1000.0",
        "rsk_rocksdb_memory_used_bytes{role=\"stats\"} 234.0");
    assertThat(SoakProbe.sum(metrics, "jvm_memory_used_bytes{area=\"heap\"")).isEqualTo(20_000_000L);
    assertThat(SoakProbe.sum(metrics, "rsk_rocksdb_memory_used_bytes")).isEqualTo(1234L);
    assertThat(SoakProbe.sum(metrics, "absent_metric")).isEqualTo(-1L);
  }

  @Test
  void theHeapIsJudgedByWhatSurvivesCollectionWhenBothHalvesReadIt() {
    // in use between collections grows 100 -> 300 (the collector's pacing), the live data stays 50 -> 54
    final SoakReport.Measure live = SoakReport.heap(List.of(heap(100, 50), heap(300, 54)));
    assertThat(live.name()).isEqualTo("heap live after GC bytes");
    assertThat(live.firstHalf()).isEqualTo(50);
    assertThat(live.secondHalf()).isEqualTo(54);
    assertThat(live.bounded()).isTrue();
    assertThat(SoakReport.heap(List.of(heap(100, 50), heap(100, 56))).bounded()).isFalse();
    // no reclamation in the first half: the heap in use decides
    final SoakReport.Measure used = SoakReport.heap(List.of(heap(100, -1), heap(300, 54)));
    assertThat(used.name()).isEqualTo("heap used bytes");
    assertThat(used.secondHalf()).isEqualTo(300);
    assertThat(used.bounded()).isFalse();
    assertThat(SoakReport.measures(List.of(heap(100, 50), heap(105, 50)), 1).get(1).name())
        .isEqualTo("heap live after GC bytes");
  }

  private static Sample heap(final long used, final long live) {
    return new Sample(0, 0, 10, -1, used, -1, live, -1, -1);
  }

  @Test
  void theChildGetsTheMemoryAndVmFlagsButNotPropertiesOrAgents() {
    assertThat(StandaloneChild.inheritedFlags(List.of("-Xms1536m", "-Xmx1536m", "-XX:+AlwaysPreTouch",
        "-Dlog4j2.configurationFile=x.xml", "-agentlib:jdwp=transport=dt_socket,server=y,address=5005", "-Xss2m",
        "-XX:NativeMemoryTracking=summary", "-javaagent:pit.jar", "-Xlog:gc")))
        .containsExactly("-Xms1536m", "-Xmx1536m", "-XX:+AlwaysPreTouch", "-Xss2m", "-XX:NativeMemoryTracking=summary");
  }
}
