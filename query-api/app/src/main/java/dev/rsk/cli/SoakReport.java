package dev.rsk.cli;

import dev.rsk.cli.SoakProbe.Sample;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

/**
 * The verdict of {@code rsk soak}: a memory measure is bounded when its largest value in the second half of the
 * run is at most {@link #GROWTH} above its largest value in the first half (a leak grows without end, a bounded
 * cache or heap fills and stays); the RocksDB cache, which has a configured bound, is bounded when it stays
 * within {@link #GROWTH} of that bound. Disk grows with what is remembered, so it is judged per queryable inference
 * added: bounded when the second half adds at most {@link #GROWTH} more bytes per inference than the first. The heap
 * is judged by what survives collection (the live data size) when that was read in both halves: the largest heap in
 * use between collections follows the collector's pacing, not what is kept, so it is only the fallback. Values
 * that could not be read (-1) are left out; a measure with no value in either half is "unknown", not bounded.
 * Pure.
 */
final class SoakReport {

  /** Growth allowed between the halves. */
  static final double GROWTH = 0.10;

  /** One measure: its largest value in each half, and whether it stayed bounded. */
  record Measure(String name, long firstHalf, long secondHalf, boolean bounded) {
    String line() {
      if (firstHalf < 0 || secondHalf < 0) {
        return String.format(Locale.ROOT, "  %-30s unknown (not read)", name);
      }
      return String.format(Locale.ROOT, "  %-30s %,14d  %,14d  %+6.1f%%  %s", name, firstHalf, secondHalf,
          100.0 * (secondHalf - firstHalf) / Math.max(1, firstHalf), bounded ? "bounded" : "GROWING");
    }
  }

  private SoakReport() {}

  /** RSS, heap and RocksDB cache: the largest value per half. */
  static Measure peak(final String name, final List<Sample> samples, final ToLongFunction<Sample> value) {
    final int mid = samples.size() / 2;
    final long first = max(samples.subList(0, mid), value);
    final long second = max(samples.subList(mid, samples.size()), value);
    return new Measure(name, first, second, first >= 0 && second >= 0 && second <= first * (1 + GROWTH));
  }

  /**
   * Disk bytes added per queryable inference added, from the first sample to the middle one and from the middle
   * one to the last (the empty stack's own bytes cancel out).
   */
  static Measure diskPerInference(final List<Sample> samples) {
    if (samples.size() < 3) {
      return new Measure("disk bytes per added inference", -1, -1, false);
    }
    final Sample mid = samples.get((samples.size() - 1) / 2);
    final long first = marginal(samples.get(0), mid);
    final long second = marginal(mid, samples.get(samples.size() - 1));
    return new Measure("disk bytes per added inference", first, second,
        first > 0 && second >= 0 && second <= first * (1 + GROWTH));
  }

  /**
   * A measure with a configured bound (the RocksDB cache): bounded when its largest value stays within {@link
   * #GROWTH} of the bound, however it filled up during the run (a cache filling to its bound is not a leak).
   */
  static Measure withinBound(final String name, final List<Sample> samples, final ToLongFunction<Sample> value,
      final long bound) {
    final Measure halves = peak(name, samples, value);
    return new Measure(name, halves.firstHalf(), halves.secondHalf(),
        halves.firstHalf() >= 0 && halves.secondHalf() >= 0
            && Math.max(halves.firstHalf(), halves.secondHalf()) <= bound * (1 + GROWTH));
  }

  /** Every measure of the run, in the order printed; {@code rocksDbBound}: the stack's rsk.rocksdb.memory.bytes. */
  static List<Measure> measures(final List<Sample> samples, final long rocksDbBound) {
    return List.of(peak("resident memory (RSS) bytes", samples, Sample::rssBytes), heap(samples),
        withinBound("RocksDB cache bytes", samples, Sample::rocksDbBytes, rocksDbBound),
        diskPerInference(samples));
  }

  /** The heap after collection when it was read in both halves, else the heap in use. */
  static Measure heap(final List<Sample> samples) {
    final Measure live = peak("heap live after GC bytes", samples, Sample::heapLiveBytes);
    return live.firstHalf() >= 0 && live.secondHalf() >= 0 ? live
        : peak("heap used bytes", samples, Sample::heapBytes);
  }

  private static long marginal(final Sample from, final Sample to) {
    final long inferences = to.queryable() - from.queryable();
    return from.diskBytes() < 0 || to.diskBytes() < 0 || inferences <= 0 ? -1
        : Math.max(0, to.diskBytes() - from.diskBytes()) / inferences; // compaction can give bytes back: 0
  }

  private static long max(final List<Sample> samples, final ToLongFunction<Sample> value) {
    return samples.stream().mapToLong(value).filter(v -> v >= 0).max().orElse(-1);
  }
}
