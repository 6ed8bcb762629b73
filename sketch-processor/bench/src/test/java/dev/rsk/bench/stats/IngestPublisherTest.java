package dev.rsk.bench.stats;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The publisher's pacing schedule: constant rate, never a burst, missed slots skipped once too far behind. */
class IngestPublisherTest {

  private static final long SECOND = 1_000_000_000L;
  private static final long LAG = IngestPublisher.MAX_LAG.toNanos();

  @Test
  void slotsAreEvenlySpacedAtTheRate() {
    assertThat(IngestPublisher.dueNanos(0, 20)).isZero();
    assertThat(IngestPublisher.dueNanos(1, 20)).isEqualTo(50_000_000L);
    assertThat(IngestPublisher.dueNanos(20, 20)).isEqualTo(SECOND);
    // a rate that does not divide a second: no drift, exactly N slots per second
    assertThat(IngestPublisher.dueNanos(1, 3)).isEqualTo(333_333_333L);
    assertThat(IngestPublisher.dueNanos(3, 3)).isEqualTo(SECOND);
    assertThat(IngestPublisher.dueNanos(3 * 3600L, 3)).isEqualTo(3600 * SECOND);
  }

  @Test
  void onTimeOrSlightlyLateTheSlotIsKept() {
    assertThat(IngestPublisher.nextSlot(5, IngestPublisher.dueNanos(5, 100), 100)).isEqualTo(5);
    assertThat(IngestPublisher.nextSlot(5, IngestPublisher.dueNanos(5, 100) + LAG, 100)).isEqualTo(5);
  }

  @Test
  void moreThanTheLagBehindItSkipsToTheNewestSlotDue() {
    // slot 5 at 100/s is due at 50 ms; at 2.5 s the newest slot due is 250: 245 skipped, none burst
    assertThat(IngestPublisher.nextSlot(5, 2_500_000_000L, 100)).isEqualTo(250);
    assertThat(IngestPublisher.nextSlot(0, LAG + 1, 1)).isEqualTo(1);
    // the slot chosen is never in the future
    final long elapsed = 7 * SECOND + 123;
    final long next = IngestPublisher.nextSlot(0, elapsed, 20);
    assertThat(IngestPublisher.dueNanos(next, 20)).isLessThanOrEqualTo(elapsed);
    assertThat(IngestPublisher.dueNanos(next + 1, 20)).isGreaterThan(elapsed);
  }
}
