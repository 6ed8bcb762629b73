package dev.rsk.api.server;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Whether the concepts topic exists, asked once at start with an {@link Admin} client and a bounded wait. A server
 * started against a cluster without the topic runs without concept detection (its routes answer 501 saying why)
 * rather than failing: the topology would otherwise stop on the missing sink and source.
 */
final class ConceptsTopic {

  private ConceptsTopic() {}

  /** Null when {@code topic} exists; else why concept detection is off. */
  static String missing(final Map<String, Object> adminConfig, final String topic, final Duration timeout) {
    final Map<String, Object> config = new java.util.HashMap<>(adminConfig);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    try (Admin admin = Admin.create(config)) {
      admin.describeTopics(List.of(topic)).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return null;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return "the topic '" + topic + "' does not exist; create it (keyed by concept id, compacted) and restart, or"
            + " set " + ServerConfig.CONCEPTS_TOPIC + " to an existing one";
      }
      return "the topic '" + topic + "' could not be described at start: " + e.getCause();
    } catch (TimeoutException e) {
      return "the topic '" + topic + "' could not be described within " + timeout + " at start";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted while describing the topic '" + topic + "'";
    }
  }
}
