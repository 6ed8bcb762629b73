package dev.rsk.sim;

import static dev.rsk.sim.RoomModel.CAT;
import static dev.rsk.sim.RoomModel.CUSHION;
import static dev.rsk.sim.RoomModel.DOG;
import static dev.rsk.sim.RoomModel.EYE;
import static dev.rsk.sim.RoomModel.FACE;
import static dev.rsk.sim.RoomModel.HAND;
import static dev.rsk.sim.RoomModel.HEAD;
import static dev.rsk.sim.RoomModel.LAMP;
import static dev.rsk.sim.RoomModel.PERSON;
import static dev.rsk.sim.RoomModel.PLANT;
import static dev.rsk.sim.RoomModel.SCENE;
import static dev.rsk.sim.RoomModel.SOFA;
import static dev.rsk.sim.RoomModel.TABLE;
import static dev.rsk.sim.RoomModel.TAIL;
import static dev.rsk.sim.RoomModel.TV;
import static dev.rsk.sim.RoomModel.WINDOW;

import dev.rsk.avro.ModuleActivation;
import dev.rsk.avro.ModuleInput;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * Not thread-safe: one iterator per thread.
 */
public final class RoomSimulator implements Iterator<SimulatedInference> {

  /** Probability per step that a present cat leaves: visits last about an hour at a 12-minute interval. */
  private static final double CAT_LEAVE = 0.2;
  private static final float[] PERSON_HUES = {0.60f, 0.95f, 0.33f};

  private final SimulationConfig config;
  private final SplittableRandom rnd;
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

    final int people = people(hour, weekend);
    final double daylight = daylight(hourFraction, local.getDayOfYear()) * cloud;
    final boolean lampOn = daylight < 0.25 && people > 0;
    final boolean tvOn = people > 0 && hour >= 18 && rnd.nextDouble() < 0.5;
    final double brightness = clamp(Math.max(daylight, lampOn ? 0.55 : 0.04) + gauss(0.02));
    stepCat(hour, local.getDayOfYear(), people);
    final boolean dog = dogDay && hour >= 9 && hour < 19 && rnd.nextDouble() < 0.6;

    final Frame frame = new Frame(config.inferenceId(index), time);
    final int sceneObject = frame.add("scene", SCENE, null, 0);
    furniture(frame, sceneObject, brightness, daylight, lampOn, tvOn);
    int moving = 0;
    for (int p = 0; p < people; p++) {
      person(frame, sceneObject, p, brightness);
      moving++;
    }
    if (catPresent) {
      cat(frame, sceneObject, brightness);
      moving += catSleeping ? 0 : 1;
    }
    if (dog) {
      dog(frame, sceneObject, brightness);
      moving++;
    }
    frame.attributes(sceneObject, new float[] {(float) brightness, (float) clamp(0.25 * moving + gauss(0.03))});
    return frame.build(index, rnd, config.source());
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

  private void furniture(final Frame frame, final int scene, final double brightness, final double daylight,
      final boolean lampOn, final boolean tvOn) {
    final int sofa = fixed(frame, scene, "sofa", SOFA, 0.55, 0.30, 0.60, 0.60, brightness);
    // Cushions get moved around; sometimes one is on the floor out of view.
    final int cushions = rnd.nextDouble() < 0.7 ? 3 : 2;
    for (int i = 0; i < cushions; i++) {
      part(frame, sofa, "sofa/cushion" + (i + 1), CUSHION, "cushion" + (i + 1), 0.08, 0.18 + 0.12 * i + gauss(0.02),
          0.55 + gauss(0.01), 0.7 + 0.25 * brightness);
    }
    fixed(frame, scene, "table", TABLE, 0.30, 0.60, 0.70, 0.10, brightness);
    fixed(frame, scene, "lamp", LAMP, 0.20, 0.85, 0.35, lampOn ? 0.15 : 0.50, brightness);
    fixed(frame, scene, "plant", PLANT, 0.18, 0.10, 0.40, 0.33, brightness);
    fixed(frame, scene, "tv", TV, 0.25, 0.60, 0.30, tvOn ? 0.55 + 0.3 * rnd.nextDouble() : 0.05, brightness);
    fixed(frame, scene, "window", WINDOW, 0.35, 0.35, 0.25, 0.55 + 0.1 * daylight, brightness);
  }

  private int fixed(final Frame frame, final int scene, final String id, final String module, final double size,
      final double x, final double y, final double hue, final double brightness) {
    final float[] a = {
        (float) clamp(size + gauss(0.01)), (float) clamp(x + gauss(0.01)), (float) clamp(y + gauss(0.01)),
        (float) hue(hue + gauss(0.01)), (float) confidence(0.8 + 0.15 * brightness, 0.03)};
    final int object = frame.add(id, module, a, 1);
    frame.link(scene, object, module);
    return object;
  }

  private void person(final Frame frame, final int scene, final int p, final double brightness) {
    final boolean sitting = rnd.nextDouble() < 0.5;
    final double size = sitting ? 0.5 + gauss(0.03) : 0.8 + gauss(0.05);
    final double x = sitting ? 0.30 + gauss(0.05) : 0.15 + 0.75 * rnd.nextDouble();
    final double y = sitting ? 0.55 + gauss(0.02) : 0.55 + 0.2 * rnd.nextDouble();
    final double conf = confidence(0.7 + 0.25 * brightness, 0.04);
    final String id = "person" + (p + 1);
    final int person = frame.add(id, PERSON, new float[] {
        (float) clamp(size), (float) clamp(x), (float) clamp(y), (float) hue(PERSON_HUES[p] + gauss(0.05)),
        (float) conf}, 1);
    frame.link(scene, person, PERSON);
    if (rnd.nextDouble() < 0.7) {
      part(frame, person, id + "/face", FACE, "face", 0.12 * size, x, y - 0.3 * size, conf);
    }
    if (rnd.nextDouble() < 0.75) {
      part(frame, person, id + "/left_hand", HAND, "left_hand", 0.06, x - 0.1, y - 0.1, conf - 0.1);
    }
    if (rnd.nextDouble() < 0.75) {
      part(frame, person, id + "/right_hand", HAND, "right_hand", 0.06, x + 0.1, y - 0.1, conf - 0.1);
    }
  }

  private void cat(final Frame frame, final int scene, final double brightness) {
    final double x;
    final double y;
    final double size;
    if (catSleeping) { // curled up on the sofa
      x = 0.32 + gauss(0.03);
      y = 0.58 + gauss(0.02);
      size = 0.34 + gauss(0.025);
    } else { // walking: larger the lower (closer) in the frame
      x = 0.1 + 0.8 * rnd.nextDouble();
      y = 0.6 + 0.35 * rnd.nextDouble();
      size = 0.42 + 0.2 * (y - 0.6) / 0.35 + gauss(0.03);
    }
    final double conf = confidence(0.6 + 0.35 * brightness, 0.05);
    final int cat = frame.add("cat1", CAT, new float[] {
        (float) clamp(size), (float) clamp(x), (float) clamp(y), (float) hue(0.08 + gauss(0.015)), (float) conf}, 1);
    frame.link(scene, cat, CAT);
    final boolean dark = brightness < 0.3;
    if (rnd.nextDouble() < (catSleeping ? 0.85 : 0.97)) {
      part(frame, cat, "cat1/head", HEAD, "head", 0.3 * size, x - 0.08, y - 0.05, conf - 0.05);
      for (final String side : new String[] {"left_eye", "right_eye"}) {
        if (rnd.nextDouble() < (catSleeping ? 0.45 : 0.85)) {
          final double openness = catSleeping ? 0.05 + Math.abs(gauss(0.03)) : 0.9 + gauss(0.05);
          final double glow = dark && !catSleeping ? 0.85 + gauss(0.05) : 0.1 + gauss(0.03);
          final float[] eye = {
              (float) clamp(openness), (float) clamp(x - 0.08 + ("left_eye".equals(side) ? -0.01 : 0.01)),
              (float) clamp(y - 0.07 + gauss(0.005)), (float) clamp(glow)};
          frame.link(cat, frame.add("cat1/" + side, EYE, eye, 2), side);
        }
      }
    }
    if (rnd.nextDouble() < (catSleeping ? 0.4 : 0.85)) {
      final float[] tail = {
          (float) clamp(0.5 * size + gauss(0.02)), (float) clamp(x + 0.1), (float) clamp(y + gauss(0.01)),
          (float) clamp((catSleeping ? 0.9 : 0.3) + gauss(0.05))};
      frame.link(cat, frame.add("cat1/tail", TAIL, tail, 2), "tail");
    }
  }

  private void dog(final Frame frame, final int scene, final double brightness) {
    final double x = 0.1 + 0.8 * rnd.nextDouble();
    final double y = 0.6 + 0.35 * rnd.nextDouble();
    final double size = 0.6 + 0.25 * (y - 0.6) / 0.35 + gauss(0.04);
    final double conf = confidence(0.65 + 0.3 * brightness, 0.05);
    final int dog = frame.add("dog1", DOG, new float[] {
        (float) clamp(size), (float) clamp(x), (float) clamp(y), (float) hue(0.11 + gauss(0.02)), (float) conf}, 1);
    frame.link(scene, dog, DOG);
    if (rnd.nextDouble() < 0.95) {
      part(frame, dog, "dog1/head", HEAD, "head", 0.3 * size, x - 0.1, y - 0.08, conf - 0.05);
    }
    if (rnd.nextDouble() < 0.8) {
      final float[] tail = {
          (float) clamp(0.4 * size + gauss(0.02)), (float) clamp(x + 0.12), (float) clamp(y - 0.02),
          (float) clamp(0.2 + gauss(0.05))};
      frame.link(dog, frame.add("dog1/tail", TAIL, tail, 2), "tail");
    }
  }

  private void part(final Frame frame, final int parent, final String id, final String module, final String slot,
      final double size, final double x, final double y, final double conf) {
    final float[] a = {
        (float) clamp(size + gauss(0.005)), (float) clamp(x + gauss(0.01)), (float) clamp(y + gauss(0.01)),
        (float) clamp(conf + gauss(0.03))};
    frame.link(parent, frame.add(id, module, a, frame.depth(parent) + 1), slot);
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
    return sd * rnd.nextGaussian();
  }

  private double confidence(final double mean, final double sd) {
    return Math.max(0.3, Math.min(0.99, mean + gauss(sd)));
  }

  private static double clamp(final double v) {
    return Math.max(0.0, Math.min(1.0, v));
  }

  private static double hue(final double h) {
    return h - Math.floor(h);
  }

  /** The objects of one inference while it is built. */
  private static final class Frame {
    private final String inferenceId;
    private final Instant time;
    private final List<String> ids = new ArrayList<>();
    private final List<String> modules = new ArrayList<>();
    private final List<float[]> attributes = new ArrayList<>();
    private final List<List<ModuleInput>> inputs = new ArrayList<>();
    private final List<Integer> depths = new ArrayList<>();

    Frame(final String inferenceId, final Instant time) {
      this.inferenceId = inferenceId;
      this.time = time;
    }

    int add(final String id, final String module, final float[] attrs, final int depth) {
      ids.add(id);
      modules.add(module);
      attributes.add(attrs);
      inputs.add(new ArrayList<>());
      depths.add(depth);
      return ids.size() - 1;
    }

    void attributes(final int object, final float[] attrs) {
      attributes.set(object, attrs);
    }

    int depth(final int object) {
      return depths.get(object);
    }

    void link(final int parent, final int child, final String slot) {
      inputs.get(parent).add(new ModuleInput(ids.get(child), slot, 1.0f));
    }

    SimulatedInference build(final int index, final SplittableRandom rnd, final String source) {
      final List<ModuleActivation> events = new ArrayList<>(ids.size());
      final Map<String, double[]> sums = new LinkedHashMap<>();
      final Map<String, int[]> countAndDepth = new LinkedHashMap<>();
      for (int i = 0; i < ids.size(); i++) {
        final float[] a = attributes.get(i);
        final List<Float> values = new ArrayList<>(a.length);
        final double[] sum = sums.computeIfAbsent(modules.get(i), m -> new double[a.length]);
        for (int j = 0; j < a.length; j++) {
          values.add(a[j]);
          sum[j] += a[j];
        }
        final int[] cd = countAndDepth.computeIfAbsent(modules.get(i), m -> new int[] {0, Integer.MAX_VALUE});
        cd[0]++;
        cd[1] = Math.min(cd[1], depths.get(i));
        events.add(new ModuleActivation(
            inferenceId, ids.get(i), modules.get(i), values, inputs.get(i), i == 0, time, source));
      }
      // Fisher-Yates with our own generator so the order is part of the deterministic output.
      for (int i = events.size() - 1; i > 0; i--) {
        Collections.swap(events, i, rnd.nextInt(i + 1));
      }
      final Map<String, InferenceContent.ModuleContent> content = new LinkedHashMap<>();
      countAndDepth.forEach((module, cd) -> {
        final double[] mean = sums.get(module);
        for (int j = 0; j < mean.length; j++) {
          mean[j] /= cd[0];
        }
        content.put(module, new InferenceContent.ModuleContent(cd[0], cd[1], mean));
      });
      return new SimulatedInference(index, inferenceId, List.copyOf(events),
          new InferenceContent(inferenceId, time, ids.size(), Collections.unmodifiableMap(content)));
    }
  }
}
