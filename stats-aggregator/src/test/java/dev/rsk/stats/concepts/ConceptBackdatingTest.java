package dev.rsk.stats.concepts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A concept's {@code emergedAt} is the event-time answer whatever the arrival order: the demo's failure of session 17
 * (a fast upstream partition made the party dense on its fourth evening alone; the slow partition's first evenings
 * arrived after it had emerged and were not counted).
 */
class ConceptBackdatingTest {

  private static final long HOUR = 3_600_000L;
  private static final long MINUTE = 60_000L;
  private static final long T0 = 1_735_689_600_000L; // 2025-01-01T00:00Z
  private static final SketchSpec SPEC = SketchSpec.defaults();
  private final SplittableRandom rnd = new SplittableRandom(11);

  private Sketch point() {
    final float[] v = new float[SPEC.d()];
    v[5] = 1f;
    for (int i = 0; i < v.length; i++) {
      v[i] += (float) (0.005 * rnd.nextGaussian());
    }
    return new Sketch(SPEC, v);
  }

  /** 20:00 UTC of evening {@code e} (day 20 + e), plus {@code minutes}. */
  private static long at(final int e, final long minutes) {
    return T0 + Duration.ofDays(20L + e).toMillis() + 20 * HOUR + minutes * MINUTE;
  }

  /** The fast partition: evenings 0 and 1 hourly from 20:00 (4 each), evenings 2 and 3 half-hourly (6 each). */
  private static List<Long> fast() {
    final List<Long> times = new ArrayList<>();
    for (int e = 0; e < 4; e++) {
      for (int j = 0; j < (e < 2 ? 4 : 6); j++) {
        times.add(at(e, (e < 2 ? 60L : 30L) * j));
      }
    }
    return times;
  }

  /** Adds the fast partition's members in order; returns the last assignment. */
  private ConceptClusters.Assignment feedFast(final ConceptClusters c) {
    ConceptClusters.Assignment a = null;
    int i = 0;
    for (final long t : fast()) {
      a = c.add("f" + i++, t, point());
    }
    return a;
  }

  @Test
  void lateMembersOfTheFirstEveningMoveEmergedAtBackStepByStep() {
    final ConceptClusters c = new ConceptClusters("k", ConceptParams.DEFAULTS, T0, List.of());
    final ConceptClusters.Assignment a = feedFast(c);
    // evenings 2 and 3 alone: 12 members from 20:00 to 22:30 the next day (26.5 h)
    assertThat(a.change()).isEqualTo(ConceptClusters.Change.EMERGED);
    final MicroCluster concept = a.cluster();
    assertThat(concept.emergedAt()).isEqualTo(at(3, 150));
    // the slow partition's evening 0 arrives: 20:15, 20:45, ... 23:45. Evenings 0 and 1 (27 h) hold 8 + k members,
    // dense from k = 4; the 12th earliest moves back as evening 0 fills, and with all 8 it is evening 0's 23:45
    final long[] expected = {at(3, 150), at(3, 150), at(3, 150), at(1, 180), at(1, 120), at(1, 60), at(1, 0),
        at(0, 225)};
    for (int k = 0; k < 8; k++) {
      final ConceptClusters.Assignment late = c.add("s" + k, at(0, 15 + 30L * k), point());
      assertThat(late.change()).as("late member %d", k).isEqualTo(ConceptClusters.Change.JOINED);
      assertThat(late.cluster()).isSameAs(concept);
      assertThat(concept.emergedAt()).as("emergedAt after %d late members", k + 1).isEqualTo(expected[k]);
      final long emerged = expected[k];
      assertThat(java.util.Arrays.stream(concept.recentTimes()).boxed().toList())
          .as("only the times before it are kept").allMatch(t -> t < emerged);
    }
    // the 11 of evening 0 before its 23:45
    assertThat(concept.recentTimes()).hasSize(11);
    assertThat(concept.size()).isEqualTo(20 + 8);
  }

  @Test
  void membersAfterTheEmergenceNeitherMoveItNorAreKept() {
    final ConceptClusters c = new ConceptClusters("k", ConceptParams.DEFAULTS, T0, List.of());
    final MicroCluster concept = feedFast(c).cluster();
    final long[] before = concept.recentTimes();
    assertThat(java.util.Arrays.stream(before).boxed().toList()).hasSize(19).allMatch(t -> t < at(3, 150));
    // a burst on evening 4 and late members at and after the emergence change nothing
    for (int j = 0; j < 30; j++) {
      c.add("g" + j, at(4, j), point());
    }
    c.add("h0", at(3, 150), point());
    c.add("h1", at(3, 151), point());
    assertThat(concept.emergedAt()).isEqualTo(at(3, 150));
    assertThat(concept.recentTimes()).containsExactly(before);
    // a late member that completes no earlier window is kept but moves nothing: evening 1 at 23:30 gives evenings
    // 0 and 1 nine members, evenings 1 and 2 eleven
    c.add("h2", at(1, 210), point());
    assertThat(concept.emergedAt()).isEqualTo(at(3, 150));
    assertThat(concept.recentTimes()).hasSize(20);
  }

  @Test
  void aFadedConceptIsBackdatedWhenALateMemberRevivesIt() {
    final ConceptClusters c = new ConceptClusters("k", ConceptParams.DEFAULTS, T0, List.of());
    final MicroCluster concept = feedFast(c).cluster();
    assertThat(c.fade(at(3, 150) + Duration.ofDays(15).toMillis())).containsExactly(concept);
    // four late members of evening 0 (20:15 to 21:45): evenings 0 and 1 hold 12, the 12th at evening 1's 23:00
    ConceptClusters.Change last = null;
    for (int k = 0; k < 4; k++) {
      last = c.add("s" + k, at(0, 15 + 30L * k), point()).change();
    }
    assertThat(last).isEqualTo(ConceptClusters.Change.JOINED);
    assertThat(concept.state()).isEqualTo(ConceptState.EMERGED);
    assertThat(concept.emergedAt()).isEqualTo(at(1, 180));
  }

  @Test
  void aBaselineClusterKeepsNoTimes() {
    final ConceptClusters c = new ConceptClusters("k", ConceptParams.DEFAULTS, Long.MIN_VALUE, List.of());
    MicroCluster baseline = null;
    for (int j = 0; j < 12; j++) {
      baseline = c.add("b" + j, T0 + j * HOUR, point()).cluster();
    }
    assertThat(baseline.state()).isEqualTo(ConceptState.BASELINE);
    assertThat(baseline.recentTimes()).isEmpty();
  }
}
