package dev.rsk.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The standalone stack's settings are checked before anything starts: ports, names, partitions, one role a topic. */
class StandaloneOptionsTest {

  private static final StandaloneOptions BASE = StandaloneOptions.ephemeral(Path.of("data"));

  @Test
  void theDefaultTopicsAreDistinctAndAnyOtherDistinctNamesAreTaken() {
    assertThat(StandaloneOptions.defaults().sketchesTopic()).isEqualTo("sketches");
    final StandaloneOptions o = BASE.withTopics("acts.v2", "sk_v2", "acts.v2-dlq", 8);
    assertThat(o.activationsTopic()).isEqualTo("acts.v2");
    assertThat(o.partitions()).isEqualTo(8);
  }

  @Test
  void twoRolesOnOneTopicAreRefusedNamingBoth() {
    assertThatThrownBy(() -> BASE.withTopics("events", "events", "dlq", 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the activations and sketches topics would both be 'events': give each its own name");
    assertThatThrownBy(() -> BASE.withTopics("events", "sketches", "events", 4))
        .hasMessage("the activations and DLQ topics would both be 'events': give each its own name");
    // the aggregator's DLQ is named after the sketches topic
    assertThatThrownBy(() -> BASE.withTopics("events", "sk", "sk-dlq", 4))
        .hasMessage("the DLQ and stats DLQ (the sketches topic's name + '-dlq') topics would both be 'sk-dlq': "
            + "give each its own name");
    assertThatThrownBy(() -> BASE.withTopics("concepts", "sketches", "dlq", 4))
        .hasMessage("the activations and concepts topics would both be 'concepts': give each its own name");
    assertThatThrownBy(() -> BASE.withTopics("events", "_schemas", "dlq", 4))
        .hasMessage("the sketches and schema registry topics would both be '_schemas': give each its own name");
  }

  @Test
  void kafkasOwnNamesAndBadNamesPortsAndPartitionsAreRefused() {
    assertThatThrownBy(() -> BASE.withTopics("__consumer_offsets", "sketches", "dlq", 4))
        .hasMessage("the activations topic '__consumer_offsets' starts with '__', which Kafka keeps for its own "
            + "topics");
    assertThatThrownBy(() -> BASE.withTopics("a b", "sketches", "dlq", 4))
        .hasMessageStartingWith("Invalid topic name 'a b'");
    assertThatThrownBy(() -> BASE.withTopics("events", "sketches", "dlq", 0))
        .hasMessage("partitions must be 1..64, got 0");
    assertThatThrownBy(() -> BASE.withPorts(0, 65_536, 0)).hasMessage("registry port must be 0..65535, got 65536");
  }
}
