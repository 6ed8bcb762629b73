package dev.rsk.demo;

/** Parts of the day used to answer "was it usually morning or night?", in local hours [from, to). */
public enum PartOfDay {
  NIGHT("night", 22, 6),
  MORNING("morning", 6, 12),
  AFTERNOON("afternoon", 12, 18),
  EVENING("evening", 18, 22);

  private final String label;
  private final int from;
  private final int to;

  PartOfDay(final String label, final int from, final int to) {
    this.label = label;
    this.from = from;
    this.to = to;
  }

  public String label() {
    return label;
  }

  public boolean contains(final int hour) {
    return from < to ? hour >= from && hour < to : hour >= from || hour < to;
  }

  public String range() {
    return String.format("%02d:00-%02d:00", from, to);
  }

  public static PartOfDay of(final int hour) {
    for (final PartOfDay p : values()) {
      if (p.contains(hour)) {
        return p;
      }
    }
    throw new IllegalArgumentException("hour must be in [0, 23], got " + hour);
  }
}
