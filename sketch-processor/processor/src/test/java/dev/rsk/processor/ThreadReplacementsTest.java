package dev.rsk.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

/**
 * The replacement policy of docs/processor.md: a dead stream thread is replaced at most 5 times in 5
 * minutes, the 6th failure within 5 minutes shuts the client down. Times are hand-picked around the
 * window's edge (300,000 ms).
 */
class ThreadReplacementsTest {
  private static final long MINUTE = 60_000;

  private final ThreadReplacements policy = new ThreadReplacements(5, Duration.ofMinutes(5));

  @Test
  void fiveFailuresAreReplacedAndTheSixthWithinFiveMinutesShutsTheClientDown() {
    for (int i = 0; i < 5; i++) {
      assertThat(policy.onFailure(1_000 + i * MINUTE)).as("failure %d", i + 1)
          .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }
    assertThat(policy.onFailure(1_000 + 4 * MINUTE + 59_000)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    assertThat(policy.counted()).isEqualTo(6);
  }

  @Test
  void aFailureExactlyFiveMinutesOldStillCountsOneMillisecondLaterItDoesNot() {
    final ThreadReplacements other = new ThreadReplacements(5, Duration.ofMinutes(5));
    for (int i = 0; i < 5; i++) {
      policy.onFailure(0);
      other.onFailure(0);
    }
    assertThat(policy.onFailure(5 * MINUTE)).as("first failure exactly 5 min old")
        .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    assertThat(policy.counted()).isEqualTo(6);
    assertThat(other.onFailure(5 * MINUTE + 1)).as("all five older than 5 min")
        .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    assertThat(other.counted()).isEqualTo(1);
  }

  @Test
  void failuresSpreadOverMoreThanTheWindowAreReplacedForever() {
    for (int i = 0; i < 50; i++) {
      assertThat(policy.onFailure(i * (MINUTE + 1))).as("failure %d", i + 1)
          .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }
    assertThat(policy.counted()).as("failures at 49, 48, 47, 46 and 45 minutes (and ms)").isEqualTo(5);
  }

  @Test
  void aBurstLongAgoDoesNotCountAgainstANewOne() {
    for (int i = 0; i < 6; i++) {
      policy.onFailure(10);
    }
    assertThat(policy.onFailure(10 + 5 * MINUTE + 1)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    assertThat(policy.counted()).isEqualTo(1);
  }
}
