package dev.rsk.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.streams.internals.CloseOptionsInternal;
import org.junit.jupiter.api.Test;

class GracefulCloseTest {

  @Test
  void aDynamicMemberLeavesTheGroup() {
    assertThat(GracefulClose.isStatic(Map.of("application.id", "rsk-stats"))).isFalse();
    assertThat(GracefulClose.isStatic(Map.of("group.instance.id", " "))).isFalse();
  }

  @Test
  void aStaticMemberStaysWhereverItsIdIsSet() {
    assertThat(GracefulClose.isStatic(Map.of("group.instance.id", "rsk-1-stats"))).isTrue();
    assertThat(GracefulClose.isStatic(Map.of("consumer.group.instance.id", "rsk-1-stats"))).isTrue();
    assertThat(GracefulClose.isStatic(Map.of("main.consumer.group.instance.id", "rsk-1-stats"))).isTrue();
  }

  @Test
  void optionsLeaveOrStayAndCarryTheTimeout() {
    final CloseOptionsInternal dynamic =
        new CloseOptionsInternal(GracefulClose.options(Map.of(), Duration.ofSeconds(7)));
    assertThat(dynamic.operation()).isEqualTo(GroupMembershipOperation.LEAVE_GROUP);
    assertThat(dynamic.timeout()).contains(Duration.ofSeconds(7));
    final CloseOptionsInternal fixed =
        new CloseOptionsInternal(GracefulClose.options(Map.of("group.instance.id", "a"), Duration.ofSeconds(3)));
    assertThat(fixed.operation()).isEqualTo(GroupMembershipOperation.REMAIN_IN_GROUP);
    assertThat(fixed.timeout()).contains(Duration.ofSeconds(3));
  }
}
