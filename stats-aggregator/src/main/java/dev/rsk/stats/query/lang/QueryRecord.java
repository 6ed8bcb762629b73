package dev.rsk.stats.query.lang;

import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchSpec;
import java.util.Set;

/**
 * The one view of a stored inference the query engine reads. The repository's storage form (today the
 * Avro {@code InferenceSketch}, later a compact binary form) adapts to it, so the engine does not change
 * when the storage does.
 */
public interface QueryRecord {

  String inferenceId();

  /** Event time, epoch ms. */
  long eventTime();

  /** The source ("" when none). */
  String source();

  /** Whether the source is {@code source}; a stored form may compare without building the string. */
  default boolean sourceIs(final String source) {
    return source.equals(source());
  }

  /** Exact number of objects of {@code module} in the inference, 0 when none. */
  int count(String module);

  /**
   * Exact sum of attribute {@code index} over the inference's {@code module} objects, or NaN when the
   * record carries no exact sums for the module (producers that predate them).
   */
  double attributeSum(String module, int index);

  /** Whether the record carries its structure's edges; when false, paths are decoded from the sketch. */
  boolean hasEdges();

  /**
   * With {@link #hasEdges()}: whether some {@code input} object is an input (any slot) of some {@code
   * parent} object. Undefined otherwise.
   */
  boolean edge(String parent, String input);

  /**
   * With {@link #hasEdges()}: the modules some of whose objects have an {@code input} object as an input (any
   * slot); empty when no object of the record has one (the root's module, a module not in the record).
   * Undefined otherwise. It may allocate: only paths the edges alone cannot decide ask it.
   */
  Set<String> parents(String input);

  /** The inference's sketch with its spec. */
  Sketch sketch();

  /** The spec of {@link #sketch()}; a stored form may read it without decoding the vector. */
  default SketchSpec spec() {
    return sketch().spec();
  }

  /** The length of {@link #sketch()}'s vector. */
  default int vectorLength() {
    return sketch().length();
  }

  /** Adds {@link #sketch()}'s vector to {@code acc} (of length {@link #vectorLength()}). */
  default void addVectorTo(final float[] acc) {
    final float[] v = sketch().vector();
    for (int i = 0; i < acc.length; i++) {
      acc[i] += v[i];
    }
  }
}
