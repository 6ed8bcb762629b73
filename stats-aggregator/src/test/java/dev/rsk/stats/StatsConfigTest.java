package dev.rsk.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rsk.stats.serde.StatsSerdes;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The stats topology's configuration as its javadoc states it: the defaults, each documented bound accepted at
 * its edge and refused one step past it with a message naming the setting, and each {@code with...} changing only
 * what it names.
 */
class StatsConfigTest {

  private static final Duration MS = Duration.ofMillis(1);
  private final StatsConfig defaults = StatsConfig.defaults(StatsSerdes.inferenceSketchBinary());

  @Test
  void theDefaultsAreTheDocumentedOnes() {
    assertThat(defaults.sketchesTopic()).isEqualTo("sketches");
    assertThat(StatsConfig.defaultDlqTopic("sketches")).isEqualTo("sketches-dlq");
    assertThat(defaults.retention()).isEqualTo(Duration.ofDays(400));
    assertThat(defaults.statsBucket()).isEqualTo(Duration.ofDays(1));
    assertThat(defaults.statsRetention()).isEqualTo(Duration.ofDays(400));
    assertThat(defaults.repositoryRetention()).isEqualTo(Duration.ofDays(400));
    assertThat(defaults.cleanupInterval()).isEqualTo(Duration.ofMinutes(10));
    assertThat(defaults.cleanupBatch()).isEqualTo(10_000);
    assertThat(defaults.repositoryFullFor()).isEqualTo(Duration.ofDays(30));
    assertThat(defaults.agedFraction()).isEqualTo(0.25);
    assertThat(defaults.exactDims()).isEqualTo(8);
    assertThat(defaults.changes()).isNotNull();
  }

  @Test
  void everyDurationMustBePositive() {
    refused(c -> c.withRetention(Duration.ZERO, c.statsRetention(), c.repositoryRetention()), "retention");
    refused(c -> c.withRetention(c.retention(), c.statsRetention(), Duration.ZERO), "repositoryRetention");
    refused(c -> c.withRetention(c.retention(), Duration.ofDays(-1), c.repositoryRetention()), "statsRetention");
    refused(c -> c.withStatsBucket(Duration.ZERO), "statsBucket");
    refused(c -> c.withCleanup(Duration.ZERO, 1), "cleanupInterval");
    refused(c -> c.withAgeing(Duration.ZERO, 0.5), "repositoryFullFor");
    refused(c -> c.withAgeing(Duration.ofDays(-1), 0.5), "repositoryFullFor");
    accepted(c -> c.withCleanup(MS, 1));
    accepted(c -> c.withAgeing(MS, 0.5));
    accepted(c -> c.withRetention(c.retention(), c.statsRetention(), MS));
  }

  @Test
  void theStatsBucketIsAWholeNumberOfHoursAndRetentionsHoldAtLeastOne() {
    accepted(c -> c.withStatsBucket(Duration.ofHours(1)));
    accepted(c -> c.withStatsBucket(Duration.ofHours(5)));
    refused(c -> c.withStatsBucket(Duration.ofMinutes(90)), "whole number of hours");
    // the hourly retention: at least one hour
    accepted(c -> c.withRetention(Duration.ofHours(1), c.statsRetention(), c.repositoryRetention()));
    refused(c -> c.withRetention(Duration.ofHours(1).minus(MS), c.statsRetention(), c.repositoryRetention()),
        "at least one bucket");
    // the statistics' retention: at least one stats bucket (a day by default)
    accepted(c -> c.withRetention(c.retention(), Duration.ofDays(1), c.repositoryRetention()));
    refused(c -> c.withRetention(c.retention(), Duration.ofDays(1).minus(MS), c.repositoryRetention()),
        "at least one bucket");
  }

  @Test
  void theAgedFractionIsInZeroExclusiveToOneInclusive() {
    accepted(c -> c.withAgeing(Duration.ofDays(30), 1.0));
    accepted(c -> c.withAgeing(Duration.ofDays(30), Double.MIN_VALUE));
    refused(c -> c.withAgeing(Duration.ofDays(30), 0.0), "agedFraction");
    refused(c -> c.withAgeing(Duration.ofDays(30), Math.nextUp(1.0)), "agedFraction");
    refused(c -> c.withAgeing(Duration.ofDays(30), Double.NaN), "agedFraction");
  }

  @Test
  void theKllParameterIsInEightTo65535() {
    accepted(c -> kll(c, 8));
    accepted(c -> kll(c, 65_535));
    refused(c -> kll(c, 7), "kllK");
    refused(c -> kll(c, 65_536), "kllK");
  }

  @Test
  void theCleanupBatchAndTheExactDimensionsAreAtLeastOne() {
    accepted(c -> c.withCleanup(Duration.ofMinutes(1), 1));
    refused(c -> c.withCleanup(Duration.ofMinutes(1), 0), "cleanupBatch");
    accepted(c -> c.withExactDims(1));
    refused(c -> c.withExactDims(0), "exactDims");
  }

  @Test
  void theRepositoryItemsBoundIsAtLeastZeroAndDefaultsTo64() {
    assertThat(defaults.repositoryItemsMax()).isEqualTo(64);
    accepted(c -> c.withRepositoryItemsMax(0));
    refused(c -> c.withRepositoryItemsMax(-1), "repositoryItemsMax");
  }

  @Test
  void eachWithChangesOnlyWhatItNames() {
    final StatsConfig c = defaults.withSketchesTopic("other").withStatsBucket(Duration.ofHours(6))
        .withCleanup(Duration.ofMinutes(3), 7).withExactDims(2).withAgeing(Duration.ofDays(2), 0.5)
        .withRetention(Duration.ofDays(3), Duration.ofDays(4), Duration.ofDays(5)).withRepositoryItemsMax(9);
    assertThat(c.sketchesTopic()).isEqualTo("other");
    assertThat(c.statsBucket()).isEqualTo(Duration.ofHours(6));
    assertThat(c.cleanupInterval()).isEqualTo(Duration.ofMinutes(3));
    assertThat(c.cleanupBatch()).isEqualTo(7);
    assertThat(c.exactDims()).isEqualTo(2);
    assertThat(c.repositoryFullFor()).isEqualTo(Duration.ofDays(2));
    assertThat(c.agedFraction()).isEqualTo(0.5);
    assertThat(c.retention()).isEqualTo(Duration.ofDays(3));
    assertThat(c.statsRetention()).isEqualTo(Duration.ofDays(4));
    assertThat(c.repositoryRetention()).isEqualTo(Duration.ofDays(5));
    assertThat(c.repositoryItemsMax()).isEqualTo(9);
    // untouched by every with...
    assertThat(c.kllK()).isEqualTo(defaults.kllK());
    assertThat(c.sketchSerde()).isSameAs(defaults.sketchSerde());
    assertThat(c.changes()).isSameAs(defaults.changes());
  }

  private static StatsConfig kll(final StatsConfig c, final int k) {
    return new StatsConfig(c.sketchesTopic(), c.sketchSerde(), c.retention(), c.statsBucket(), c.statsRetention(),
        c.repositoryRetention(), k, c.cleanupInterval(), c.cleanupBatch(), c.repositoryFullFor(), c.agedFraction(),
        c.exactDims(), c.repositoryItemsMax(), c.changes());
  }

  private void accepted(final UnaryOperator<StatsConfig> change) {
    assertThatCode(() -> change.apply(defaults)).doesNotThrowAnyException();
  }

  private void refused(final UnaryOperator<StatsConfig> change, final String named) {
    assertThatThrownBy(() -> change.apply(defaults)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(named);
  }
}
