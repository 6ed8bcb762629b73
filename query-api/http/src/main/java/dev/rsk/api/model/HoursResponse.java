package dev.rsk.api.model;

import java.util.List;

/**
 * {@code GET /v1/modules/{module}/hours}: hour-of-day histogram of presence in a time zone. Exact.
 *
 * @param hours 24 rows, hour 0 to 23 local time
 * @param peakHour the local hour with the most inferences containing the module (-1 if none)
 */
public record HoursResponse(String module, String from, String to, String zone, long inferences,
    long withModule, List<Hour> hours, int peakHour, boolean exact, List<InstanceStatus> instances,
    boolean stale) implements GatheredAnswer {

  /**
   * One local hour of day.
   *
   * @param fraction withModule / inferences of that hour of day
   */
  public record Hour(int hour, long inferences, long withModule, double fraction) {}
}
