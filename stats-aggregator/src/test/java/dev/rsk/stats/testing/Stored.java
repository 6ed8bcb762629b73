package dev.rsk.stats.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.stats.model.RepositoryRecord;
import dev.rsk.stats.serde.RepositoryCodec;
import java.util.List;
import java.util.TreeMap;

/** Checks a repository value against the sketch that was sent. */
public final class Stored {

  private Stored() {}

  /**
   * The stored bytes hold {@code sent}'s side data exactly and its vector within int8 rounding: half a step of
   * max|v| / 127 per coordinate (plus float slack).
   */
  public static void assertHolds(final byte[] stored, final InferenceSketch sent) {
    assertThat(stored).isNotNull();
    final RepositoryRecord r = RepositoryCodec.decode(stored);
    assertThat(r.source()).isEqualTo(sent.getSource());
    assertThat(r.eventTime()).isEqualTo(sent.getEventTime().toEpochMilli());
    assertThat(r.sketchedAt()).isEqualTo(sent.getSketchedAt().toEpochMilli());
    assertThat(r.objectCount()).isEqualTo(sent.getObjectCount());
    assertThat(r.complete()).isEqualTo(sent.getComplete());
    assertThat(r.missingInputs()).isEqualTo(sent.getMissingInputs());
    assertThat(r.moduleCounts()).isEqualTo(new TreeMap<>(sent.getModuleCounts()));
    assertThat(r.attributeLengths()).isEqualTo(new TreeMap<>(sent.getAttributeLengths()));
    final List<Float> v = sent.getVector();
    assertThat(r.sketch().length()).isEqualTo(v.size());
    float max = 0;
    for (final Float x : v) {
      max = Math.max(max, Math.abs(x));
    }
    final float halfStep = max / 127f / 2f;
    for (int i = 0; i < v.size(); i++) {
      assertThat(r.sketch().vector()[i]).isCloseTo(v.get(i), within(halfStep * 1.001f + 1e-7f));
    }
  }
}
