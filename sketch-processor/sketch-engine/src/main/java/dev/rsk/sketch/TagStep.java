package dev.rsk.sketch;

import dev.rsk.sketch.SketchException.Reason;

/**
 * One step of a tag path: "input {@code slot} of a {@code module}", i.e. the signed permutation
 * {@code R_{module,slot}} that {@link SketchDecoder#unroll} undoes. Rendered as {@code module[slot]}.
 */
public record TagStep(String module, String slot) {
  public TagStep {
    if (module == null || slot == null) {
      throw new SketchException(Reason.INVALID_OBJECT, "tag step module and slot must not be null");
    }
  }

  /** Parses {@code module[slot]} (the last {@code '['} separates them). */
  public static TagStep parse(final String text) {
    final int open = text == null ? -1 : text.lastIndexOf('[');
    if (open <= 0 || !text.endsWith("]")) {
      throw new SketchException(
          Reason.INVALID_OBJECT, "tag step must look like module[slot], got " + text);
    }
    return new TagStep(text.substring(0, open), text.substring(open + 1, text.length() - 1));
  }

  @Override
  public String toString() {
    return module + "[" + slot + "]";
  }
}
