package dev.rsk.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.avro.ModuleActivation;
import dev.rsk.avro.ModuleInput;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoomSimulatorTest {

  private static List<SimulatedInference> generate(final SimulationConfig config) {
    final List<SimulatedInference> out = new ArrayList<>();
    new RoomSimulator(config).forEachRemaining(out::add);
    return out;
  }

  @Test
  void sameSeedSameEventsInSameOrderAndOtherSeedDiffers() {
    final SimulationConfig config = SimulationConfig.defaults().withDays(3);
    final List<SimulatedInference> a = generate(config);
    final List<SimulatedInference> b = generate(config);
    final List<SimulatedInference> c = generate(config.withSeed(7));
    assertThat(a).hasSize(3 * 24 * 5);
    for (int i = 0; i < a.size(); i++) {
      assertThat(a.get(i).events()).isEqualTo(b.get(i).events());
    }
    assertThat(a.stream().map(SimulatedInference::events).toList())
        .isNotEqualTo(c.stream().map(SimulatedInference::events).toList());
  }

  @Test
  void anEmbeddingFollowsEveryObjectsAttributesAndPointsTheWayOfItsModule() {
    final SimulationConfig plainConfig = SimulationConfig.defaults().withDays(2);
    final List<SimulatedInference> plain = generate(plainConfig);
    final List<SimulatedInference> embedded = generate(plainConfig.withEmbedding(128));
    final Map<String, Integer> lengths = new HashMap<>();
    plain.forEach(i -> i.events().forEach(e -> lengths.put(e.getModule(), e.getAttributes().size())));
    final Map<String, List<Float>> firstPlain = new HashMap<>();
    plain.get(0).events().forEach(e -> firstPlain.put(e.getObjectId(), e.getAttributes()));
    final Map<String, List<float[]>> byModule = new HashMap<>();
    for (final SimulatedInference inference : embedded) {
      for (final ModuleActivation e : inference.events()) {
        assertThat(e.getAttributes()).hasSize(lengths.get(e.getModule()) + 128);
        final float[] v = new float[128];
        for (int j = 0; j < 128; j++) {
          v[j] = e.getAttributes().get(lengths.get(e.getModule()) + j);
        }
        byModule.computeIfAbsent(e.getModule(), m -> new ArrayList<>()).add(v);
        if (inference.index() == 0) { // the room is drawn before its embeddings: the same as without them
          assertThat(e.getAttributes().subList(0, lengths.get(e.getModule())))
              .isEqualTo(firstPlain.get(e.getObjectId()));
        }
      }
    }
    final List<float[]> cats = byModule.get(RoomModel.CAT);
    final List<float[]> sofas = byModule.get("sofa");
    assertThat(cosine(cats.get(0), cats.get(1))).as("two cats").isGreaterThan(0.8);
    assertThat(cosine(sofas.get(0), sofas.get(5))).as("two sofas").isGreaterThan(0.8);
    assertThat(Math.abs(cosine(cats.get(0), sofas.get(0)))).as("a cat and a sofa").isLessThan(0.3);
    assertThat(new RoomSimulator(plainConfig.withEmbedding(0)).next().events()).isEqualTo(plain.get(0).events());
  }

  private static double cosine(final float[] a, final float[] b) {
    double ab = 0;
    double aa = 0;
    double bb = 0;
    for (int i = 0; i < a.length; i++) {
      ab += a[i] * b[i];
      aa += a[i] * a[i];
      bb += b[i] * b[i];
    }
    return ab / Math.sqrt(aa * bb);
  }

  @Test
  void everyInferenceIsAWellFormedDagUnderOneSceneRootInShuffledOrder() {
    final SimulationConfig config = SimulationConfig.defaults().withDays(5);
    int rootNotFirst = 0;
    for (final SimulatedInference inf : generate(config)) {
      final Map<String, ModuleActivation> byId = new HashMap<>();
      for (final ModuleActivation e : inf.events()) {
        assertThat(e.getInferenceId()).isEqualTo(inf.inferenceId());
        assertThat(byId.put(e.getObjectId(), e)).as("unique objectId").isNull();
        assertThat(e.getAttributes()).hasSize(RoomModel.k(e.getModule()));
        assertThat(e.getAttributes()).allSatisfy(v -> assertThat(Float.isFinite(v)).isTrue());
        assertThat(e.getEventTime()).isEqualTo(inf.content().eventTime());
        assertThat(e.getSource()).isEqualTo(SimulationConfig.DEFAULT_SOURCE);
      }
      final List<ModuleActivation> roots = inf.events().stream().filter(ModuleActivation::getRoot).toList();
      assertThat(roots).hasSize(1);
      assertThat(roots.get(0).getModule()).isEqualTo(RoomModel.SCENE);
      if (!inf.events().get(0).getRoot()) {
        rootNotFirst++;
      }
      // Every input exists and every object is reachable from the root exactly once (a tree here).
      final Set<String> reached = new HashSet<>();
      final List<String> stack = new ArrayList<>(List.of(roots.get(0).getObjectId()));
      while (!stack.isEmpty()) {
        final ModuleActivation e = byId.get(stack.remove(stack.size() - 1));
        assertThat(e).isNotNull();
        assertThat(reached.add(e.getObjectId())).isTrue();
        for (final ModuleInput in : e.getInputs()) {
          assertThat(byId).containsKey(in.getObjectId());
          stack.add(in.getObjectId());
        }
      }
      assertThat(reached).isEqualTo(byId.keySet());
      assertThat(inf.content().objects()).isEqualTo(inf.events().size());
      assertThat(inf.content().modules().keySet())
          .contains(RoomModel.SCENE, RoomModel.SOFA, RoomModel.TABLE, RoomModel.LAMP, RoomModel.PLANT);
    }
    assertThat(rootNotFirst).isGreaterThan(500);
  }

  @Test
  void catMostlyAtNightPeopleMostlyByDayDogSomeDaysFurnitureAlways() {
    final SimulationConfig config = SimulationConfig.defaults().withDays(56);
    final GroundTruth truth = new GroundTruth(config, true);
    final Set<LocalDate> days = new HashSet<>();
    final Set<LocalDate> dogDays = new HashSet<>();
    long catNight = 0, night = 0, catDay = 0, dayTime = 0, peopleDay = 0, peopleNight = 0, objects = 0;
    long smallHours = 0, peopleWeekend = 0, weekendOffice = 0, peopleWeekday = 0, weekdayOffice = 0;
    for (final SimulatedInference inf : generate(config)) {
      truth.add(inf);
      final InferenceContent c = inf.content();
      final ZonedDateTime local = c.eventTime().atZone(config.zone());
      final int h = local.getHour();
      days.add(local.toLocalDate());
      if (c.contains(RoomModel.DOG)) {
        dogDays.add(local.toLocalDate());
        assertThat(h).isBetween(9, 18);
      }
      objects += c.objects();
      if (h >= 22 || h < 6) {
        night++;
        catNight += c.contains(RoomModel.CAT) ? 1 : 0;
      } else if (h >= 9 && h < 20) {
        dayTime++;
        catDay += c.contains(RoomModel.CAT) ? 1 : 0;
        peopleDay += c.contains(RoomModel.PERSON) ? 1 : 0;
      }
      if (h < 6) {
        smallHours++;
        peopleNight += c.contains(RoomModel.PERSON) ? 1 : 0;
      }
      if (h >= 10 && h < 16) {
        final boolean weekend = local.getDayOfWeek() == DayOfWeek.SATURDAY
            || local.getDayOfWeek() == DayOfWeek.SUNDAY;
        if (weekend) {
          weekendOffice++;
          peopleWeekend += c.contains(RoomModel.PERSON) ? 1 : 0;
        } else {
          weekdayOffice++;
          peopleWeekday += c.contains(RoomModel.PERSON) ? 1 : 0;
        }
      }
    }
    final double catNightShare = (double) catNight / night;
    final double catDayShare = (double) catDay / dayTime;
    assertThat(catNightShare).isBetween(0.5, 0.95);
    assertThat(catDayShare).isBetween(0.05, 0.35);
    assertThat(catNightShare).isGreaterThan(3 * catDayShare);
    assertThat((double) peopleNight / smallHours).isLessThan(0.05);
    assertThat((double) peopleDay / dayTime).isGreaterThan(0.3);
    // At weekends people stay home during office hours.
    assertThat((double) peopleWeekend / weekendOffice).isGreaterThan(2 * (double) peopleWeekday / weekdayOffice);
    assertThat((double) dogDays.size() / days.size()).isBetween(0.1, 0.5);
    final double meanObjects = (double) objects / truth.inferences();
    assertThat(meanObjects).isBetween(8.0, 15.0);
    assertThat(truth.module(RoomModel.SOFA).inferencesWith()).isEqualTo(truth.inferences());

    // The hour histogram of the truth agrees with the direct count, and most cat sightings are at night.
    final List<GroundTruth.Presence> hours = truth.presenceByHour(RoomModel.CAT);
    long nightFromHistogram = 0, totalWithCat = 0;
    for (int h = 0; h < 24; h++) {
      totalWithCat += hours.get(h).withModule();
      if (h >= 22 || h < 6) {
        nightFromHistogram += hours.get(h).withModule();
      }
    }
    assertThat(nightFromHistogram).isEqualTo(catNight);
    assertThat((double) catNight / totalWithCat).isGreaterThan(0.5);
    assertThat(truth.module(RoomModel.CAT).inferencesWith()).isEqualTo(totalWithCat);
  }

  @Test
  void catPartsAndAttributesVaryRealistically() {
    final SimulationConfig config = SimulationConfig.defaults().withDays(30);
    final GroundTruth truth = new GroundTruth(config, true);
    double sizeSum = 0;
    long cats = 0, withTwoEyes = 0, withTail = 0, withHead = 0;
    final Set<Integer> partCounts = new HashSet<>();
    for (final SimulatedInference inf : generate(config)) {
      truth.add(inf);
      final InferenceContent c = inf.content();
      if (!c.contains(RoomModel.CAT)) {
        continue;
      }
      cats++;
      sizeSum += inf.events().stream().filter(e -> e.getModule().equals(RoomModel.CAT))
          .mapToDouble(e -> e.getAttributes().get(RoomModel.SIZE)).sum();
      withHead += c.count(RoomModel.HEAD) > 0 ? 1 : 0;
      withTwoEyes += c.count(RoomModel.EYE) == 2 ? 1 : 0;
      withTail += c.count(RoomModel.TAIL) > 0 ? 1 : 0;
      partCounts.add(c.count(RoomModel.EYE) + c.count(RoomModel.TAIL) + c.count(RoomModel.HEAD));
      assertThat(c.modules().get(RoomModel.CAT).depth()).isEqualTo(1);
      if (c.contains(RoomModel.EYE)) {
        assertThat(c.modules().get(RoomModel.EYE).depth()).isEqualTo(2);
      }
    }
    assertThat(cats).isGreaterThan(500);
    // Parts are usually but not always visible.
    assertThat((double) withHead / cats).isBetween(0.8, 0.99);
    assertThat((double) withTwoEyes / cats).isBetween(0.2, 0.9);
    assertThat((double) withTail / cats).isBetween(0.4, 0.95);
    assertThat(partCounts.size()).isGreaterThanOrEqualTo(4);
    final GroundTruth.ModuleTruth cat = truth.module(RoomModel.CAT);
    assertThat(cat.meanAttributes()[RoomModel.SIZE])
        .isCloseTo(sizeSum / cats, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(cat.meanAttributes()[RoomModel.SIZE]).isBetween(0.3, 0.5);
    // Sizes vary (curled vs walking, perspective) but are not noise: spread well below the mean.
    assertThat(cat.stddevAttributes()[RoomModel.SIZE]).isBetween(0.03, 0.15);
  }

  @Test
  void moreCatInWinterThanInSummer() {
    final SimulationConfig config = SimulationConfig.defaults().withIntervalMinutes(30);
    final GroundTruth truth = new GroundTruth(config, false);
    new RoomSimulator(config).forEachRemaining(truth::add);
    final List<GroundTruth.Presence> months = truth.presenceByMonth(RoomModel.CAT);
    assertThat(months).hasSize(12);
    assertThat(months.stream().mapToLong(GroundTruth.Presence::inferences).sum()).isEqualTo(truth.inferences());
    assertThat(months.get(0).share()).isGreaterThan(months.get(6).share() + 0.05);
    assertThat(months.get(11).share()).isGreaterThan(months.get(7).share() + 0.05);
  }
}
