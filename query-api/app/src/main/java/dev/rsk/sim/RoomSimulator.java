package dev.rsk.sim;

import static dev.rsk.sim.RoomModel.SCENE;
import static dev.rsk.sim.RoomObjects.clamp;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * A camera watching a living room: one inference every few minutes, each a DAG of module activations under a
 * {@code scene} root. People are there mostly by day (more at weekends), a cat mostly at night (a little more in
 * winter, and it stays for a while once it comes: a two-state Markov chain), a visiting dog some days, the furniture
 * always. Objects have parts (a cat: head, eyes, tail; a person: face, hands; a dog: head, tail) and attributes
 * (size, position, colour, confidence) with realistic variation and detector noise; a sleeping cat is curled up
 * (smaller) on the sofa, a walking one is larger the closer it is to the camera.
 *
 * <p>Deterministic: one {@link SplittableRandom} seeded from the configuration drives every choice, in generation
 * order. The events of an inference are returned in random order (producers do not promise topological order).
 * Not thread-safe: one iterator per thread. This class keeps the schedule (time, light, who is in the room);
 * {@link RoomObjects} draws what the camera sees, into an {@link InferenceFrame}.
 */
public final class RoomSimulator implements Iterator<SimulatedInference> {

  /** Probability per step that a present cat leaves: visits last about an hour at a 12-minute interval. */
  private static final double CAT_LEAVE = 0.2;

  private final SimulationConfig config;
  private final SplittableRandom rnd;
  private final RoomObjects objects;
  private final int total;
  private int nextIndex;

  private LocalDate day;
  private boolean dogDay;
  private double cloud;
  private boolean catPresent;
  private boolean catSleeping;

  public RoomSimulator(final SimulationConfig config) {
    this.config = config;
    this.rnd = new SplittableRandom(config.seed());
    this.objects = new RoomObjects(rnd);
    this.total = config.inferenceCount();
  }

  /** Total number of inferences this simulator generates. */
  public int total() {
    return total;
  }

  @Override
  public boolean hasNext() {
    return nextIndex < total;
  }

  @Override
  public SimulatedInference next() {
    if (!hasNext()) {
      throw new NoSuchElementException("all " + total + " inferences were generated");
    }
    final int index = nextIndex++;
    // A few seconds of jitter: cameras do not fire on the exact minute.
    final Instant time = config.start()
        .plusSeconds(index * 60L * config.intervalMinutes())
        .plusMillis(rnd.nextInt(20_000));
    final ZonedDateTime local = time.atZone(config.zone());
    final int hour = local.getHour();
    final double hourFraction = hour + local.getMinute() / 60.0;
    final boolean weekend = local.getDayOfWeek() == DayOfWeek.SATURDAY || local.getDayOfWeek() == DayOfWeek.SUNDAY;
    if (!local.toLocalDate().equals(day)) {
      day = local.toLocalDate();
      dogDay = rnd.nextDouble() < (weekend ? 0.45 : 0.12);
      cloud = 0.6 + 0.4 * rnd.nextDouble();
    }

    if (config.planted(time)) {
      return party(index, time, hourFraction, local.getDayOfYear());
    }
    final int people = people(hour, weekend);
    final double daylight = daylight(hourFraction, local.getDayOfYear()) * cloud;
    final boolean lampOn = daylight < 0.25 && people > 0;
    final boolean tvOn = people > 0 && hour >= 18 && rnd.nextDouble() < 0.5;
    final double brightness = clamp(Math.max(daylight, lampOn ? 0.55 : 0.04) + gauss(0.02));
    stepCat(hour, local.getDayOfYear(), people);
    final boolean dog = dogDay && hour >= 9 && hour < 19 && rnd.nextDouble() < 0.6;

    final InferenceFrame frame = new InferenceFrame(config.inferenceId(index), time);
    final int sceneObject = frame.add("scene", SCENE, null, 0);
    objects.furniture(frame, sceneObject, brightness, daylight, lampOn, tvOn);
    int moving = 0;
    for (int p = 0; p < people; p++) {
      objects.person(frame, sceneObject, p, brightness);
      moving++;
    }
    if (catPresent) {
      objects.cat(frame, sceneObject, brightness, catSleeping);
      moving += catSleeping ? 0 : 1;
    }
    if (dog) {
      objects.dog(frame, sceneObject, brightness);
      moving++;
    }
    frame.attributes(sceneObject, new float[] {(float) brightness, (float) clamp(0.25 * moving + gauss(0.03))});
    return frame.build(index, rnd, config.source(), config.embedding());
  }

  /**
   * The planted scene ({@link Plant#PARTY}): 5 to 8 people, the lamp on, the TV off, the cat hiding (it is
   * gone when the party ends) and no dog; drawn with the same objects and noise as the ordinary room.
   */
  private SimulatedInference party(final int index, final Instant time, final double hourFraction,
      final int dayOfYear) {
    final int people = 5 + rnd.nextInt(4);
    final double daylight = daylight(hourFraction, dayOfYear) * cloud;
    final double brightness = clamp(Math.max(daylight, 0.55) + gauss(0.02));
    catPresent = false;
    final InferenceFrame frame = new InferenceFrame(config.inferenceId(index), time);
    final int sceneObject = frame.add("scene", SCENE, null, 0);
    objects.furniture(frame, sceneObject, brightness, daylight, true, false);
    for (int p = 0; p < people; p++) {
      objects.person(frame, sceneObject, p, brightness);
    }
    frame.attributes(sceneObject, new float[] {(float) brightness, (float) clamp(0.25 * people + gauss(0.03))});
    return frame.build(index, rnd, config.source(), config.embedding());
  }

  /** How many people are in the room: mostly mornings and evenings on weekdays, all day at weekends. */
  private int people(final int hour, final boolean weekend) {
    final double present;
    if (weekend) {
      present = hour < 8 ? 0.03 : hour < 23 ? 0.75 : 0.4;
    } else {
      present = hour < 6 ? 0.02 : hour < 9 ? 0.8 : hour < 17 ? 0.15 : hour < 23 ? 0.85 : 0.3;
    }
    if (rnd.nextDouble() >= present) {
      return 0;
    }
    return 1 + (rnd.nextDouble() < 0.35 ? 1 : 0) + (rnd.nextDouble() < 0.1 ? 1 : 0);
  }

  /** The cat: a Markov chain whose stationary presence follows the hour (night), the season and the crowd. */
  private void stepCat(final int hour, final int dayOfYear, final int people) {
    final boolean night = hour >= 22 || hour < 6;
    final double base = night ? 0.78 : (hour < 8 || hour >= 20) ? 0.45 : 0.10;
    final double season = 1.0 + 0.2 * Math.cos(2 * Math.PI * (dayOfYear - 15) / 365.25);
    final double target = Math.min(0.9, base * season * (people >= 2 ? 0.7 : 1.0));
    final boolean wasPresent = catPresent;
    if (catPresent) {
      catPresent = rnd.nextDouble() >= CAT_LEAVE;
    } else {
      catPresent = rnd.nextDouble() < Math.min(1.0, target * CAT_LEAVE / (1.0 - target));
    }
    if (catPresent && (!wasPresent || rnd.nextDouble() < 0.2)) {
      catSleeping = rnd.nextDouble() < (night ? 0.7 : 0.5);
    }
  }

  /** Daylight in [0, 1]: longer days in summer (northern hemisphere), a sine over the day. */
  static double daylight(final double hour, final int dayOfYear) {
    final double dayLength = 12.0 + 4.0 * Math.cos(2 * Math.PI * (dayOfYear - 172) / 365.25);
    final double sunrise = 12.0 - dayLength / 2;
    final double sunset = 12.0 + dayLength / 2;
    if (hour <= sunrise || hour >= sunset) {
      return 0.0;
    }
    return Math.sin(Math.PI * (hour - sunrise) / dayLength);
  }

  private double gauss(final double sd) {
    return objects.gauss(sd);
  }
}
