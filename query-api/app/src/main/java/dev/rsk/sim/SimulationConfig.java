package dev.rsk.sim;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/**
 * What the room simulator generates: {@code days} of inferences, one every {@code intervalMinutes}, starting at
 * {@code start}; hours of day are read in {@code zone}. Everything random derives from {@code seed}, so two runs
 * with the same configuration produce the same events, in the same order, and the same ground truth.
 *
 * @param days number of simulated days, 1 to {@value #MAX_DAYS}
 * @param intervalMinutes minutes between two inferences, 1 to 1440
 * @param seed seed of every random choice
 * @param start time of the first inference
 * @param zone time zone of the room (for "night" and the hour-of-day truth)
 * @param source the {@code source} field of every event (the camera's name)
 * @param idPrefix inference ids are {@code idPrefix + "-" + zero-padded index}
 * @param plant a new kind of scene planted from a given day on ({@link Plant}), or null for none
 * @param embedding floats of an embedding appended to every object's attributes (0: none, the room's own few
 *     attributes only): the embedding-sized workload sketches are made for (docs/exact-stats.md, "Bytes on disk")
 */
public record SimulationConfig(
    int days, int intervalMinutes, long seed, Instant start, ZoneId zone, String source, String idPrefix,
    Plant plant, int embedding) {

  /** A year. */
  public static final int DEFAULT_DAYS = 365;
  /**
   * 12 minutes: 43,800 inferences (~400k events) a year, which the standalone stack publishes and processes in well
   * under two minutes on a 2-core machine (see docs/demo.md for the measurement).
   */
  public static final int DEFAULT_INTERVAL_MINUTES = 12;
  public static final long DEFAULT_SEED = 42L;
  /** A fixed start keeps runs reproducible; a year from 2025-01-01 covers every month once. */
  public static final Instant DEFAULT_START = Instant.parse("2025-01-01T00:00:00Z");
  public static final ZoneId DEFAULT_ZONE = ZoneId.of("UTC");
  public static final String DEFAULT_SOURCE = "camera-livingroom";
  public static final String DEFAULT_ID_PREFIX = "room";
  /** Largest embedding: the processor's default attribute-length limit is far above it (docs/processor.md). */
  public static final int MAX_EMBEDDING = 4096;
  /** Ten years: beyond that the in-memory ground truth (per-inference content) grows past a few hundred MB. */
  public static final int MAX_DAYS = 3660;

  public SimulationConfig {
    if (days < 1 || days > MAX_DAYS) {
      throw new IllegalArgumentException("days must be in [1, " + MAX_DAYS + "], got " + days);
    }
    if (intervalMinutes < 1 || intervalMinutes > 1440) {
      throw new IllegalArgumentException("intervalMinutes must be in [1, 1440], got " + intervalMinutes);
    }
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(idPrefix, "idPrefix");
    if (idPrefix.isBlank()) {
      throw new IllegalArgumentException("idPrefix must not be blank");
    }
    if (embedding < 0 || embedding > MAX_EMBEDDING) {
      throw new IllegalArgumentException("embedding must be in [0, " + MAX_EMBEDDING + "], got " + embedding);
    }
    if (plant != null && plant.day() >= days) {
      throw new IllegalArgumentException("plant day " + plant.day() + " is after the last simulated day "
          + (days - 1));
    }
  }

  /** Without an embedding. */
  public SimulationConfig(final int days, final int intervalMinutes, final long seed, final Instant start,
      final ZoneId zone, final String source, final String idPrefix, final Plant plant) {
    this(days, intervalMinutes, seed, start, zone, source, idPrefix, plant, 0);
  }

  /** Without a plant. */
  public SimulationConfig(final int days, final int intervalMinutes, final long seed, final Instant start,
      final ZoneId zone, final String source, final String idPrefix) {
    this(days, intervalMinutes, seed, start, zone, source, idPrefix, null);
  }

  /** The defaults: a year, one inference every 12 minutes, seed 42, from 2025-01-01 UTC. */
  public static SimulationConfig defaults() {
    return new SimulationConfig(
        DEFAULT_DAYS, DEFAULT_INTERVAL_MINUTES, DEFAULT_SEED, DEFAULT_START, DEFAULT_ZONE, DEFAULT_SOURCE,
        DEFAULT_ID_PREFIX);
  }

  public SimulationConfig withDays(final int newDays) {
    return new SimulationConfig(newDays, intervalMinutes, seed, start, zone, source, idPrefix, plant, embedding);
  }

  public SimulationConfig withIntervalMinutes(final int minutes) {
    return new SimulationConfig(days, minutes, seed, start, zone, source, idPrefix, plant, embedding);
  }

  public SimulationConfig withSeed(final long newSeed) {
    return new SimulationConfig(days, intervalMinutes, newSeed, start, zone, source, idPrefix, plant, embedding);
  }

  /** The same simulation with {@code newPlant} (null: none). */
  public SimulationConfig withPlant(final Plant newPlant) {
    return new SimulationConfig(days, intervalMinutes, seed, start, zone, source, idPrefix, newPlant, embedding);
  }

  /** The same simulation with a {@code floats}-float embedding on every object (0: none). */
  public SimulationConfig withEmbedding(final int floats) {
    return new SimulationConfig(days, intervalMinutes, seed, start, zone, source, idPrefix, plant, floats);
  }

  /** The same simulation starting at {@code newStart}, its inference ids {@code newPrefix-NNNNNN}. */
  public SimulationConfig withStart(final Instant newStart, final String newPrefix) {
    return new SimulationConfig(days, intervalMinutes, seed, newStart, zone, source, newPrefix, plant, embedding);
  }

  /** Whether the inference at {@code time} shows the planted scene (false without a plant). */
  public boolean planted(final Instant time) {
    return plant != null && plant.covers(this, time);
  }

  /** Number of inferences generated. */
  public int inferenceCount() {
    return (int) ((long) days * 1440L / intervalMinutes);
  }

  /** End of the simulated period (exclusive). */
  public Instant end() {
    return start.plusSeconds((long) days * 86_400L);
  }

  /** The id of the inference with this index. */
  public String inferenceId(final int index) {
    return String.format("%s-%06d", idPrefix, index);
  }
}
