package dev.rsk.sketch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.rsk.sketch.DecodedInference.Method;
import dev.rsk.sketch.SketchException.Reason;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Greedy structure recovery, the joint readouts and the greedy fallback, on a hand-built street whose
 * effective weights are worked out by hand: with {@code alpha = 0.6, beta = 0.8} a car on slot 0 of the
 * street has presence {@code beta = 0.8} under {@code street[0]} and {@code alpha = 0.6} at the root path;
 * each of its wheels {@code beta^2 = 0.64} under {@code street[0], car[N]} and {@code alpha^2 = 0.36} at
 * the root path. Tolerances are the stated noise of a readout ({@link Sketch#readoutStdError()}).
 */
class StructureRecoveryTest {
  private static final SketchSpec SPEC = SketchSpec.of(1024, 17, 0.6, 0.8);
  private static final double A = 0.6;
  private static final double B = 0.8;

  /**
   * street (x=[0.5]) with a car (x=[2, -1]) on slot 0 with wheels on its slots 0 and 1 (by position), and a person
   * (x=[3]) on slot 1.
   */
  private static List<SketchObject> street() {
    return List.of(
        new SketchObject("s", "street", new float[] {0.5f}, List.of(
            new SketchInput("c", "0", 1f), new SketchInput("p", "1", 1f))),
        new SketchObject("c", "car", new float[] {2f, -1f}, List.of(
            new SketchInput("w0", null, 1f), new SketchInput("w1", null, 1f))),
        SketchObject.leaf("w0", "wheel", 1.5f),
        SketchObject.leaf("w1", "wheel", 1.5f),
        SketchObject.leaf("p", "person", 3f));
  }

  private static Sketch sketch() {
    return new RecursiveSketcher(SPEC).sketch(ObjectDag.of(street(), "s"));
  }

  private static StructureCatalogue grammar() {
    return new StructureCatalogue.Builder().add(ObjectDag.of(street(), "s")).build();
  }

  @Test
  void theBuilderLearnsModulesRootsAndSlotsFromADag() {
    final StructureCatalogue c = grammar();
    assertThat(c.attributeLengths()).isEqualTo(Map.of("street", 1, "car", 2, "wheel", 1, "person", 1));
    assertThat(c.rootModules()).containsExactly("street");
    assertThat(c.inputModules()).isEqualTo(Map.of(
        "street", Map.of("0", Set.of("car"), "1", Set.of("person")),
        "car", Map.of("0", Set.of("wheel"), "1", Set.of("wheel"))));
    assertThat(c.slotsOf("wheel")).isEmpty();
    assertThat(c.roots()).containsExactly("street");
    final StructureCatalogue none = StructureCatalogue.of(Map.of("a", 0, "b", 3));
    assertThat(none.roots()).containsExactly("a", "b");
    assertThat(none.slotsOf("a")).hasSize(StructureCatalogue.POSITIONAL_SLOTS).containsKeys("0", "7");
    assertThatThrownBy(() -> StructureCatalogue.of(Map.of()))
        .isInstanceOfSatisfying(SketchException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_OBJECT));
    assertThatThrownBy(() -> StructureCatalogue.of(Map.of("a", ObjectDag.MAX_ATTRIBUTES + 1)))
        .isInstanceOfSatisfying(SketchException.class, e -> assertThat(e.reason()).isEqualTo(Reason.LIMIT_EXCEEDED));
    assertThatThrownBy(() -> StructureCatalogue.of(Map.of("a", -1))).isInstanceOf(SketchException.class);
    assertThat(StructureCatalogue.of(Map.of("a", ObjectDag.MAX_ATTRIBUTES)).attributeLengths())
        .containsEntry("a", 4096);
    assertThat(StructureCatalogue.of(Map.of("a", 0)).attributeLengths()).containsEntry("a", 0);
  }

  @Test
  void withAGrammarTheTreeIsRecoveredWithItsEffectiveWeightsAndAttributes() {
    final Sketch s = sketch();
    final double se = s.readoutStdError();
    final RecoveredNode root = new SketchDecoder(SPEC).recoverStructure(s, grammar());
    assertThat(root.module()).isEqualTo("street");
    assertThat(root.tagPath()).isEmpty();
    assertThat(root.presence()).isCloseTo(1, within(4 * se));
    assertThat(root.meanAttributes()[0]).isCloseTo(0.5, within(4 * se * Math.sqrt(1 + 0.25)));
    assertThat(root.childrenBySlot().keySet()).containsExactly("0", "1");
    final RecoveredNode car = root.childrenBySlot().get("0").get(0);
    assertThat(car.module()).isEqualTo("car");
    assertThat(car.tagPath()).containsExactly("street[0]");
    assertThat(car.presence()).isCloseTo(B, within(4 * se));
    assertThat(car.meanAttributes()).containsExactly(new double[] {2, -1}, within(4 * se * Math.sqrt(1 + 4) / B));
    assertThat(car.childrenBySlot().keySet()).containsExactly("0", "1");
    final RecoveredNode wheel = car.childrenBySlot().get("1").get(0);
    assertThat(wheel.module()).isEqualTo("wheel");
    assertThat(wheel.tagPath()).containsExactly("street[0]", "car[1]");
    assertThat(wheel.presence()).isCloseTo(B * B, within(4 * se));
    assertThat(root.childrenBySlot().get("1")).extracting(RecoveredNode::module).containsExactly("person");
    assertThat(root.subtreeSize()).isEqualTo(5);
    assertThat(root.moduleDepths()).isEqualTo(Map.of("street", 0, "car", 1, "person", 1, "wheel", 2));
  }

  @Test
  void withoutAGrammarTheRootIsTheModuleNoOtherOneHasAsAnInput() {
    final Sketch s = sketch();
    final SketchDecoder dec = new SketchDecoder(SPEC);
    // the street is the heaviest module at the root path (1 against 0.72 for the wheels), but found as
    // nobody's input it would be the root anyway; the catalogue has no roots and no grammar
    final RecoveredNode root = dec.recoverStructure(s, Map.of("street", 1, "car", 2, "wheel", 1, "person", 1));
    assertThat(root.module()).isEqualTo("street");
    final Map<String, Integer> depths = root.moduleDepths();
    assertThat(depths).containsEntry("street", 0).containsEntry("car", 1).containsEntry("person", 1)
        .containsEntry("wheel", 2);
    // a heavy leaf: eight wheels weigh more than the street at the root path (8 x 0.36), yet the
    // street is the root because the wheels are found on its car's slots
    final List<SketchObject> heavy = new java.util.ArrayList<>();
    final List<SketchInput> wheels = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      heavy.add(SketchObject.leaf("w" + i, "wheel", 1f));
      wheels.add(new SketchInput("w" + i, "0", 1f));
    }
    heavy.add(new SketchObject("c", "car", new float[] {1f, 1f}, wheels));
    heavy.add(new SketchObject("s", "street", new float[] {0f}, List.of(new SketchInput("c", "0", 1f))));
    final Sketch hs = new RecursiveSketcher(SPEC).sketch(ObjectDag.of(heavy, "s"));
    assertThat(dec.presence(hs, "wheel")).isGreaterThan(dec.presence(hs, "street"));
    assertThat(dec.recoverStructure(hs, StructureCatalogue.of(Map.of("street", 1, "car", 2, "wheel", 1))).module())
        .isEqualTo("street");
  }

  @Test
  void knownRootsChooseTheHeaviestKnownOneAndAnUnknownRootIsAnError() {
    final Sketch s = sketch();
    final SketchDecoder dec = new SketchDecoder(SPEC);
    final Map<String, Integer> ks = Map.of("street", 1, "car", 2, "wheel", 1, "person", 1);
    final RecoveredNode root =
        dec.recoverStructure(s, new StructureCatalogue(ks, Set.of("car", "street", "nope"), null));
    assertThat(root.module()).isEqualTo("street");
    final RecoveredNode forced = dec.recoverStructure(s, new StructureCatalogue(ks, Set.of("person"), null), 4);
    assertThat(forced.module()).isEqualTo("person");
    assertThatThrownBy(() -> dec.recoverStructure(s, new StructureCatalogue(ks, Set.of("nope"), null)))
        .isInstanceOfSatisfying(SketchException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_OBJECT))
        .hasMessageContaining("no root module");
    for (final double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> dec.recoverStructure(s, grammar(), bad))
          .isInstanceOfSatisfying(SketchException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_OBJECT));
    }
    assertThatThrownBy(() -> dec.recoverStructure(s, (StructureCatalogue) null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> dec.recoverStructure(null, grammar()))
        .isInstanceOfSatisfying(SketchException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_OBJECT));
    assertThatThrownBy(() -> dec.recoverStructure(
        new RecursiveSketcher(SPEC.withSeed(1)).sketch(ObjectDag.of(street(), "s")), grammar()))
        .isInstanceOfSatisfying(SketchException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SPEC_MISMATCH));
  }

  @Test
  void aHighThresholdKeepsOnlyTheRootAndAPrefixStillFindsTheCar() {
    final Sketch s = sketch();
    final SketchDecoder dec = new SketchDecoder(SPEC);
    // tau = 1000 ||s|| / sqrt(d): far above every presence
    assertThat(dec.recoverStructure(s, grammar(), 1000).subtreeSize()).isEqualTo(1);
    final Sketch half = Sketches.truncate(s, 0.5);
    final RecoveredNode root = dec.recoverStructure(half, grammar());
    assertThat(root.module()).isEqualTo("street");
    assertThat(root.childrenBySlot().get("0").get(0).presence()).isCloseTo(B, within(4 * half.readoutStdError()));
  }

  @Test
  void jointReadoutsCancelTheInterferenceOfTheHeavyBlocksOfASum() {
    Sketch sum = sketch();
    for (int i = 1; i < 40; i++) {
      sum = Sketches.sum(sum, sketch());
    }
    final SketchDecoder dec = new SketchDecoder(SPEC);
    final Map<String, Double> joint = dec.jointPresence(sum, grammar());
    assertThat(joint.keySet()).containsExactly("car", "person", "street", "wheel");
    // root-path presences per inference: street 1, car alpha, person alpha, wheels 2 alpha^2
    final Map<String, Double> truth = Map.of("street", 1.0, "car", A, "person", A, "wheel", 2 * A * A);
    final double se = sum.readoutStdError();
    for (final Map.Entry<String, Double> t : truth.entrySet()) {
      // forty identical sketches: the plain readout errs by up to about se, the joint one by far less
      assertThat(joint.get(t.getKey())).as(t.getKey()).isCloseTo(40 * t.getValue(), within(se / 4));
    }
    final Map<String, double[]> readouts = dec.jointReadouts(sum, grammar());
    assertThat(readouts.get("car")).hasSize(3);
    // car's mean attributes at the root path: (2, -1)
    assertThat(readouts.get("car")[1] / readouts.get("car")[0]).isCloseTo(2, within(1e-2));
    assertThat(readouts.get("car")[2] / readouts.get("car")[0]).isCloseTo(-1, within(1e-2));
    assertThat(readouts.get("person")[1] / readouts.get("person")[0]).isCloseTo(3, within(1e-2));
    // a module the catalogue knows but that is absent reads close to 0
    final StructureCatalogue withBus = new StructureCatalogue.Builder().add(ObjectDag.of(street(), "s"))
        .module("bus", 2).input("street", "0", "bus").build();
    assertThat(dec.jointPresence(sum, withBus).get("bus")).isCloseTo(0, within(4 * se));
  }

  @Test
  void theGreedyFallbackCountsEachModuleAtTheDepthTheRecoveredTreeGivesIt() {
    final Sketch s = sketch();
    final double se = s.readoutStdError();
    final StructureCatalogue noGrammar = StructureCatalogue.of(grammar().attributeLengths());
    final DecodedInference r = new JointDecoder(new SketchDecoder(SPEC), noGrammar).decode(s);
    assertThat(r.method()).isEqualTo(Method.GREEDY_FALLBACK);
    assertThat(r.columns()).isZero();
    assertThat(r.rows()).isEqualTo(1024);
    assertThat(r.residualStdError()).isCloseTo(se / Math.sqrt(2), within(1e-12));
    // count = root-path presence / alpha^depth: street 1 at 0, car 1 at 1, wheels 2 at 2
    assertThat(r.count("street", 0).orElseThrow().count()).isCloseTo(1, within(4 * se));
    assertThat(r.count("car", 1).orElseThrow().count()).isCloseTo(1, within(4 * se / A));
    assertThat(r.count("car", 1).orElseThrow().countStdError()).isCloseTo(se / A, within(1e-12));
    assertThat(r.count("wheel", 2).orElseThrow().count()).isCloseTo(2, within(4 * se / (A * A)));
    assertThat(r.total("wheel").orElseThrow().count()).isCloseTo(2, within(4 * se / (A * A)));
    assertThat(r.total("wheel").orElseThrow().depth()).isEqualTo(-1);
    final DecodedNode root = r.roots().get(0);
    assertThat(root.module()).isEqualTo("street");
    assertThat(root.depth()).isZero();
    assertThat(root.count()).isCloseTo(1, within(4 * se));
    final DecodedNode car = root.children().stream().filter(n -> n.module().equals("car")).findFirst().orElseThrow();
    // node counts are unrolled presences over beta^depth
    assertThat(car.count()).isCloseTo(1, within(4 * se / B));
    assertThat(car.countStdError()).isCloseTo(se / B, within(1e-12));
    assertThat(car.meanAttributes()).containsExactly(new double[] {2, -1}, within(4 * se * Math.sqrt(5) / B));
    assertThat(car.meanAttributeStdErrors()[0]).isCloseTo(se * Math.sqrt(1 + car.meanAttributes()[0]
        * car.meanAttributes()[0]) / car.count() / B, within(1e-9));
  }
}
