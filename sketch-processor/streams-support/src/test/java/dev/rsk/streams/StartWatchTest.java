package dev.rsk.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class StartWatchTest {

  @Test
  void tracksEachRestorationFromStartToEndAndCountsTheRecords() {
    try (StartWatch watch = new StartWatch("test", () -> null, Duration.ofHours(1))) {
      final TopicPartition a = new TopicPartition("app-store-changelog", 0);
      final TopicPartition b = new TopicPartition("app-store-changelog", 1);
      watch.onRestoreStart(a, "store", 10, 500);
      watch.onRestoreStart(b, "store", 0, 80);
      watch.onBatchRestored(a, "store", 210, 200);
      watch.onBatchRestored(b, "store", 79, 80);
      watch.onRestoreEnd(b, "store", 80);

      assertThat(watch.restorations()).containsExactly("store app-store-changelog-0 at 210 of [10, 500]");
      assertThat(watch.restoredRecords()).isEqualTo(280);
      assertThat(watch.nanosSinceRestoreProgress()).isLessThan(Duration.ofMinutes(1).toNanos());

      watch.onRestoreSuspended(a, "store", 200);
      assertThat(watch.restorations()).isEmpty();
    }
  }
}
