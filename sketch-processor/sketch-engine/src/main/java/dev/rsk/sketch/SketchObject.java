package dev.rsk.sketch;

import dev.rsk.sketch.SketchException.Reason;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One firing of a module: its id within the inference, module name, attribute vector and inputs.
 *
 * <p>The constructor rejects null ids/modules/attributes ({@link Reason#INVALID_OBJECT}) and NaN or
 * infinite attributes ({@link Reason#NON_FINITE_ATTRIBUTE}). {@code inputs == null} means no inputs.
 * The attribute array is not copied: do not mutate it after construction.
 */
public record SketchObject(String id, String module, float[] attributes, List<SketchInput> inputs) {
  public SketchObject {
    if (id == null) {
      throw new SketchException(Reason.INVALID_OBJECT, "object id must not be null");
    }
    if (module == null || module.isEmpty()) {
      throw new SketchException(Reason.INVALID_OBJECT, "object " + id + ": module must be non-empty");
    }
    if (attributes == null) {
      throw new SketchException(Reason.INVALID_OBJECT, "object " + id + ": attributes must not be null");
    }
    for (int i = 0; i < attributes.length; i++) {
      if (!Float.isFinite(attributes[i])) {
        throw new SketchException(
            Reason.NON_FINITE_ATTRIBUTE,
            "object " + id + " (module " + module + "): attribute " + i + " is " + attributes[i]);
      }
    }
    inputs = inputs == null ? List.of() : List.copyOf(inputs);
  }

  /** A leaf object. */
  public static SketchObject leaf(final String id, final String module, final float... attributes) {
    return new SketchObject(id, module, attributes, List.of());
  }

  @Override
  public boolean equals(final Object o) {
    return o instanceof SketchObject other
        && id.equals(other.id)
        && module.equals(other.module)
        && Arrays.equals(attributes, other.attributes)
        && inputs.equals(other.inputs);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, module, Arrays.hashCode(attributes), inputs);
  }

  @Override
  public String toString() {
    return "SketchObject[id=" + id + ", module=" + module + ", attributes="
        + Arrays.toString(attributes) + ", inputs=" + inputs + "]";
  }
}
