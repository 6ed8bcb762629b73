package dev.rsk.sketch;

import dev.rsk.sketch.SketchException.Reason;

/**
 * One kind of edge of an object DAG, counted: objects of module {@code input} fed slot {@code slot} of
 * objects of module {@code module}, {@code count} times (one per object edge). The slot is the one the
 * sketch tags with {@code R_{module,slot}}: the input's own slot, else its position.
 */
public record ModuleEdge(String module, String slot, String input, int count) {
  public ModuleEdge {
    if (module == null || slot == null || input == null) {
      throw new SketchException(Reason.INVALID_OBJECT, "module edge module, slot and input must not be null");
    }
    if (count < 1) {
      throw new SketchException(Reason.INVALID_OBJECT, "module edge count must be >= 1, got " + count);
    }
  }
}
