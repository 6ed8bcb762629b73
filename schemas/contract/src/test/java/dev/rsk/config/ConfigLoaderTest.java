package dev.rsk.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

  private static Properties props(final String... kv) {
    final Properties p = new Properties();
    for (int i = 0; i < kv.length; i += 2) {
      p.setProperty(kv[i], kv[i + 1]);
    }
    return p;
  }

  @Test
  void environmentVariablesNameKafkaOrOwnKeys() {
    assertThat(ConfigLoader.envOverrides(Map.of(
        "RSK_KAFKA_BOOTSTRAP_SERVERS", " b:9092 ",
        "RSK_GAP_MS", "5000",
        "RSK_HTTP_ADVERTISED_HOST", "h1",
        "RSK_", "ignored: no name",
        "RSK_JAVA_OPTS", "-Xmx2g (the launcher's, not a setting)",
        "PATH", "/usr/bin",
        "KAFKA_HEAP_OPTS", "-Xmx1g")))
        .containsExactlyEntriesOf(new TreeMap<>(Map.of(
            "kafka.bootstrap.servers", "b:9092",
            "rsk.gap.ms", "5000",
            "rsk.http.advertised.host", "h1")));
  }

  @Test
  void theEnvironmentWinsAndKeysAreSplitByPrefix() {
    final ConfigLoader.Settings s = ConfigLoader.load(props(
        " rsk.gap.ms ", " 1000 ",
        "rsk.topic.sketches", "s2",
        "kafka.bootstrap.servers", "file:9092",
        "schema.registry.url", "http://file:8081",
        "kafka.num.stream.threads", "3"), Map.of(
        "RSK_KAFKA_BOOTSTRAP_SERVERS", "env:9092",
        "RSK_GAP_MS", "2500"));
    assertThat(s.own()).containsExactlyEntriesOf(new TreeMap<>(Map.of(
        "rsk.gap.ms", "2500", "rsk.topic.sketches", "s2")));
    assertThat(s.kafka()).containsExactlyEntriesOf(new TreeMap<>(Map.of(
        "bootstrap.servers", "env:9092",
        "schema.registry.url", "http://file:8081",
        "num.stream.threads", "3")));
  }
}
