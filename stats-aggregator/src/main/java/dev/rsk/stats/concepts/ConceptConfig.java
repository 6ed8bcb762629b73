package dev.rsk.stats.concepts;

import dev.rsk.avro.ConceptEvent;
import java.time.Duration;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * Configuration of the concept sub-topology.
 *
 * @param topic the concepts topic (ConceptEvent values, keyed by concept id); it must exist
 * @param serde the value serde of the topic (registry-backed in production)
 * @param params the clustering knobs
 * @param publishInterval wall-clock period at which concepts that gained members are published (GREW) and
 *     emerged concepts are checked for fading
 */
public record ConceptConfig(String topic, Serde<ConceptEvent> serde, ConceptParams params,
    Duration publishInterval) {

  public static final String DEFAULT_TOPIC = "concepts";
  public static final Duration DEFAULT_PUBLISH_INTERVAL = Duration.ofSeconds(2);

  public ConceptConfig {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(serde, "serde");
    Objects.requireNonNull(params, "params");
    if (publishInterval == null || publishInterval.isNegative() || publishInterval.isZero()) {
      throw new IllegalArgumentException("publishInterval must be positive");
    }
  }
}
