package dev.rsk.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.junit.jupiter.api.Test;

class ConfigDocsTest {

  @Test
  void rendersOneRowPerKeyInDeclarationOrder() {
    final ConfigDef own = new ConfigDef();
    ConfigDefs.define(own, "G", "rsk.z", Type.INT, 8080, Range.between(0, 65_535), Importance.HIGH, "Port | listener.");
    ConfigDefs.define(own, "G", "rsk.a", Type.STRING, null, null, Importance.LOW, "Host.", "the host name");
    final ConfigDef kafka = new ConfigDef();
    ConfigDefs.define(kafka, "K", "kafka.bootstrap.servers", Type.STRING, ConfigDef.NO_DEFAULT_VALUE, null,
        Importance.HIGH, "Brokers.");
    ConfigDefs.define(kafka, "K", "kafka.x.class", Type.CLASS, String.class, null, Importance.MEDIUM, "A class.");
    ConfigDefs.define(kafka, "K", "kafka.state.dir", Type.STRING, null, null, Importance.MEDIUM, "State.");
    assertThat(ConfigDocs.markdownTable(ConfigDocs.keys(own, kafka))).isEqualTo(""
        + "| key | type | default | valid values | importance | description |\n"
        + "| --- | --- | --- | --- | --- | --- |\n"
        + "| `rsk.z` | int | `8080` | [0,...,65535] | high | Port \\| listener. |\n"
        + "| `rsk.a` | string | the host name |  | low | Host. |\n"
        + "| `kafka.bootstrap.servers` | string | (required) |  | high | Brokers. |\n"
        + "| `kafka.x.class` | class | `java.lang.String` |  | medium | A class. |\n"
        + "| `kafka.state.dir` | string |  |  | medium | State. |\n");
  }

  @Test
  void findsAndReplacesTheBlockBetweenItsMarkers() {
    final String doc = "# T\n<!-- config-table:a -->\nold\n<!-- /config-table:a -->\nafter\n";
    assertThat(ConfigDocs.block(doc, "a")).isEqualTo("old\n");
    assertThat(ConfigDocs.withBlock(doc, "a", "new\nrows\n"))
        .isEqualTo("# T\n<!-- config-table:a -->\nnew\nrows\n<!-- /config-table:a -->\nafter\n");
    assertThatThrownBy(() -> ConfigDocs.block(doc, "b")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("config-table:b");
  }

  @Test
  void kafkaDefaultsAreTheKafkaKeysWithADefault() {
    final ConfigDef def = new ConfigDef();
    ConfigDefs.define(def, "K", "kafka.application.id", Type.STRING, "app", null, Importance.HIGH, "Id.");
    ConfigDefs.define(def, "K", "kafka.bootstrap.servers", Type.STRING, ConfigDef.NO_DEFAULT_VALUE, null,
        Importance.HIGH, "Brokers.");
    ConfigDefs.define(def, "K", "kafka.state.dir", Type.STRING, null, null, Importance.LOW, "State.");
    ConfigDefs.define(def, "K", "kafka.handler", Type.CLASS, String.class, null, Importance.LOW, "Handler.");
    ConfigDefs.define(def, "K", "kafka.producer.batch.size", Type.INT, 1024, null, Importance.LOW, "Batch.");
    ConfigDefs.define(def, "O", "rsk.gap.ms", Type.LONG, 5L, null, Importance.LOW, "Ours, not Kafka's.");
    assertThat(ConfigDefs.kafkaDefaults(def)).containsExactlyEntriesOf(new TreeMap<>(Map.of(
        "application.id", "app", "handler", "java.lang.String", "producer.batch.size", 1024)));
  }
}
