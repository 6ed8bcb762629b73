package dev.rsk.stats;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The levels of the rolled-up stores and how a time range splits over them. Every aggregate that adds up
 * (sums of sketches, attribute statistics) is kept at its finest level (hour, or the stats bucket) and also
 * per UTC day and per UTC calendar month, all updated at the same commit; a query reads whole months from the
 * month level, whole days from the day level and only the ragged edges from the finest level, so a year reads
 * about 12 + 2 * 31 + 2 * 24 rows per key and partition instead of 8,760. The answer is the same sum: every
 * finest row lies in exactly one piece.
 */
public final class Rollups {

  public static final long HOUR_MS = 3_600_000L;
  public static final long DAY_MS = 24 * HOUR_MS;

  /** A rolled-up level. */
  public enum Level { FINE, DAY, MONTH }

  /** The rows of {@code level} starting in [fromMs, toMs). */
  public record Piece(Level level, long fromMs, long toMs) {}

  private Rollups() {}

  public static long dayStart(final long t) {
    return t - Math.floorMod(t, DAY_MS);
  }

  public static long monthStart(final long t) {
    final LocalDate d = Instant.ofEpochMilli(t).atOffset(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1);
    return d.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }

  /** The start of the UTC month after the one starting at {@code monthStart}. */
  public static long nextMonth(final long monthStart) {
    return Instant.ofEpochMilli(monthStart).atOffset(ZoneOffset.UTC).plusMonths(1).toInstant().toEpochMilli();
  }

  /**
   * Where the newest part of [fromMs, toMs) begins, in {@link #pieces} of {@code unitMs} (no DAYs): the start of the
   * last piece when it is a whole MONTH (its row is read as one), else the start of the last UTC day (at least the
   * last piece's start); {@code fromMs} when there is no piece. Sketches arriving now change only that part, so what
   * comes before it can be kept across commits.
   */
  public static long newestPartStart(final long fromMs, final long toMs, final long unitMs) {
    final List<Piece> all = pieces(fromMs, toMs, unitMs, false);
    if (all.isEmpty()) {
      return fromMs;
    }
    final Piece last = all.get(all.size() - 1);
    return last.level() == Level.MONTH ? monthStart(last.toMs() - 1)
        : Math.max(last.fromMs(), dayStart(last.toMs() - 1));
  }

  /**
   * Splits the fine rows (of {@code unitMs}, aligned to multiples of it) starting in [fromMs, toMs) into
   * pieces: FINE rows, whole DAYs (only if {@code days}) and whole MONTHs. {@code unitMs} must divide a day.
   */
  public static List<Piece> pieces(final long fromMs, final long toMs, final long unitMs, final boolean days) {
    final List<Piece> out = new ArrayList<>();
    long cur = fromMs + Math.floorMod(-fromMs, unitMs);
    final long end = toMs + Math.floorMod(-toMs, unitMs);
    while (cur < end) {
      final Level level;
      final long next;
      if (monthStart(cur) == cur && nextMonth(cur) <= end) {
        level = Level.MONTH;
        next = nextMonth(cur);
      } else if (days && dayStart(cur) == cur && cur + DAY_MS <= end) {
        level = Level.DAY;
        next = cur + DAY_MS;
      } else {
        level = Level.FINE;
        next = cur + unitMs;
      }
      final Piece last = out.isEmpty() ? null : out.get(out.size() - 1);
      if (last != null && last.level() == level && last.toMs() == cur) {
        out.set(out.size() - 1, new Piece(level, last.fromMs(), next));
      } else {
        out.add(new Piece(level, cur, next));
      }
      cur = next;
    }
    return out;
  }

  /** Whether buckets of {@code unitMs} roll up into days and months (they divide a day). */
  public static boolean rollsUp(final long unitMs) {
    return DAY_MS % unitMs == 0;
  }
}
