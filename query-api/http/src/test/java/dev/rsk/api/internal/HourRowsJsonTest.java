package dev.rsk.api.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.rsk.api.Json;
import dev.rsk.stats.query.HourRows;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hourly rows' JSON on the internal API keeps the shape instances have always exchanged, an array of
 * [hour start, inferences, withModule, objects] arrays, in both directions: an instance of an earlier version
 * reads what this one sends and this one reads what it sends.
 */
class HourRowsJsonTest {

  private final ObjectMapper mapper = Json.mapper();

  @Test
  void rowsAreWrittenAsArraysOfFourWithoutTheAllZeroHours() throws Exception {
    final InternalDtos.Hourly hourly = new InternalDtos.Hourly(4,
        HourRows.flat(new long[] {3_600_000L, 2, 1, 3, 7_200_000L, 0, 0, 0, 10_800_000L, 5, 0, 0}));
    assertThat(mapper.writeValueAsString(hourly))
        .isEqualTo("{\"attributeLength\":4,\"rows\":[[3600000,2,1,3],[10800000,5,0,0]]}");
    assertThat(mapper.writeValueAsString(new InternalDtos.ModuleStats(3, HourRows.empty(), List.of(), List.of())))
        .isEqualTo("{\"attributeLength\":3,\"rows\":[],\"attributeStats\":[],\"sums\":[]}");
  }

  @Test
  void theEarlierShapeIsReadIntoTheSameRows() throws Exception {
    final InternalDtos.Hourly read = mapper.readValue(
        "{\"attributeLength\":2,\"rows\":[[0,1,1,2],[3600000,4,0,9],[7200000,0,0,0]]}", InternalDtos.Hourly.class);
    assertThat(read.attributeLength()).isEqualTo(2);
    assertThat(read.rows().toList()).containsExactly(new long[] {0, 1, 1, 2}, new long[] {3_600_000L, 4, 0, 9});
    final StringBuilder many = new StringBuilder("{\"attributeLength\":1,\"rows\":[");
    for (int i = 0; i < 100; i++) {
      many.append(i == 0 ? "" : ",").append("[").append(i).append(",1,0,").append(i).append("]");
    }
    final List<long[]> rows = mapper.readValue(many.append("]}").toString(), InternalDtos.Hourly.class).rows()
        .toList();
    assertThat(rows).hasSize(100);
    assertThat(rows.get(99)).containsExactly(99, 1, 0, 99);
  }

  @Test
  void aRowOfOtherThanFourIntegersIsRefused() {
    for (final String rows : List.of("[[0,1,1]]", "[[0,1,1,2,3]]", "[[0,1,1,2.5]]", "[0,1,1,2]", "{}")) {
      assertThatThrownBy(() -> mapper.readValue("{\"attributeLength\":2,\"rows\":" + rows + "}",
          InternalDtos.Hourly.class)).as(rows).isInstanceOf(MismatchedInputException.class);
    }
  }
}
