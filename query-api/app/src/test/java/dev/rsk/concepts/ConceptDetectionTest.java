package dev.rsk.concepts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.demo.ExactSimilarity;
import dev.rsk.sim.Plant;
import dev.rsk.sim.RoomSimulator;
import dev.rsk.sim.SimulatedInference;
import dev.rsk.sim.SimulationConfig;
import dev.rsk.sketch.RecursiveSketcher;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.concepts.ConceptClusters;
import dev.rsk.stats.concepts.ConceptParams;
import dev.rsk.stats.concepts.MicroCluster;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Concept detection against the simulator's truth (issue 13, item 3): the room simulator with and without a
 * planted party, every inference sketched by the engine with the processor's default parameters and fed to the
 * clusterer with its default knobs, in event-time order. The truth of each inference (party or not) comes from
 * the simulator's plant, never from the clusterer.
 */
class ConceptDetectionTest {

  private static final SketchSpec SPEC = SketchSpec.defaults();

  /** What a run produced: per concept its members split by truth, and when each emerged (inference index). */
  private record Run(Map<String, int[]> members, Map<String, Integer> emergedAt, int firstPlanted, int planted,
      ConceptClusters clusters) {}

  private static Run run(final SimulationConfig config) {
    return run(config, ConceptParams.DEFAULTS);
  }

  private static Run run(final SimulationConfig config, final ConceptParams params) {
    final RecursiveSketcher sketcher = new RecursiveSketcher(SPEC);
    final ConceptClusters clusters = new ConceptClusters("key", params, Long.MIN_VALUE, List.of());
    final Map<String, int[]> members = new HashMap<>();
    final Map<String, Integer> emergedAt = new HashMap<>();
    final RoomSimulator sim = new RoomSimulator(config);
    int index = 0;
    int firstPlanted = -1;
    int planted = 0;
    while (sim.hasNext()) {
      final SimulatedInference inf = sim.next();
      final boolean party = config.planted(inf.content().eventTime());
      if (party) {
        planted++;
        firstPlanted = firstPlanted < 0 ? index : firstPlanted;
      }
      final ConceptClusters.Assignment a = clusters.add(inf.inferenceId(),
          inf.content().eventTime().toEpochMilli(), ExactSimilarity.sketch(sketcher, inf));
      if (a.cluster() != null) {
        members.computeIfAbsent(a.cluster().id(), id -> new int[2])[party ? 0 : 1]++;
      }
      if (a.change() == ConceptClusters.Change.EMERGED) {
        emergedAt.put(a.cluster().id(), index);
      }
      index++;
    }
    return new Run(members, emergedAt, firstPlanted, planted, clusters);
  }

  @Test
  void aPlantedPartyIsReportedWithinTwoHundredInferencesWithPrecisionAndRecallAboveEightTenths() {
    final Plant party = Plant.parse("party@30:20-24");
    final Run r = run(SimulationConfig.defaults().withDays(45).withPlant(party));

    assertThat(r.planted()).isEqualTo(15 * 20); // 15 party evenings of 4 h, one inference every 12 min
    assertThat(r.emergedAt()).hasSize(1);
    final String concept = r.emergedAt().keySet().iterator().next();
    final int delay = r.emergedAt().get(concept) - r.firstPlanted();
    assertThat(delay).isBetween(0, 200);
    final int[] m = r.members().get(concept);
    final double precision = (double) m[0] / (m[0] + m[1]);
    final double recall = (double) m[0] / r.planted();
    System.out.printf("party concept %s: delay %d inferences, precision %.3f (%d/%d), recall %.3f (%d/%d)%n",
        concept, delay, precision, m[0], m[0] + m[1], recall, m[0], r.planted());
    assertThat(precision).isGreaterThanOrEqualTo(0.8);
    assertThat(recall).isGreaterThanOrEqualTo(0.8);
    // the concept's own record agrees with the assignments
    final MicroCluster c = r.clusters().cluster(concept);
    assertThat(c.size()).isEqualTo(m[0] + m[1]);
    assertThat(c.firstSeen()).isGreaterThanOrEqualTo(party.start(SimulationConfig.defaults()).toEpochMilli());
  }

  @Test
  void theDemosWeekFindsItsPartyWithAWarmUpOfThreeDays() {
    final ConceptParams d = ConceptParams.DEFAULTS;
    final ConceptParams demo = new ConceptParams(d.joinCosine(), d.emergeMembers(), d.emergeWindow(),
        java.time.Duration.ofDays(3), d.fadeAfter(), d.maxClusters(), d.exemplars());
    final Run r = run(SimulationConfig.defaults().withDays(7).withPlant(Plant.parse("party@3")), demo);

    assertThat(r.emergedAt()).hasSize(1);
    final String concept = r.emergedAt().keySet().iterator().next();
    assertThat(r.emergedAt().get(concept) - r.firstPlanted()).isBetween(0, 200);
    final int[] m = r.members().get(concept);
    assertThat((double) m[0] / (m[0] + m[1])).isGreaterThanOrEqualTo(0.8);
    assertThat((double) m[0] / r.planted()).isGreaterThanOrEqualTo(0.8);
  }

  @Test
  void aStationaryYearProducesNoConcept() {
    final Run r = run(SimulationConfig.defaults());

    final List<String> concepts = new ArrayList<>();
    r.clusters().clusters().forEach(c -> {
      if (c.state().concept()) {
        concepts.add(c.id() + " " + c.size());
      }
    });
    assertThat(r.planted()).isZero();
    assertThat(concepts).isEmpty();
    assertThat(r.clusters().clusters()).isNotEmpty();
  }
}
