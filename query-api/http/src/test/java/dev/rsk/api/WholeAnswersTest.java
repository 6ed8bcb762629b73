package dev.rsk.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rsk.api.internal.AnswerCache;
import dev.rsk.api.model.FrequencyResponse;
import dev.rsk.api.model.InstanceStatus;
import dev.rsk.stats.StoreChanges;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Whole answers are kept as their JSON bytes only while the stores' version holds and only when this instance
 * alone answered from its active stores; a kept answer is the bytes of a fresh one; the byte budget evicts.
 */
class WholeAnswersTest {

  private static final String SELF = "127.0.0.1:8080";
  private static final ObjectMapper MAPPER = Json.mapper();
  private static final WholeAnswers.Question Q = new WholeAnswers.Question("frequency", "cat", 0, 3_600_000, "PT1H");

  private final StoreChanges changes = new StoreChanges();
  private final AtomicInteger made = new AtomicInteger();
  private final AtomicBoolean allLocal = new AtomicBoolean(true);

  /** The n-th answer made: n inferences, answered by {@code who}. */
  private static FrequencyResponse answer(final int n, final List<InstanceStatus> who, final boolean stale) {
    return new FrequencyResponse("cat", "1970-01-01T00:00:00Z", "1970-01-01T01:00:00Z", "PT1H", n, 1, 2, 0.5,
        List.of(new FrequencyResponse.Bucket("1970-01-01T00:00:00Z", n, 1, 2)), true, who, stale);
  }

  private static List<InstanceStatus> self() {
    return List.of(new InstanceStatus(SELF, List.of(0, 1), "ok"));
  }

  private WholeAnswers whole(final long budget) {
    return new WholeAnswers(new AnswerCache(changes, budget), MAPPER, SELF, allLocal::get);
  }

  private byte[] ask(final WholeAnswers w, final WholeAnswers.Question q, final List<InstanceStatus> who,
      final boolean stale) {
    return w.json(q, () -> answer(made.incrementAndGet(), who, stale));
  }

  @Test
  void keepsTheBytesOfAFreshAnswerUntilTheStoresChange() throws Exception {
    final WholeAnswers w = whole(1_000_000);
    final byte[] first = ask(w, Q, self(), false);
    assertThat(first).isEqualTo(MAPPER.writeValueAsBytes(answer(1, self(), false)));
    assertThat(ask(w, Q, self(), false)).isEqualTo(first);
    assertThat(made).hasValue(1);
    changes.beginWrite(0); // a commit writes the aggregates
    changes.endWrite(0);
    assertThat(ask(w, Q, self(), false)).isEqualTo(MAPPER.writeValueAsBytes(answer(2, self(), false)));
    assertThat(ask(w, Q, self(), false)).isEqualTo(MAPPER.writeValueAsBytes(answer(2, self(), false)));
    changes.changed(); // a rebalance
    ask(w, Q, self(), false);
    assertThat(made).hasValue(3);
  }

  @Test
  void differentQuestionsAreDifferentAnswers() {
    final WholeAnswers w = whole(1_000_000);
    ask(w, Q, self(), false);
    ask(w, new WholeAnswers.Question("frequency", "cat", 0, 3_600_000, "P1D"), self(), false);
    ask(w, new WholeAnswers.Question("hours", "cat", 0, 3_600_000, "PT1H"), self(), false);
    ask(w, new WholeAnswers.Question("frequency", "dog", 0, 3_600_000, "PT1H"), self(), false);
    ask(w, new WholeAnswers.Question("frequency", "cat", 0, 7_200_000, "PT1H"), self(), false);
    assertThat(made).hasValue(5);
    ask(w, Q, self(), false);
    assertThat(made).hasValue(5);
  }

  @Test
  void anAnswerWithAStalePartOrAnotherInstanceIsNeverKept() {
    final WholeAnswers w = whole(1_000_000);
    ask(w, Q, self(), true);
    ask(w, Q, self(), true);
    assertThat(made).hasValue(2);
    final List<InstanceStatus> two = List.of(new InstanceStatus(SELF, List.of(0), "ok"),
        new InstanceStatus("127.0.0.1:8081", List.of(1), "ok"));
    ask(w, Q, two, false);
    ask(w, Q, two, false);
    assertThat(made).hasValue(4);
    final List<InstanceStatus> standby = List.of(new InstanceStatus(SELF, List.of(0, 1), "stale"));
    ask(w, Q, standby, false);
    ask(w, Q, standby, false);
    assertThat(made).hasValue(6);
  }

  @Test
  void nothingIsKeptOrSharedUnlessThisInstanceHoldsEveryPartition() throws Exception {
    allLocal.set(false);
    final WholeAnswers w = whole(1_000_000);
    assertThat(ask(w, Q, self(), false)).isEqualTo(MAPPER.writeValueAsBytes(answer(1, self(), false)));
    assertThat(ask(w, Q, self(), false)).isEqualTo(MAPPER.writeValueAsBytes(answer(2, self(), false)));
    assertThat(made).hasValue(2);
    allLocal.set(true);
    ask(w, Q, self(), false);
    ask(w, Q, self(), false);
    assertThat(made).hasValue(3);
  }

  @Test
  void theByteBudgetEvictsTheLeastRecentlyUsedAndZeroTurnsItOff() throws Exception {
    final long one = MAPPER.writeValueAsBytes(answer(1, self(), false)).length + 256;
    final WholeAnswers w = whole(2 * one + 10); // two answers of this size fit, not three
    final WholeAnswers.Question q2 = new WholeAnswers.Question("frequency", "cat", 0, 3_600_000, "P1D");
    final WholeAnswers.Question q3 = new WholeAnswers.Question("frequency", "cat", 0, 3_600_000, "P2D");
    ask(w, Q, self(), false);
    ask(w, q2, self(), false);
    ask(w, q3, self(), false); // evicts Q
    assertThat(made).hasValue(3);
    ask(w, q3, self(), false);
    ask(w, q2, self(), false);
    assertThat(made).hasValue(3);
    ask(w, Q, self(), false);
    assertThat(made).hasValue(4);

    final WholeAnswers off = whole(0);
    ask(off, Q, self(), false);
    ask(off, Q, self(), false);
    assertThat(made).hasValue(6);
  }
}
