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
import static dev.rsk.sim.RoomModel.SOFA;
import static dev.rsk.sim.RoomModel.TABLE;
import static dev.rsk.sim.RoomModel.TAIL;
import static dev.rsk.sim.RoomModel.TV;
import static dev.rsk.sim.RoomModel.WINDOW;

import java.util.SplittableRandom;

/**
 * The objects {@link RoomSimulator} sees in the room, drawn into an {@link InferenceFrame} under the scene: the
 * furniture, people, the cat and the dog, with their parts and attributes (size, position, colour or state,
 * confidence) varied and blurred by detector noise. Draws from the simulator's own generator, so that the output
 * stays a deterministic function of the seed; not thread-safe.
 */
final class RoomObjects {

  private static final float[] PERSON_HUES = {0.60f, 0.95f, 0.33f};

  private final SplittableRandom rnd;

  RoomObjects(final SplittableRandom rnd) {
    this.rnd = rnd;
  }

  void furniture(final InferenceFrame frame, final int scene, final double brightness, final double daylight,
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

  private int fixed(final InferenceFrame frame, final int scene, final String id, final String module,
      final double size, final double x, final double y, final double hue, final double brightness) {
    final float[] a = {
        (float) clamp(size + gauss(0.01)), (float) clamp(x + gauss(0.01)), (float) clamp(y + gauss(0.01)),
        (float) hue(hue + gauss(0.01)), (float) confidence(0.8 + 0.15 * brightness, 0.03)};
    final int object = frame.add(id, module, a, 1);
    frame.link(scene, object, module);
    return object;
  }

  void person(final InferenceFrame frame, final int scene, final int p, final double brightness) {
    final boolean sitting = rnd.nextDouble() < 0.5;
    final double size = sitting ? 0.5 + gauss(0.03) : 0.8 + gauss(0.05);
    final double x = sitting ? 0.30 + gauss(0.05) : 0.15 + 0.75 * rnd.nextDouble();
    final double y = sitting ? 0.55 + gauss(0.02) : 0.55 + 0.2 * rnd.nextDouble();
    final double conf = confidence(0.7 + 0.25 * brightness, 0.04);
    final String id = "person" + (p + 1);
    final int person = frame.add(id, PERSON, new float[] {
        (float) clamp(size), (float) clamp(x), (float) clamp(y),
        (float) hue(PERSON_HUES[p % PERSON_HUES.length] + 0.1 * (p / PERSON_HUES.length) + gauss(0.05)),
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

  void cat(final InferenceFrame frame, final int scene, final double brightness, final boolean sleeping) {
    final double x;
    final double y;
    final double size;
    if (sleeping) { // curled up on the sofa
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
    if (rnd.nextDouble() < (sleeping ? 0.85 : 0.97)) {
      part(frame, cat, "cat1/head", HEAD, "head", 0.3 * size, x - 0.08, y - 0.05, conf - 0.05);
      for (final String side : new String[] {"left_eye", "right_eye"}) {
        if (rnd.nextDouble() < (sleeping ? 0.45 : 0.85)) {
          final double openness = sleeping ? 0.05 + Math.abs(gauss(0.03)) : 0.9 + gauss(0.05);
          final double glow = dark && !sleeping ? 0.85 + gauss(0.05) : 0.1 + gauss(0.03);
          final float[] eye = {
              (float) clamp(openness), (float) clamp(x - 0.08 + ("left_eye".equals(side) ? -0.01 : 0.01)),
              (float) clamp(y - 0.07 + gauss(0.005)), (float) clamp(glow)};
          frame.link(cat, frame.add("cat1/" + side, EYE, eye, 2), side);
        }
      }
    }
    if (rnd.nextDouble() < (sleeping ? 0.4 : 0.85)) {
      final float[] tail = {
          (float) clamp(0.5 * size + gauss(0.02)), (float) clamp(x + 0.1), (float) clamp(y + gauss(0.01)),
          (float) clamp((sleeping ? 0.9 : 0.3) + gauss(0.05))};
      frame.link(cat, frame.add("cat1/tail", TAIL, tail, 2), "tail");
    }
  }

  void dog(final InferenceFrame frame, final int scene, final double brightness) {
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

  private void part(final InferenceFrame frame, final int parent, final String id, final String module,
      final String slot, final double size, final double x, final double y, final double conf) {
    final float[] a = {
        (float) clamp(size + gauss(0.005)), (float) clamp(x + gauss(0.01)), (float) clamp(y + gauss(0.01)),
        (float) clamp(conf + gauss(0.03))};
    frame.link(parent, frame.add(id, module, a, frame.depth(parent) + 1), slot);
  }

  double gauss(final double sd) {
    return sd * rnd.nextGaussian();
  }

  private double confidence(final double mean, final double sd) {
    return Math.max(0.3, Math.min(0.99, mean + gauss(sd)));
  }

  static double clamp(final double v) {
    return Math.max(0.0, Math.min(1.0, v));
  }

  private static double hue(final double h) {
    return h - Math.floor(h);
  }
}
