package dev.rsk.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeLogDirsOptions;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;

/**
 * Bytes of each topic's log on the brokers' disks, as the brokers report them ({@code describeLogDirs}): the
 * record bytes of every segment, not the preallocated index files. The one place rsk measures Kafka log sizes
 * ({@code rsk bench-storage}, the demo's storage line, {@code rsk bench-stats}).
 *
 * <p>Accuracy: exact at the moment each broker answers, summed over every partition, every replica and every log
 * directory (a topic with replication factor 3 counts three times; a replica being moved between log
 * directories counts in both). The brokers answer one after the other, so on a cluster the sum is not one
 * snapshot; the in-process broker is a single node.
 */
public final class LogBytes {

  private LogBytes() {}

  /**
   * Log bytes per topic of the cluster {@code admin} talks to, in topic-name order. A topic that exists but holds
   * no record reports 0; a topic that does not exist is absent from the map (so {@code getOrDefault(topic, 0L)}
   * reads either as 0).
   *
   * @param timeout bound on the whole call (both admin requests together); positive
   * @throws IllegalArgumentException if {@code timeout} is zero or negative
   * @throws TimeoutException if the brokers did not answer within {@code timeout}
   * @throws ExecutionException if a request failed (its cause says why)
   * @throws IllegalStateException if a broker reports a log directory it cannot read (an offline disk): its bytes
   *     are unknown, so no partial sum is returned
   */
  public static Map<String, Long> perTopic(final Admin admin, final Duration timeout)
      throws InterruptedException, ExecutionException, TimeoutException {
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("log bytes timeout must be positive, got " + timeout);
    }
    final long deadline = System.nanoTime() + timeout.toNanos();
    final var nodes = get(admin.describeCluster(new DescribeClusterOptions().timeoutMs(millisLeft(deadline)))
        .nodes(), deadline, timeout).stream().map(Node::id).toList();
    final Map<Integer, Map<String, LogDirDescription>> brokers = get(admin.describeLogDirs(nodes,
        new DescribeLogDirsOptions().timeoutMs(millisLeft(deadline))).allDescriptions(), deadline, timeout);
    final Map<String, Long> out = new TreeMap<>();
    brokers.forEach((broker, dirs) -> dirs.forEach((path, dir) -> {
      if (dir.error() != null) {
        throw new IllegalStateException("broker " + broker + " cannot report log directory " + path + ": "
            + dir.error(), dir.error());
      }
      dir.replicaInfos().forEach((partition, replica) -> out.merge(partition.topic(), replica.size(), Long::sum));
    }));
    return out;
  }

  /** The future's value by the deadline; the admin client's own timeout is reported as this call's. */
  private static <T> T get(final KafkaFuture<T> future, final long deadline, final Duration timeout)
      throws InterruptedException, ExecutionException, TimeoutException {
    try {
      return future.get(nanosLeft(deadline), TimeUnit.NANOSECONDS);
    } catch (final ExecutionException e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
        final TimeoutException t = new TimeoutException("the brokers did not report their log sizes within "
            + timeout + ": " + e.getCause().getMessage());
        t.initCause(e.getCause());
        throw t;
      }
      throw e;
    } catch (final TimeoutException e) {
      throw new TimeoutException("the brokers did not report their log sizes within " + timeout);
    }
  }

  private static long nanosLeft(final long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }

  /** At least 1 ms: an admin option of 0 ms would mean "time out at once" only by accident of rounding. */
  private static int millisLeft(final long deadline) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(nanosLeft(deadline))));
  }
}
