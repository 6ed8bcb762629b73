package dev.rsk.sim;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A new kind of scene planted in the simulation from a given day on (the ground truth of concept detection):
 * from day {@code day} (0 = the first simulated day) to the end, every inference whose local hour is in
 * {@code [fromHour, toHour)} shows the planted scene instead of the ordinary room. Made of known modules only.
 *
 * <p>Kinds: {@code party}: 5 to 8 people, the lamp on and the TV off, no animal (the cat hides).
 *
 * @param kind the scene ({@link #PARTY})
 * @param day first day of the scene, counted from the simulation's start (0-based)
 * @param fromHour first local hour of the scene each day, 0 to 23
 * @param toHour local hour the scene ends each day (exclusive), fromHour + 1 to 24
 */
public record Plant(String kind, int day, int fromHour, int toHour) {

  public static final String PARTY = "party";
  /** Parties start at 8 pm and end at midnight unless told otherwise. */
  public static final int DEFAULT_FROM_HOUR = 20;
  public static final int DEFAULT_TO_HOUR = 24;

  private static final Pattern FORM = Pattern.compile("([a-z]+)@(\\d{1,4})(?::(\\d{1,2})-(\\d{1,2}))?");

  public Plant {
    if (!PARTY.equals(kind)) {
      throw new IllegalArgumentException("unknown plant kind '" + kind + "' (known: " + PARTY + ")");
    }
    if (day < 0) {
      throw new IllegalArgumentException("plant day must be >= 0, got " + day);
    }
    if (fromHour < 0 || fromHour > 23 || toHour <= fromHour || toHour > 24) {
      throw new IllegalArgumentException("plant hours must satisfy 0 <= FROM < TO <= 24, got " + fromHour + "-"
          + toHour);
    }
  }

  /**
   * Parses {@code KIND@DAY[:FROM-TO]}, e.g. {@code party@200} or {@code party@200:19-23}.
   *
   * @throws IllegalArgumentException naming the expected form
   */
  public static Plant parse(final String text) {
    final Matcher m = FORM.matcher(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("plant must be KIND@DAY[:FROM-TO] (e.g. party@200:20-24), got '" + text
          + "'");
    }
    return m.group(3) == null ? new Plant(m.group(1), Integer.parseInt(m.group(2)), DEFAULT_FROM_HOUR,
        DEFAULT_TO_HOUR)
        : new Plant(m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
            Integer.parseInt(m.group(4)));
  }

  /** Whether the inference at {@code time} shows the planted scene in a simulation of {@code config}. */
  public boolean covers(final SimulationConfig config, final Instant time) {
    final ZoneId zone = config.zone();
    final ZonedDateTime local = time.atZone(zone);
    final ZonedDateTime first = config.start().atZone(zone).toLocalDate().plusDays(day).atStartOfDay(zone);
    return !local.isBefore(first) && local.getHour() >= fromHour && local.getHour() < toHour;
  }

  /** The first instant of the planted scene. */
  public Instant start(final SimulationConfig config) {
    return config.start().atZone(config.zone()).toLocalDate().plusDays(day).atStartOfDay(config.zone())
        .plusHours(fromHour).toInstant();
  }

  @Override
  public String toString() {
    return kind + "@" + day + ":" + fromHour + "-" + toHour;
  }
}
