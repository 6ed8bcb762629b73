package dev.rsk.sketch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.rsk.sketch.SketchException.Reason;
import java.util.List;
import org.junit.jupiter.api.Test;

class PresenceIndexTest {

  @Test
  void matchesOneByOnePresenceOnFullAndTruncatedSketches() {
    final SketchSpec spec = SketchSpec.of(512, 3, 0.5, 0.5);
    final Sketch s = new RecursiveSketcher(spec).sketch(ObjectDag.of(TestDags.smallDag(), "scene"));
    final List<String> modules = List.of("scene", "animal", "eye", "tail", "lamp", "absent");
    final PresenceIndex index = new PresenceIndex(spec, modules);
    final SketchDecoder dec = new SketchDecoder(spec);
    for (final Sketch t : List.of(s, Sketches.truncate(s, 0.3))) {
      final double[] p = index.presence(t);
      for (int m = 0; m < modules.size(); m++) {
        assertThat(p[m]).isCloseTo(dec.presence(t, modules.get(m)), within(1e-5));
      }
    }
    // the scene root has weight 1: its presence is about 1; the absent module about 0
    assertThat(index.presence(s)[0]).isCloseTo(1, within(4 * Math.sqrt(2) * s.norm() / Math.sqrt(512)));
    assertThatThrownBy(() -> index.presence(new RecursiveSketcher(spec.withSeed(4))
        .sketch(ObjectDag.of(TestDags.smallDag(), "scene"))))
        .isInstanceOfSatisfying(SketchException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SPEC_MISMATCH));
  }
}
