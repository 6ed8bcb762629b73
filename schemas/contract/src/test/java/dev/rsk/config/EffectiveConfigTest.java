package dev.rsk.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;

class EffectiveConfigTest {

  private static final ConfigDef OWN = new ConfigDef()
      .define("rsk.vault", Type.PASSWORD, null, Importance.LOW, "declared secret with an innocent name")
      .define("rsk.gap.ms", Type.LONG, 1L, Importance.LOW, "not a secret");

  @Test
  void secretsAreRedactedWhateverTheirPrefix() {
    final Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("rsk.vault", "v1");
    settings.put("rsk.gap.ms", 30_000L);
    settings.put("kafka.ssl.truststore.password", "v2");
    settings.put("kafka.producer.ssl.key.password", "v3");
    settings.put("kafka.main.consumer.sasl.jaas.config", "v4");
    settings.put("kafka.basic.auth.user.info", "v5");
    settings.put("kafka.schema.registry.ssl.keystore.password", "v6");
    settings.put("kafka.ssl.keystore.key", "v7");
    settings.put("kafka.my.plugin.client.secret", "v8");
    settings.put("kafka.bootstrap.servers", "b:9092");
    settings.put("kafka.other", new Password("v9"));
    assertThat(EffectiveConfig.describe(settings, OWN)).isEqualTo(""
        + "  kafka.basic.auth.user.info = [redacted]\n"
        + "  kafka.bootstrap.servers = b:9092\n"
        + "  kafka.main.consumer.sasl.jaas.config = [redacted]\n"
        + "  kafka.my.plugin.client.secret = [redacted]\n"
        + "  kafka.other = [redacted]\n"
        + "  kafka.producer.ssl.key.password = [redacted]\n"
        + "  kafka.schema.registry.ssl.keystore.password = [redacted]\n"
        + "  kafka.ssl.keystore.key = [redacted]\n"
        + "  kafka.ssl.truststore.password = [redacted]\n"
        + "  rsk.gap.ms = 30000\n"
        + "  rsk.vault = [redacted]\n");
  }

  @Test
  void ordinaryKeysAreNotSecret() {
    assertThat(EffectiveConfig.isSecret("kafka.ssl.truststore.location", OWN)).isFalse();
    assertThat(EffectiveConfig.isSecret("kafka.sasl.mechanism", OWN)).isFalse();
    assertThat(EffectiveConfig.isSecret("rsk.gap.ms", OWN)).isFalse();
    assertThat(EffectiveConfig.isSecret("kafka.ssl.key.password", OWN)).isTrue();
  }
}
