package dev.rsk.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class PlantTest {

  @Test
  void parsesKindDayAndHours() {
    assertThat(Plant.parse("party@200")).isEqualTo(new Plant("party", 200, 20, 24));
    assertThat(Plant.parse("PARTY@3:19-23")).isEqualTo(new Plant("party", 3, 19, 23));
  }

  @Test
  void rejectsOtherFormsWithTheExpectedOne() {
    assertThatThrownBy(() -> Plant.parse("party")).hasMessageContaining("KIND@DAY[:FROM-TO]");
    assertThatThrownBy(() -> Plant.parse("dog@3")).hasMessageContaining("unknown plant kind 'dog'");
    assertThatThrownBy(() -> Plant.parse("party@3:22-20")).hasMessageContaining("0 <= FROM < TO <= 24");
    assertThatThrownBy(() -> SimulationConfig.defaults().withDays(10).withPlant(Plant.parse("party@10")))
        .hasMessageContaining("after the last simulated day 9");
  }

  @Test
  void coversTheHoursOfEveryDayFromItsDayOn() {
    final SimulationConfig c = SimulationConfig.defaults().withPlant(Plant.parse("party@2:20-24"));
    assertThat(c.planted(Instant.parse("2025-01-02T21:00:00Z"))).isFalse(); // day 1
    assertThat(c.planted(Instant.parse("2025-01-03T19:59:59Z"))).isFalse();
    assertThat(c.planted(Instant.parse("2025-01-03T20:00:00Z"))).isTrue();
    assertThat(c.planted(Instant.parse("2025-01-03T23:59:59Z"))).isTrue();
    assertThat(c.planted(Instant.parse("2025-01-04T00:00:00Z"))).isFalse();
    assertThat(c.planted(Instant.parse("2025-03-01T22:00:00Z"))).isTrue();
    assertThat(c.plant().start(c)).isEqualTo(Instant.parse("2025-01-03T20:00:00Z"));
  }

  @Test
  void partyEveningsShowFiveToEightPeopleAndNoAnimal() {
    final SimulationConfig c = SimulationConfig.defaults().withDays(3).withPlant(Plant.parse("party@1"));
    final RoomSimulator sim = new RoomSimulator(c);
    int parties = 0;
    while (sim.hasNext()) {
      final SimulatedInference inf = sim.next();
      if (c.planted(inf.content().eventTime())) {
        parties++;
        assertThat(inf.content().count(RoomModel.PERSON)).isBetween(5, 8);
        assertThat(inf.content().contains(RoomModel.CAT) || inf.content().contains(RoomModel.DOG)).isFalse();
      } else {
        assertThat(inf.content().count(RoomModel.PERSON)).isLessThanOrEqualTo(3);
      }
    }
    assertThat(parties).isEqualTo(2 * 20);
  }

  @Test
  void beforeThePlantTheSimulationIsTheOrdinaryOne() {
    final SimulationConfig planted = SimulationConfig.defaults().withDays(3).withPlant(Plant.parse("party@1"));
    final RoomSimulator a = new RoomSimulator(SimulationConfig.defaults().withDays(3));
    final RoomSimulator b = new RoomSimulator(planted);
    int same = 0;
    while (a.hasNext()) {
      final SimulatedInference x = a.next();
      final SimulatedInference y = b.next();
      if (planted.planted(y.content().eventTime())) {
        break;
      }
      assertThat(y.events()).isEqualTo(x.events());
      same++;
    }
    assertThat(same).isEqualTo(120 + 100); // day 0, and day 1 until 20:00
  }
}
