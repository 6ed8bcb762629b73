package dev.rsk.cli;

import java.util.Locale;

/**
 * Formats one progress line of a pipeline with three stages, published, sketched and queryable: a bar for the
 * last stage when the total is known, each stage's count and its average rate since the start, and an ETA.
 * The ETA is the remaining queryable inferences over the queryable rate measured since the first inference
 * became queryable, so the time the pipeline takes to fill (broker, processor and aggregator starting, the
 * first commits) does not slow the estimate down; before that, and for the first second after it, "--".
 * Pure formatting.
 */
final class ProgressBar {

  /** Width of the bar in characters. */
  static final int WIDTH = 20;
  /** The total when unknown (external producers): no bar, no ETA. */
  static final long UNKNOWN = -1;

  private ProgressBar() {}

  /** Seconds of queryable progress needed before an ETA is shown. */
  static final double ETA_AFTER = 1.0;

  /** {@link #format(long, long, long, long, double, double)} with the queryable rate measured from the start. */
  static String format(final long total, final long published, final long sketched, final long queryable,
      final double seconds) {
    return format(total, published, sketched, queryable, seconds, 0.0);
  }

  /**
   * The line for the given counts after {@code seconds} (rates are counts / seconds; no rate before 0.5 s).
   *
   * @param total inferences expected, or {@link #UNKNOWN}
   * @param queryableSince seconds at which the first inference became queryable (NaN: not yet)
   */
  static String format(final long total, final long published, final long sketched, final long queryable,
      final double seconds, final double queryableSince) {
    final StringBuilder s = new StringBuilder();
    if (total > 0) {
      final double done = Math.min(1.0, (double) queryable / total);
      final int filled = (int) Math.floor(done * WIDTH);
      s.append('[').append("#".repeat(filled)).append("-".repeat(WIDTH - filled)).append("] ")
          .append(String.format(Locale.ROOT, "%3d%% | ", (int) Math.floor(done * 100)));
    }
    s.append(stage("published", published, total, seconds)).append(" | ")
        .append(stage("sketched", sketched, UNKNOWN, seconds)).append(" | ")
        .append(stage("queryable", queryable, UNKNOWN, seconds))
        .append(String.format(Locale.ROOT, " | %.1f s", seconds));
    if (total > 0) {
      s.append(", ETA ").append(eta(total - queryable, queryable, seconds - queryableSince));
    }
    return s.toString();
  }

  private static String stage(final String name, final long count, final long total, final double seconds) {
    final String of = total > 0 ? String.format(Locale.ROOT, "%,d/%,d", count, total)
        : String.format(Locale.ROOT, "%,d", count);
    return seconds < 0.5 ? name + " " + of
        : String.format(Locale.ROOT, "%s %s (%,.0f/s)", name, of, count / seconds);
  }

  private static String eta(final long remaining, final long done, final double seconds) {
    if (remaining <= 0) {
      return "0 s";
    }
    if (done == 0 || Double.isNaN(seconds) || seconds < ETA_AFTER) {
      return "--";
    }
    final long eta = Math.round(remaining / (done / seconds));
    return eta < 120 ? eta + " s" : String.format(Locale.ROOT, "%d min %02d s", eta / 60, eta % 60);
  }
}
