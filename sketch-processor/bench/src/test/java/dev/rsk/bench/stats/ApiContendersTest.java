package dev.rsk.bench.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** bench-api's contenders and their server properties, as the command table in the README names them. */
class ApiContendersTest {

  private static ApiBenchmark.Options options(final String cache, final Duration staleness, final int threads) {
    return new ApiBenchmark.Options(1000, 200, 10, 1, cache, 0, staleness, threads);
  }

  @Test
  void bothRunsTheCacheOnAndOffInThatOrderOnTheServersDefaultThreads() {
    final Map<String, Map<String, String>> c = ApiContenders.of(options("both", Duration.ZERO, 0));
    assertThat(c).containsExactly(Map.entry("cache on", Map.of()),
        Map.entry("cache off", Map.of("rsk.api.answer.cache.bytes", "0")));
  }

  @Test
  void threadsAreGivenToEveryContenderAndStalenessAddsOne() {
    final Map<String, Map<String, String>> c = ApiContenders.of(options("on", Duration.ofMillis(500), 2));
    assertThat(c).containsExactly(
        Map.entry("cache on", Map.of("kafka.num.stream.threads", "2")),
        Map.entry("cache on, stale <= 500 ms", Map.of("rsk.api.answer.max.staleness", "PT0.5S",
            "kafka.num.stream.threads", "2")));
  }

  @Test
  void monthsComparesTheMonthPiecesCacheWithTheAnswerCacheOff() {
    final Map<String, Map<String, String>> c = ApiContenders.of(options("months", Duration.ZERO, 0));
    assertThat(c).containsExactly(Map.entry("cache off", Map.of("rsk.api.answer.cache.bytes", "0")),
        Map.entry("cache off, months off", Map.of("rsk.api.answer.cache.bytes", "0",
            "rsk.api.months.cache.bytes", "0")));
  }

  @Test
  void setGoesToEveryContenderAndAlsoAddsOneWithTheCacheOnWhoseOwnSettingsWin() {
    final ApiBenchmark.Options o = new ApiBenchmark.Options(1000, 200, 10, 1, "both", 20, Duration.ZERO, 2,
        Map.of("kafka.commit.interval.ms", "300"),
        Map.of("kafka.commit.interval.ms", "1000", "rsk.api.months.cache.bytes", "0"), 2);
    final Map<String, Map<String, String>> c = ApiContenders.of(o);
    assertThat(c).containsExactly(
        Map.entry("cache on", Map.of("kafka.commit.interval.ms", "300", "kafka.num.stream.threads", "2")),
        Map.entry("cache off", Map.of("kafka.commit.interval.ms", "300", "kafka.num.stream.threads", "2",
            "rsk.api.answer.cache.bytes", "0")),
        Map.entry("cache on, kafka.commit.interval.ms=1000,rsk.api.months.cache.bytes=0",
            Map.of("kafka.commit.interval.ms", "1000", "kafka.num.stream.threads", "2",
                "rsk.api.months.cache.bytes", "0")));
  }
}
