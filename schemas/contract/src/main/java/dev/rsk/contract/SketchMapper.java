package dev.rsk.contract;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.avro.SketchParams;
import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchSpec;
import java.util.List;

/**
 * The one mapping between the Avro contract ({@link SketchParams}, {@link InferenceSketch}) and the
 * engine's values ({@link SketchSpec}, {@link Sketch}). Every module converts through here, so a new
 * parameter is added in one place.
 */
public final class SketchMapper {

  private SketchMapper() {}

  /**
   * The engine spec of a record's parameters.
   *
   * @throws dev.rsk.sketch.SketchException when the parameters do not form a valid spec
   */
  public static SketchSpec spec(final SketchParams p) {
    return new SketchSpec(p.getD(), p.getSeed(), p.getAlpha(), p.getBeta(), p.getSchemeVersion());
  }

  /** The record form of a spec. */
  public static SketchParams params(final SketchSpec s) {
    return SketchParams.newBuilder().setD(s.d()).setSeed(s.seed()).setAlpha(s.alpha()).setBeta(s.beta())
        .setSchemeVersion(s.schemeVersion()).build();
  }

  /** The record's vector as a float array (a copy). */
  public static float[] vector(final InferenceSketch s) {
    final List<Float> v = s.getVector();
    final float[] out = new float[v.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = v.get(i);
    }
    return out;
  }

  /**
   * The engine sketch a record carries.
   *
   * @throws dev.rsk.sketch.SketchException when the parameters are invalid or the vector is empty or
   *     longer than d
   */
  public static Sketch sketch(final InferenceSketch s) {
    return new Sketch(spec(s.getParams()), vector(s));
  }
}
