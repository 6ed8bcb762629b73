package dev.rsk.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroundTruthTest {

  @Test
  void jsonCarriesCountsByMonthAndHourCatSizeAndEveryInference(@TempDir final Path dir) throws Exception {
    final SimulationConfig config = SimulationConfig.defaults().withDays(40);
    final GroundTruth truth = new GroundTruth(config, true);
    final RoomSimulator sim = new RoomSimulator(config);
    sim.forEachRemaining(truth::add);
    final Path file = dir.resolve("sub/truth.json");
    truth.writeJson(file);

    final JsonNode json = new ObjectMapper().readTree(file.toFile());
    assertThat(json.get("inferences").asLong()).isEqualTo(sim.total()).isEqualTo(40 * 24 * 5);
    final JsonNode cat = json.get("modules").get("cat");
    assertThat(cat.get("k").asInt()).isEqualTo(5);
    assertThat(cat.get("byMonth")).hasSize(2); // January and 9 days of February
    assertThat(cat.get("byMonth").get(0).get("bucket").asText()).isEqualTo("2025-01");
    assertThat(cat.get("byMonth").get(0).get("inferences").asLong()).isEqualTo(31 * 24 * 5);
    long withCat = 0;
    for (final JsonNode h : cat.get("byHour")) {
      withCat += h.get("withModule").asLong();
    }
    assertThat(withCat).isEqualTo(cat.get("inferencesWith").asLong()).isPositive();
    assertThat(json.get("catSize").get("mean").asDouble())
        .isEqualTo(truth.module(RoomModel.CAT).meanAttributes()[RoomModel.SIZE]);
    assertThat(json.get("perInference")).hasSize(sim.total());
    final JsonNode first = json.get("perInference").get(0);
    assertThat(first.get("id").asText()).isEqualTo("room-000000");
    assertThat(first.get("modules").get("scene").get("count").asInt()).isEqualTo(1);
    assertThat(truth.inference("room-000000").objects()).isEqualTo(first.get("objects").asInt());
  }
}
