package dev.rsk.api.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rsk.api.Json;
import dev.rsk.stats.query.lang.QueryPartial;
import org.junit.jupiter.api.Test;

/**
 * A memory query's partial on the internal API: an instance of an earlier version sends no {@code
 * exactPathMeans} (it summed one-module means only), and this one must read that as false, so that a rolling
 * upgrade decodes path means rather than add an older instance's zeros to exact sums; nor an {@code undecided}
 * count, nor a {@code matchedBias} (before session 32), both read as 0.
 */
class QueryPartialJsonTest {

  private final ObjectMapper mapper = Json.mapper();

  private static final String EARLIER = "{\"scanned\":3,\"inferences\":2,\"matched\":1,\"matchedVariance\":0.0,"
      + "\"matchedExact\":true,\"bucketInferences\":[2],\"bucketMatched\":[1],\"hourMatched\":[1,0,0,0,0,0,0,0,0,0,"
      + "0,0,0,0,0,0,0,0,0,0,0,0,0,0],\"exactSums\":[0.0],\"exactCounts\":[0],\"exactComplete\":[true],"
      + "\"sums\":[],\"overBudget\":false}";

  @Test
  void anEarlierInstancesPartialReadsAsNotCoveringPathMeans() throws Exception {
    final QueryPartial p = mapper.readValue(EARLIER, QueryPartial.class);
    assertThat(p.matched()).isEqualTo(1);
    assertThat(p.exactComplete()).containsExactly(true);
    assertThat(p.exactPathMeans()).isFalse();
    assertThat(p.undecided()).isZero();
    assertThat(p.matchedBias()).isZero();
  }

  @Test
  void thisVersionsPartialRoundTripsItsNewFields() throws Exception {
    final String now = EARLIER.substring(0, EARLIER.length() - 1) + ",\"exactPathMeans\":true,\"undecided\":5,"
        + "\"matchedBias\":-2.5}";
    final QueryPartial p = mapper.readValue(now, QueryPartial.class);
    assertThat(p.exactPathMeans()).isTrue();
    assertThat(p.undecided()).isEqualTo(5);
    final QueryPartial back = mapper.readValue(mapper.writeValueAsString(p), QueryPartial.class);
    assertThat(back.exactPathMeans()).isTrue();
    assertThat(back.undecided()).isEqualTo(5);
    assertThat(back.matchedBias()).isEqualTo(-2.5);
  }
}
