package dev.rsk.stats.query.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.contract.SketchMapper;
import dev.rsk.sketch.DecoderCache;
import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.testing.StreetScenes;
import dev.rsk.stats.testing.StreetScenes.Scene;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The evaluator and the answer over street scenes, against the truth each scene was built with. */
class EvaluatorTest {

  static final SketchSpec SPEC = SketchSpec.of(2048, 7L, 0.5, 0.5);
  static final long T0 = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli(); // a Monday
  static final DecoderCache DECODERS = new DecoderCache();

  /** A scene as the query engine sees it, with or without its edges. */
  record SceneRecord(InferenceSketch s, Set<String> edges) implements QueryRecord {
    public String inferenceId() {
      return s.getInferenceId();
    }

    public long eventTime() {
      return s.getEventTime().toEpochMilli();
    }

    public String source() {
      return s.getSource();
    }

    public int count(final String module) {
      return s.getModuleCounts().getOrDefault(module, 0);
    }

    public double attributeSum(final String module, final int index) {
      final List<Double> sums = s.getAttributeSums().get(module);
      return sums == null ? Double.NaN : sums.get(index);
    }

    public boolean hasEdges() {
      return edges != null;
    }

    public boolean edge(final String parent, final String input) {
      return edges.contains(parent + "/" + input);
    }

    public Set<String> parents(final String input) {
      final Set<String> out = new java.util.HashSet<>();
      edges.stream().filter(e -> e.endsWith("/" + input)).forEach(e -> out.add(e.substring(0, e.indexOf('/'))));
      return out;
    }

    public Sketch sketch() {
      return new Sketch(SketchMapper.spec(s.getParams()), SketchMapper.vector(s));
    }
  }

  static Set<String> edges(final Scene s) {
    final Set<String> out = new java.util.HashSet<>();
    if (s.cars() > 0) {
      out.add("street/car");
      out.add("car/wheel");
    }
    if (s.persons() > 0) {
      out.add("street/person");
      out.add("person/face");
    }
    if (s.riders() > 0) {
      out.add("person/bicycle");
    }
    if (s.parked() > 0) {
      out.add("street/bicycle");
    }
    return out;
  }

  private static Truth eval(final String where, final Scene s, final boolean withEdges) {
    return new Evaluator(DECODERS, ZoneOffset.UTC).eval(QueryParser.where(where),
        new SceneRecord(s.record(), withEdges ? edges(s) : null));
  }

  @Test
  void exactTermsReadTheRecord() {
    final StreetScenes scenes = new StreetScenes(SPEC, 1);
    // Monday 08:00 UTC, 2 cars, 3 persons of whom 1 rides, 1 parked bicycle
    final Scene s = scenes.scene("a", T0 + 8 * 3_600_000L, "cam-7", 2, 3, 1, 1);
    final double meanCarSize = (s.carAttributes().get(0)[0] + s.carAttributes().get(1)[0]) / 2.0;
    for (final String yes : List.of("car", "count(person) >= 3", "count(person) = 3", "count(wheel) = 8",
        "count(car) != 1", "car[0] > " + (meanCarSize - 1e-3), "car[0] < " + (meanCarSize + 1e-3), "hour(8)",
        "hour(7..9)", "hour(22..8)", "weekday(mon)", "weekday(sun..tue)", "source = \"cam-7\"",
        "source != \"cam-8\"", "car & bicycle", "cat | car", "!cat", "!(cat | dog) & (car)")) {
      final Truth t = eval(yes, s, false);
      assertThat(t).as(yes).isEqualTo(Truth.TRUE);
    }
    for (final String no : List.of("count(person) > 3", "count(car) < 2", "car[0] > " + (meanCarSize + 1e-3),
        "hour(9..23)", "weekday(sat..sun)", "source = \"cam-8\"", "!car", "car & !bicycle",
        "person/horse[0] > 0")) {
      assertThat(eval(no, s, false)).as(no).isEqualTo(Truth.FALSE);
    }
    // two cars: wheels have no parent but cars, cars none but the street, so every wheel is on the path
    assertThat(eval("street/car/wheel", s, true)).isEqualTo(Truth.TRUE);
    // bicycles have a second parent module (the street: a parked one) and there are three persons, so
    // whether the rider's bicycle chains through one of the street's persons is left to the sketch
    assertThat(eval("street/person/bicycle", s, true).exact()).isFalse();
    // an exact side is evaluated first and decides alone: no decoding, so the answer stays exact
    assertThat(eval("street/car/wheel & count(car) > 5", s, false)).isEqualTo(Truth.FALSE);
    assertThat(eval("street/car/wheel | count(car) = 2", s, false)).isEqualTo(Truth.TRUE);
    assertThat(eval("street/car/wheel & count(car) = 2", s, false))
        .isEqualTo(eval("count(car) = 2 & street/car/wheel", s, false));
    // one car: the chain goes through that car, so the edges decide it exactly
    final Scene oneCar = scenes.scene("b", T0, "cam-7", 1, 1, 0, 0);
    assertThat(eval("street/car/wheel", oneCar, true)).isEqualTo(Truth.TRUE);
    assertThat(eval("street/person/bicycle", oneCar, true)).isEqualTo(Truth.FALSE);
    assertThat(eval("car/face", s, true)).isEqualTo(Truth.FALSE);
    assertThat(eval("car/face", s, false).value()).isFalse();
    assertThat(eval("street/car/wheel", s, false).value()).isTrue();
    // Tokyo is 9 h ahead: 17:00 there
    assertThat(new Evaluator(DECODERS, ZoneId.of("Asia/Tokyo")).eval(QueryParser.where("hour(17)"),
        new SceneRecord(s.record(), null))).isEqualTo(Truth.TRUE);
  }

  @Test
  void pathsAreExactWithEdgesAndDecodedWithout() {
    final StreetScenes scenes = new StreetScenes(SPEC, 2);
    final Scene riding = scenes.scene("r", T0, "c", 1, 1, 1, 0);
    final Scene parked = scenes.scene("p", T0, "c", 1, 1, 0, 1);
    assertThat(eval("person/bicycle", riding, true)).isEqualTo(Truth.TRUE);
    assertThat(eval("person/bicycle", parked, true)).isEqualTo(Truth.FALSE);
    assertThat(eval("street/bicycle", parked, true)).isEqualTo(Truth.TRUE);
    final Truth r = eval("person/bicycle", riding, false);
    assertThat(r.exact()).isFalse();
    assertThat(r.value()).isTrue();
    assertThat(r.p()).isGreaterThan(0.9);
    final Truth p = eval("person/bicycle", parked, false);
    assertThat(p.value()).isFalse();
    // eight slots each tested at 2.8 sigma: the combined probability is conservative, not small
    assertThat(p.p()).isLessThan(0.5);
    // the decoded attribute along the path tells the ridden bicycle from a parked one
    // (one object's decoded mean is noisy: about 0.3 here, so only its probability is compared)
    final Truth ridden = eval("person/bicycle[0] > 0.2", riding, false);
    assertThat(ridden.exact()).isFalse();
    assertThat(ridden.p()).isBetween(0.0, 1.0);
  }

  /**
   * When the edges show that a path selects every object of its last module, an attribute on it is the exact
   * mean from the record's sums, and the path itself is exact through modules of several objects.
   */
  @Test
  void aPathThatSelectsAWholeModuleIsExactFromTheSums() {
    final StreetScenes scenes = new StreetScenes(SPEC, 4);
    // two persons, one rides, no parked bicycle: every bicycle is ridden
    final Scene s = scenes.scene("w", T0, "c", 1, 2, 1, 0);
    final double m = s.riddenAttributes().get(0)[1];
    for (final String path : List.of("person/bicycle", "street/person/bicycle")) {
      assertThat(eval(path + "[1] > " + (m - 1e-4), s, true)).as(path).isEqualTo(Truth.TRUE);
      assertThat(eval(path + "[1] < " + (m - 1e-4), s, true)).as(path).isEqualTo(Truth.FALSE);
      assertThat(eval(path + "[1] <= " + (m + 1e-4), s, true)).as(path).isEqualTo(Truth.TRUE);
    }
    assertThat(eval("street/person/bicycle", s, true)).isEqualTo(Truth.TRUE);
    assertThat(eval("street/car/wheel[0] > -100", s, true)).isEqualTo(Truth.TRUE);
    // a parked bicycle too: bicycles have a second parent, the street, so only the sketch can tell
    final Scene both = scenes.scene("b", T0, "c", 0, 1, 1, 1);
    assertThat(eval("person/bicycle[1] > " + (m - 1e-4), both, true).exact()).isFalse();
    // ... yet with one person the path itself chains through that person: exact from the edges alone
    assertThat(eval("street/person/bicycle", both, true)).isEqualTo(Truth.TRUE);
    // no edges: decoded
    assertThat(eval("person/bicycle[1] > " + (m - 1e-4), s, false).exact()).isFalse();
    // pathsFromSketches: paths are decoded even with edges; one-module terms stay exact
    final Evaluator fromSketches = new Evaluator(DECODERS, ZoneOffset.UTC, Slots.POSITIONAL, true);
    final SceneRecord edged = new SceneRecord(s.record(), edges(s));
    assertThat(fromSketches.eval(QueryParser.where("street/person/bicycle"), edged).exact()).isFalse();
    assertThat(fromSketches.eval(QueryParser.where("person/bicycle[1] > " + (m - 1e-4)), edged).exact()).isFalse();
    assertThat(fromSketches.eval(QueryParser.where("bicycle[1] > " + (m - 1e-4)), edged)).isEqualTo(Truth.TRUE);
    assertThat(fromSketches.eval(QueryParser.where("person/horse"), edged)).isEqualTo(Truth.FALSE);
  }

  /** The structure rule on hand-made module edges ("parent/input"); the scene gives counts only. */
  @Test
  void aWholeModuleNeedsOneParentModuleAlongThePathAndNoCycleBackToItsStart() {
    final Scene s = new StreetScenes(SPEC, 5).scene("g", T0, "c", 0, 1, 1, 0);
    final Path personBicycle = new Path(List.of("person", "bicycle"), 1);
    final Path streetPersonBicycle = new Path(List.of("street", "person", "bicycle"), 1);
    final Set<String> chain = Set.of("street/person", "person/bicycle", "person/face");
    assertThat(Evaluator.wholeModule(personBicycle, new SceneRecord(s.record(), chain))).isTrue();
    assertThat(Evaluator.wholeModule(streetPersonBicycle, new SceneRecord(s.record(), chain))).isTrue();
    assertThat(Evaluator.wholeModule(personBicycle, new SceneRecord(s.record(), null))).isFalse();
    // bicycles also under the street
    final Set<String> twoParents = Set.of("street/person", "person/bicycle", "street/bicycle");
    assertThat(Evaluator.wholeModule(personBicycle, new SceneRecord(s.record(), twoParents))).isFalse();
    // persons also under a bus: the bicycles are all ridden, but not all by the street's persons
    final Set<String> busToo = Set.of("street/person", "bus/person", "person/bicycle");
    assertThat(Evaluator.wholeModule(personBicycle, new SceneRecord(s.record(), busToo))).isTrue();
    assertThat(Evaluator.wholeModule(streetPersonBicycle, new SceneRecord(s.record(), busToo))).isFalse();
    // bicycle reaches person: a bicycle object may be the root, which no person has as input
    final Set<String> cycle = Set.of("person/bicycle", "bicycle/person");
    assertThat(Evaluator.wholeModule(personBicycle, new SceneRecord(s.record(), cycle))).isFalse();
    // a longer cycle through another module
    final Set<String> longCycle = Set.of("person/bicycle", "bicycle/wheel", "wheel/person");
    assertThat(Evaluator.wholeModule(personBicycle, new SceneRecord(s.record(), longCycle))).isFalse();
    // a module twice in the path
    assertThat(Evaluator.wholeModule(new Path(List.of("person", "person"), 1),
        new SceneRecord(s.record(), Set.of("person/person")))).isFalse();
  }

  /** A path's mean over matched inferences is exact when each of them shows the objects the path selects. */
  @Test
  void aPathMeanIsExactWhenEveryMatchedRecordShowsItsObjects() {
    final StreetScenes scenes = new StreetScenes(SPEC, 6);
    final List<Scene> all = new ArrayList<>();
    double truth = 0;
    int bicycles = 0;
    for (int i = 0; i < 40; i++) {
      final Scene s = scenes.scene("s" + i, T0 + i * 600_000L, "c", i % 3, 1 + i % 2, 1, 0);
      all.add(s);
      for (final float[] b : s.riddenAttributes()) {
        truth += b[0];
        bicycles++;
      }
    }
    final QueryAnswer exact = answer(all, "street/person/bicycle", "mean(person/bicycle[0])");
    assertThat(exact.exact()).isTrue();
    assertThat(exact.matched()).isEqualTo(40);
    final QueryAnswer.Value v = exact.values().get("mean(person/bicycle[0])");
    assertThat(v.exact()).isTrue();
    assertThat(v.stdError()).isZero();
    assertThat(v.value()).isCloseTo(truth / bicycles, within(1e-6));
    // one matched inference with a parked bicycle as well: its bicycles are not all ridden, so the mean is decoded
    all.add(scenes.scene("parked", T0, "c", 0, 1, 1, 1));
    final QueryAnswer.Value decoded = answer(all, "street/person/bicycle", "mean(person/bicycle[0])").values()
        .get("mean(person/bicycle[0])");
    assertThat(decoded.exact()).isFalse();
  }

  /**
   * The record shows a person riding a bicycle (and one parked, so the edges do not tell which bicycles the path
   * selects), but its sketch is of a street with cars only: the comparison cannot be read, is decided false as a
   * coin flip, and is counted undecided unless an exact term decides the expression.
   */
  @Test
  void aComparisonNeitherTheRecordNorTheSketchCanReadIsUndecided() {
    final StreetScenes scenes = new StreetScenes(SPEC, 8);
    final Scene riderAndParked = scenes.scene("x", T0, "c", 0, 1, 1, 1);
    final Scene carsOnly = scenes.scene("y", T0, "c", 2, 0, 0, 0);
    final SceneRecord blind = new SceneRecord(InferenceSketch.newBuilder(riderAndParked.record())
        .setVector(carsOnly.record().getVector()).build(), edges(riderAndParked));
    final Evaluator e = new Evaluator(DECODERS, ZoneOffset.UTC);
    final Truth t = e.eval(QueryParser.where("person/bicycle[0] > 0.2"), blind);
    assertThat(t.value()).isFalse();
    assertThat(t.p()).isEqualTo(0.5);
    assertThat(t.undecided()).isTrue();
    assertThat(e.eval(QueryParser.where("!(person/bicycle[0] > 0.2)"), blind).undecided()).isTrue();
    assertThat(e.eval(QueryParser.where("person/bicycle[0] > 0.2 & car"), blind)).isEqualTo(Truth.FALSE);
    assertThat(e.eval(QueryParser.where("person/bicycle[0] > 0.2 | person"), blind)).isEqualTo(Truth.TRUE);
    // without edges the path may be absent: not undecided, just unlikely
    final Truth noEdges = e.eval(QueryParser.where("person/bicycle[0] > 0.2"),
        new SceneRecord(blind.s(), null));
    assertThat(noEdges.undecided()).isFalse();
    assertThat(noEdges.p()).isLessThan(0.5);

    // counted per inference in range: the two blind records, not the readable one nor the one out of range
    final QueryPlan plan = QueryPlan.parse("person/bicycle[0] > 0.2", List.of("count"), T0, T0 + 3_600_000L,
        3_600_000L, ZoneOffset.UTC);
    final QueryAccumulator acc = new QueryAccumulator(plan, DECODERS);
    acc.add(blind);
    acc.add(new SceneRecord(InferenceSketch.newBuilder(blind.s()).setInferenceId("x2").build(), blind.edges()));
    acc.add(new SceneRecord(scenes.scene("r", T0 + 1, "c", 0, 1, 1, 0).record(), Set.of("street/person",
        "person/bicycle", "person/face")));
    acc.add(new SceneRecord(InferenceSketch.newBuilder(blind.s()).setEventTime(Instant.ofEpochMilli(T0
        + 3_600_000L)).build(), edges(riderAndParked)));
    final QueryAnswer a = QueryAnswer.of(plan, acc.partial(), DECODERS);
    assertThat(a.inferences()).isEqualTo(3);
    assertThat(a.undecided()).isEqualTo(2);
    assertThat(a.matched()).isEqualTo(1);
  }

  @Test
  void pathsFromSketchesDecodesAPathMeanTheEdgesWouldTell() {
    final StreetScenes scenes = new StreetScenes(SPEC, 7);
    final List<Scene> all = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      all.add(scenes.scene("s" + i, T0 + i * 600_000L, "c", 0, 1, 1, 0));
    }
    final QueryAnswer a = answer(all, "street/person/bicycle", "mean(person/bicycle[0])", true);
    assertThat(a.exact()).isFalse();
    assertThat(a.values().get("mean(person/bicycle[0])").exact()).isFalse();
    assertThat(answer(all, "street/person/bicycle", "mean(person/bicycle[0])", false).values()
        .get("mean(person/bicycle[0])").exact()).isTrue();
  }

  private static QueryAnswer answer(final List<Scene> scenes, final String where, final String select) {
    return answer(scenes, where, select, false);
  }

  private static QueryAnswer answer(final List<Scene> scenes, final String where, final String select,
      final boolean fromSketches) {
    final QueryPlan plan = QueryPlan.parse(where, List.of(select), T0, T0 + 400 * 600_000L, 3_600_000L,
        ZoneOffset.UTC).withPathsFromSketches(fromSketches);
    final QueryAccumulator acc = new QueryAccumulator(plan, DECODERS);
    scenes.forEach(s -> acc.add(new SceneRecord(s.record(), edges(s))));
    return QueryAnswer.of(plan, acc.partial(), DECODERS);
  }

  @Test
  void decodedCountsAndValuesLieWithinTheirStatedError() {
    final StreetScenes scenes = new StreetScenes(SPEC, 3);
    final List<Scene> all = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      all.add(scenes.random("s" + i, T0 + i * 600_000L, "cam-" + (i % 2)));
    }
    final QueryPlan plan = QueryPlan.parse("person/bicycle", List.of("count", "mean(person/bicycle[0])",
        "mean(person/bicycle[1])", "mass(person/bicycle)", "mean(car[0])", "mass(car)"), T0,
        T0 + 400 * 600_000L, 3_600_000L, ZoneOffset.UTC);
    final QueryAccumulator acc = new QueryAccumulator(plan, DECODERS);
    long riding = 0;
    double[] ridden = new double[2];
    long riddenN = 0;
    for (final Scene s : all) {
      acc.add(new SceneRecord(s.record(), null));
      if (s.riders() > 0) {
        riding++;
        for (final float[] b : s.riddenAttributes()) {
          ridden[0] += b[0];
          ridden[1] += b[1];
          riddenN++;
        }
      }
    }
    final QueryAnswer a = QueryAnswer.of(plan, acc.partial(), DECODERS);
    assertThat(a.exact()).isFalse();
    assertThat(a.inferences()).isEqualTo(400);
    System.out.printf("riding truth %d matched %d +- %.2f%n", riding, a.matched(), a.matchedStdError());
    assertThat(a.matchedStdError()).isPositive();
    assertThat((double) a.matched()).isCloseTo(riding, within(2 * a.matchedStdError() + 0.5));
    for (int i = 0; i < 2; i++) {
      final QueryAnswer.Value v = a.values().get("mean(person/bicycle[" + i + "])");
      System.out.printf("ridden[%d] truth %.4f decoded %.4f +- %.4f%n", i, ridden[i] / riddenN, v.value(),
          v.stdError());
      assertThat(v.exact()).isFalse();
      assertThat(v.value()).isCloseTo(ridden[i] / riddenN, within(2 * v.stdError()));
    }
    // every rider sits one level under the street: alpha * beta per bicycle
    final QueryAnswer.Value mass = a.values().get("mass(person/bicycle)");
    System.out.printf("mass truth %.2f decoded %.2f +- %.2f%n", 0.25 * riddenN, mass.value(), mass.stdError());
    assertThat(mass.value()).isCloseTo(0.25 * riddenN, within(2 * mass.stdError()));
    // one module: exact from the sums
    assertThat(a.values().get("mean(car[0])").exact()).isTrue();
  }

  @Test
  void aDecodedAttributeOnAPathCountsWithinItsStatedError() {
    final StreetScenes scenes = new StreetScenes(SketchSpec.of(4096, 9L, 0.5, 0.5), 9);
    final List<Scene> all = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      all.add(scenes.random("s" + i, T0 + i * 600_000L, "cam"));
    }
    // ridden bicycles sit near 0.8 on attribute 0, parked ones near -0.6: the truth is "someone rides"
    final QueryPlan plan = QueryPlan.parse("person/bicycle[0] > 0.2", List.of("count"), T0, T0 + 200 * 600_000L,
        3_600_000L, ZoneOffset.UTC);
    final QueryAccumulator acc = new QueryAccumulator(plan, DECODERS);
    for (final Scene s : all) {
      acc.add(new SceneRecord(s.record(), null));
    }
    final QueryAnswer a = QueryAnswer.of(plan, acc.partial(), DECODERS);
    final long truth = all.stream().filter(s -> s.riddenAttributes().stream().mapToDouble(x -> x[0]).average()
        .orElse(Double.NaN) > 0.2).count();
    System.out.printf("person/bicycle[0] > 0.2: truth %d matched %d +- %.2f%n", truth, a.matched(),
        a.matchedStdError());
    assertThat(a.exact()).isFalse();
    assertThat(a.matchedStdError()).isPositive();
    assertThat((double) a.matched()).isCloseTo(truth, within(2 * a.matchedStdError()));
  }
}
