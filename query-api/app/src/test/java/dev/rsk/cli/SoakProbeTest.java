package dev.rsk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The probe's full collection, on a real JVM (this one) through the real {@code jcmd}. */
class SoakProbeTest {

  private static long collections() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
  }

  @Test
  void aFullCollectionIsRequestedFromTheProcessAndAFailureIsFalseNotAnException() {
    final long before = collections();
    assertThat(new SoakProbe(ProcessHandle.current().pid(), "http://127.0.0.1:1", Path.of(".")).collect()).isTrue();
    assertThat(collections()).as("jcmd GC.run collected this JVM").isGreaterThan(before);
    // no such process: jcmd fails, the sample's live heap is then unknown
    assertThat(new SoakProbe(Long.MAX_VALUE, "http://127.0.0.1:1", Path.of(".")).collect()).isFalse();
  }
}
