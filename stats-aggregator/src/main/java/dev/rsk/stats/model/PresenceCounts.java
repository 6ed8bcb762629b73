package dev.rsk.stats.model;

/**
 * Exact presence counts of one module in one bucket (of one partition, or merged).
 *
 * @param withModule inferences that contained at least one object of the module
 * @param objects objects of the module over those inferences
 */
public record PresenceCounts(long withModule, long objects) {

  public static final PresenceCounts ZERO = new PresenceCounts(0, 0);

  public PresenceCounts plus(final PresenceCounts other) {
    return new PresenceCounts(withModule + other.withModule, objects + other.objects);
  }

  public PresenceCounts minus(final PresenceCounts other) {
    return new PresenceCounts(withModule - other.withModule, objects - other.objects);
  }
}
