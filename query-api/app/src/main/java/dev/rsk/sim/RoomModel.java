package dev.rsk.sim;

import java.util.List;
import java.util.Map;

/**
 * The modules of the simulated room camera's network and the meaning of each attribute dimension. A module always
 * emits the same number of attributes (its {@code k}). Every attribute is scaled to roughly [0, 1] so the sketch
 * sees comparable magnitudes.
 *
 * <pre>
 * scene (root)
 *  ├─ sofa ─ cushion (2 or 3)
 *  ├─ table, lamp, plant, tv, window    furniture, always there
 *  ├─ person ─ face, left_hand, right_hand
 *  ├─ cat ─── head, left_eye, right_eye, tail
 *  └─ dog ─── head, tail
 * </pre>
 * Inputs of the scene use the child's module name as slot; parts use their role ({@code head}, {@code left_eye}...).
 */
public final class RoomModel {

  public static final String SCENE = "scene";
  public static final String SOFA = "sofa";
  public static final String TABLE = "table";
  public static final String LAMP = "lamp";
  public static final String PLANT = "plant";
  public static final String TV = "tv";
  public static final String WINDOW = "window";
  public static final String CUSHION = "cushion";
  public static final String PERSON = "person";
  public static final String CAT = "cat";
  public static final String DOG = "dog";
  public static final String HEAD = "head";
  public static final String FACE = "face";
  public static final String HAND = "hand";
  public static final String EYE = "eye";
  public static final String TAIL = "tail";

  private static final List<String> OBJECT = List.of("size", "x", "y", "hue", "confidence");
  private static final List<String> PART = List.of("size", "x", "y", "confidence");

  /** Attribute names per module, in the order they are emitted. */
  public static final Map<String, List<String>> ATTRIBUTES = Map.ofEntries(
      Map.entry(SCENE, List.of("brightness", "motion")),
      Map.entry(SOFA, OBJECT),
      Map.entry(TABLE, OBJECT),
      Map.entry(LAMP, OBJECT),
      Map.entry(PLANT, OBJECT),
      Map.entry(TV, OBJECT),
      Map.entry(WINDOW, OBJECT),
      Map.entry(CUSHION, PART),
      Map.entry(PERSON, OBJECT),
      Map.entry(CAT, OBJECT),
      Map.entry(DOG, OBJECT),
      Map.entry(HEAD, PART),
      Map.entry(FACE, PART),
      Map.entry(HAND, PART),
      Map.entry(EYE, List.of("openness", "x", "y", "glow")),
      Map.entry(TAIL, List.of("length", "x", "y", "curl")));

  /** Index of the cat's {@code size} attribute. */
  public static final int SIZE = 0;

  private RoomModel() {}

  /** The attribute length k of a module of this model. */
  public static int k(final String module) {
    final List<String> names = ATTRIBUTES.get(module);
    if (names == null) {
      throw new IllegalArgumentException("not a module of the room model: " + module);
    }
    return names.size();
  }
}
