package dev.rsk.streams;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.streams.StreamsConfig;

/**
 * How an rsk Streams application leaves its consumer group on a clean close.
 *
 * <p>Kafka Streams stays in the group by default, so the partitions of a cleanly stopped instance stay
 * assigned to it, unqueryable, until its session times out (45 s by default) and the others rebalance. A
 * dynamic member therefore leaves at once. A static member ({@code group.instance.id} set) stays: it comes
 * back under the same id and takes its partitions again without any rebalance, which is why it was made
 * static.
 */
public final class GracefulClose {

  private GracefulClose() {}

  /**
   * The close options for an application with these Streams properties.
   *
   * @param streamsProperties the properties the application was built with (plain or {@code consumer.} /
   *     {@code main.consumer.} prefixed {@code group.instance.id} all count)
   * @param timeout how long {@code close} may wait
   */
  public static CloseOptions options(final Map<?, ?> streamsProperties, final Duration timeout) {
    final GroupMembershipOperation operation = isStatic(streamsProperties)
        ? GroupMembershipOperation.REMAIN_IN_GROUP : GroupMembershipOperation.LEAVE_GROUP;
    return CloseOptions.groupMembershipOperation(operation).withTimeout(timeout);
  }

  static boolean isStatic(final Map<?, ?> streamsProperties) {
    final String key = ConsumerConfig.GROUP_INSTANCE_ID_CONFIG;
    for (final String name : new String[] {key, StreamsConfig.consumerPrefix(key),
        StreamsConfig.mainConsumerPrefix(key)}) {
      final Object value = streamsProperties.get(name);
      if (value != null && !value.toString().isBlank()) {
        return true;
      }
    }
    return false;
  }
}
