package dev.rsk.sketch;

import dev.rsk.sketch.SketchException.Reason;

/**
 * One input edge of an object: the child object, the input slot it feeds and its weight.
 *
 * @param childId id of the input object (same inference)
 * @param slot input slot; {@code null} means "by position" and is resolved by {@link ObjectDag} to
 *     {@code String.valueOf(position in the input list)}
 * @param weight importance or confidence, finite and {@code >= 0} (else {@link
 *     Reason#INVALID_WEIGHT})
 */
public record SketchInput(String childId, String slot, float weight) {
  public SketchInput {
    if (childId == null) {
      throw new SketchException(Reason.INVALID_OBJECT, "input childId must not be null");
    }
    if (!Float.isFinite(weight) || weight < 0) {
      throw new SketchException(
          Reason.INVALID_WEIGHT,
          "input weight must be finite and >= 0, got " + weight + " (input " + childId + ")");
    }
  }

  /** An input with weight 1. */
  public static SketchInput of(final String childId, final String slot) {
    return new SketchInput(childId, slot, 1f);
  }
}
