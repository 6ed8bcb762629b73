package dev.rsk.api;

/**
 * A validated query range [fromMs, toMs), whole hours.
 *
 * @param fromMs start, epoch ms, floored to the hour
 * @param toMs end (exclusive), epoch ms, ceiled to the hour
 */
public record Range(long fromMs, long toMs) {

  public static final long HOUR_MS = 3_600_000L;

  /** The smallest whole-{@code unitMs} range covering this one (unit a multiple of an hour). */
  public Range widenTo(final long unitMs) {
    return new Range(fromMs - Math.floorMod(fromMs, unitMs), toMs + Math.floorMod(-toMs, unitMs));
  }
}
